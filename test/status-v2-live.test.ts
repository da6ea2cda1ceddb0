/**
 * `tlos status` against a live wasmCloud v2 lattice on 127.0.0.1, built from synthesized configs:
 * one TLS hub (`mode: "single"`, nats-server >= 2.11.16) and two v2 node leaves dialing out with
 * their generated creds, home-a in host group `edge` (its `labels.hostgroup`), home-b in the
 * lattice's default group. No `wash host` binary can be had here, so a nats.js client on each
 * node's leaf publishes what a v2 host publishes: a heartbeat on `runtime.operator.heartbeat.<id>`
 * (protojson of wasmcloud.runtime.v2 HostHeartbeat: `id`, `friendlyName`, `labels.hostgroup`, …;
 * wasmCloud crates/wash-runtime/src/washlet/mod.rs heartbeat_subject, every 15 s upstream, faster
 * here). First all is as declared (exit 0); then a host group whose host stopped beating, a host
 * beating in a group no member declares, and a leaf that authenticates as a user no member holds
 * (signed with the lattice account's key outside the synth, under a member's name) each show as
 * drift (exit 1), named in the JSON. Every wait is bounded; every process is started and stopped here.
 */
import { execFile, type ChildProcess } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { creds, userJwt } from "../src/nats/jwt.js";
import { deriveKeyPair } from "../src/nats/keys.js";
import type { LatticeStatus } from "../src/nats/status-check.js";
import { bareLeaf, derivedTls, freePorts, installHub, installNode, loadFactor, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const L = "grid2";
const NODES = { "home-a": { hostgroup: "edge" }, "home-b": {} } as const;
const run = promisify(execFile);

type Status = LatticeStatus & { ok: boolean };

describe.skipIf(!hubBin || !leafBin)("tlos status against a live v2 lattice", () => {
  const procs = new Map<string, ChildProcess>();
  const conns: NatsConnection[] = [];
  const beating = new Map<string, { group: string; timer: NodeJS.Timeout }>();
  let root = "";
  let out = "";
  const ports: Record<string, number[]> = {};

  async function status(): Promise<{ code: number; report: Status }> {
    const args = [join(ROOT, "bin/tlos.mjs"), "status", out, "--server", `nats://127.0.0.1:${ports["hub-1"]![0]}`, "--creds", join(out, "secrets/lattice/sys.creds"), "--lattice-creds", join(out, "secrets/lattice/admin.creds"), "--wait", String(Math.round(1500 * loadFactor())), "--listen", String(Math.round(2000 * loadFactor())), "--json"];
    const r = await run(process.execPath, args, { timeout: 60_000 }).then((x) => ({ code: 0, stdout: x.stdout }), (e: { code?: number; stdout?: string; stderr?: string }) => {
      if (typeof e.code !== "number" || !e.stdout) throw new Error(`tlos status failed: ${e.stderr}`);
      return { code: e.code, stdout: e.stdout };
    });
    return { code: r.code, report: JSON.parse(r.stdout) as Status };
  }
  const until = async (what: string, pred: (s: Status) => boolean) => {
    let last: Status | undefined;
    return waitFor(what, async () => {
      const r = await status();
      last = r.report;
      return pred(r.report) ? r : undefined;
    }, 20_000, 300).catch((e: Error) => {
      throw new Error(`${e.message}; last drift: ${JSON.stringify(last?.drift)}`);
    });
  };

  /** A stand-in v2 host on `leaf`'s client port, beating every 300 ms in `group`. */
  async function host(id: string, leaf: string, group: string): Promise<void> {
    const nc = await waitFor(`${leaf}'s leaf`, () => connect({ servers: `127.0.0.1:${ports[leaf]![0]}`, name: `host-${id}` }).catch(() => undefined), 30_000, 200);
    conns.push(nc);
    const beat = () => nc.publish(`runtime.operator.heartbeat.${id}`, JSON.stringify({ id, hostname: id, friendlyName: id, version: "2.0.0", labels: { hostgroup: group }, osArch: "x86_64", osName: "linux", componentCount: "0", workloadCount: "0" }));
    beat();
    beating.set(id, { group, timer: setInterval(beat, 300) });
  }
  const silence = (id: string) => clearInterval(beating.get(id)?.timer);

  beforeAll(async () => {
    root = tempDir("tlos-status-v2-");
    out = join(root, "out");
    const names = ["hub-1", ...Object.keys(NODES), "stranger"];
    const p = await freePorts(names.length * 4);
    names.forEach((n, i) => (ports[n] = p.slice(i * 4, i * 4 + 4)));
    const grid = new Grid("live2");
    const hp = ports["hub-1"]!;
    const lattice = new Lattice(grid, "lattice", {
      name: L, wasmcloud: "v2", mode: "single",
      hubs: [{ id: "hub-1", host: "127.0.0.1", bind: "127.0.0.1", ports: { client: hp[0]!, cluster: hp[1]!, leafnode: hp[2]!, monitor: hp[3]! }, storeDir: join(root, "hub-1", "data"), configDir: join(root, "hub-1", "etc"), jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } }],
    });
    for (const [id, labels] of Object.entries(NODES)) {
      new TlosNode(lattice, id, { target: "podman", labels, nats: { clientPort: ports[id]![0]!, monitorPort: ports[id]![1]!, storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } } });
    }
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    derivedTls(out, join(root, "tls"), ["hub-1"]);
    procs.set("hub-1", startProcess(hubBin!, ["-c", installHub(out, root, "hub-1")], join(root, "hub-1.log")));
    for (const id of Object.keys(NODES)) procs.set(id, startProcess(leafBin!, ["-c", installNode(out, root, id)], join(root, `${id}.log`)));
    await host("host-a-0001", "home-a", "edge");
    await host("host-b-0001", "home-b", L);
  }, 240_000);

  afterAll(async () => {
    for (const b of beating.values()) clearInterval(b.timer);
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all([...procs.values()].map((p) => stopProcess(p)));
  });

  it("is all green at first: both leaves by identity, each declared host group heard (exit 0)", async () => {
    const { report, code } = await until("the lattice as declared", (s) => s.ok);
    expect(code).toBe(0);
    expect(report.leaves.map((l) => [l.id, l.connected, l.tls])).toEqual([["home-a", 1, true], ["home-b", 1, true]]);
    expect(report.hostGroups).toEqual([{ group: "edge", declared: 1, seen: 1, hosts: ["host-a-0001"] }, { group: L, declared: 1, seen: 1, hosts: ["host-b-0001"] }]);
  }, 180_000);

  it("a host group whose host stopped beating is drift, naming the group and its members", async () => {
    silence("host-b-0001");
    const { report, code } = await until("the silent group", (s) => s.drift.some((d) => d.startsWith(`host group ${L}:`)));
    expect(code).toBe(1);
    expect(report.drift).toContain(`host group ${L}: no host heartbeats (1 declared: TlosNode home-b)`);
    await host("host-b-0002", "home-b", L);
    await until("the group heard again", (s) => s.ok);
  }, 180_000);

  it("a host beating in a host group no member declares is drift, naming it", async () => {
    await host("rogue-0001", "home-a", "gpu");
    const { report, code } = await until("the rogue group", (s) => s.drift.some((d) => d.startsWith("host rogue-0001:")));
    expect(code).toBe(1);
    expect(report.drift).toContain('host rogue-0001: heartbeats in host group "gpu", which no member declares');
    silence("rogue-0001");
  }, 180_000);

  it("a leaf authenticating as a user no member holds is drift, though it takes a member's name", async () => {
    // signed with the lattice account's key (derived as synth derives it) but issued by no synth
    const acct = deriveKeyPair(SEED, "account", "live2/lattice/LATTICE");
    const user = deriveKeyPair(SEED, "user", "live2/lattice/LATTICE/leaf/not-a-member");
    const [client, monitor] = ports["stranger"]!;
    const conf = bareLeaf(join(root, "stranger"), { serverName: "home-a", clientPort: client!, monitorPort: monitor!, hubs: [`127.0.0.1:${ports["hub-1"]![2]}`], creds: creds(userJwt("leaf-stranger", user, acct, ["LEAFNODE"], 1_700_000_000), user), caFile: join(root, "tls", "ca.pem") });
    procs.set("stranger", startProcess(leafBin!, ["-c", conf], join(root, "stranger.log")));
    const { report, code } = await until("the stranger", (s) => s.drift.some((d) => d.includes(user.getPublicKey())));
    expect(code).toBe(1);
    expect(report.drift.find((d) => d.includes(user.getPublicKey()))).toMatch(/^leaf home-a: authenticated as U[A-Z0-9]{55}, which no member of this lattice holds/);
    // the hub closes one of two leaves with one server name ("Duplicate Remote LeafNode Connection"),
    // so the real home-a and the stranger take turns: by name alone the stranger would pass for home-a
    // (judged by name, the two would count as home-a's creds used twice); by identity home-a is itself, at most once
    expect(report.leaves.find((l) => l.id === "home-a")?.connected).toBeLessThanOrEqual(1);
    writeFileSync(join(root, "status-v2-drift.json"), JSON.stringify(report, null, 2));
  }, 180_000);
});
