/**
 * `tlos status` against a live v1 lattice on 127.0.0.1, built from synthesized configs: three TLS
 * hubs (nats-server >= 2.11.16) and two node leaves dialing out with their generated creds. No
 * wasmCloud host runs here: a nats.js client on each node's leaf answers the v1 control
 * interface's host ping with the node's host key and labels, as a host does. First everything is
 * as declared (exit 0); then a stream below its replicas, a second connection with one node's
 * creds, an undeclared leaf, a disconnected leaf and a killed hub each show as drift (exit 1),
 * named in the JSON. The compiled CLI runs as a user runs it. Every wait is bounded and scales
 * with the machine's load; every process is started and stopped here.
 */
import { execFile, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { hostKeyPair } from "../src/nats/auth.js";
import type { LatticeStatus } from "../src/nats/status-check.js";
import { bareLeaf, derivedTls, freePorts, installHub, installNode, loadFactor, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBS = ["hub-1", "hub-2", "hub-3"];
const NODES = { "home-1": { zone: "home" }, "home-2": { zone: "edge" } } as const;
const L = "status";
const run = promisify(execFile);

type Status = LatticeStatus & { ok: boolean };

describe.skipIf(!hubBin || !leafBin)("tlos status against a live lattice", () => {
  const procs = new Map<string, ChildProcess>();
  const conns: NatsConnection[] = [];
  let root = "";
  let out = "";
  let tls = "";
  const ports: Record<string, number[]> = {};
  const start = (name: string, bin: string, conf: string) => procs.set(name, startProcess(bin, ["-c", conf], join(root, `${name}.log`)));
  const hubUrls = () => HUBS.map((h) => `nats://127.0.0.1:${ports[h]![0]}`);

  /** Runs `tlos status --json`; its exit code and the parsed report. */
  async function status(extra: string[] = []): Promise<{ code: number; report: Status; text: string }> {
    const args = [join(ROOT, "bin/tlos.mjs"), "status", out, ...hubUrls().flatMap((u) => ["--server", u]), "--creds", join(out, "secrets/lattice/sys.creds"), "--lattice-creds", join(out, "secrets/lattice/admin.creds"), "--wait", String(Math.round(1500 * loadFactor())), ...extra];
    try {
      const r = await run(process.execPath, args, { timeout: 60_000 });
      return { code: 0, report: extra.includes("--json") ? JSON.parse(r.stdout) : undefined, text: r.stdout } as never;
    } catch (e) {
      const err = e as { code?: number; stdout?: string; stderr?: string };
      if (typeof err.code !== "number") throw e;
      if (!err.stdout) throw new Error(`tlos status failed: ${err.stderr}`);
      return { code: err.code, report: extra.includes("--json") ? JSON.parse(err.stdout) : undefined, text: err.stdout } as never;
    }
  }
  /** Polls status until `pred` holds (the lattice takes a moment to notice a change). */
  const until = async (what: string, pred: (s: Status) => boolean) => {
    let last: Status | undefined;
    return waitFor(what, async () => {
      const r = await status(["--json"]);
      last = r.report;
      return pred(r.report) ? r : undefined;
    }, 20_000, 500).catch((e: Error) => {
      throw new Error(`${e.message}; last drift: ${JSON.stringify(last?.drift)}`);
    });
  };

  /** A leaf with `creds` of a node, under server name `name` (a copy of the creds, or a stranger's leaf). */
  function startLeaf(name: string, credsFile: string, serverName = name): void {
    const [client, monitor] = ports[name]!;
    start(name, leafBin!, bareLeaf(join(root, name), { serverName, clientPort: client!, monitorPort: monitor!, hubs: HUBS.map((h) => `127.0.0.1:${ports[h]![2]}`), creds: readFileSync(credsFile), caFile: join(tls, "ca.pem") }));
  }

  beforeAll(async () => {
    root = tempDir("tlos-status-");
    out = join(root, "out");
    tls = join(root, "tls");
    const names = [...HUBS, ...Object.keys(NODES), "clone", "intruder"];
    const p = await freePorts(names.length * 4);
    names.forEach((n, i) => (ports[n] = p.slice(i * 4, i * 4 + 4)));
    const grid = new Grid("live");
    const lattice = new Lattice(grid, "lattice", {
      name: L, wasmcloud: "v1",
      hubs: HUBS.map((id) => ({ id, host: "127.0.0.1", bind: "127.0.0.1", ports: { client: ports[id]![0]!, cluster: ports[id]![1]!, leafnode: ports[id]![2]!, monitor: ports[id]![3]! }, storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } })),
    });
    for (const [id, labels] of Object.entries(NODES)) {
      new TlosNode(lattice, id, { target: "podman", labels, nats: { clientPort: ports[id]![0]!, monitorPort: ports[id]![1]!, storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } } });
    }
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    derivedTls(out, tls, HUBS);
    for (const id of HUBS) start(id, hubBin!, installHub(out, root, id));
    for (const id of Object.keys(NODES)) start(id, leafBin!, installNode(out, root, id));
    // the operator creates the lattice's streams and buckets (R3)
    await waitFor("a JetStream meta leader", async () => {
      const nc = await connect({ servers: hubUrls(), authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/sys.creds"))), reconnect: false }).catch(() => undefined);
      if (!nc) return false;
      const replies = await nc.requestMany("$SYS.REQ.SERVER.PING.JSZ", "{}", { strategy: "count", maxMessages: 3, maxWait: 2000 }).catch(() => undefined);
      let n = 0;
      for await (const m of replies ?? []) if ((m.json() as { data?: { meta_cluster?: { leader?: string; cluster_size?: number } } }).data?.meta_cluster?.leader) n++;
      await nc.close();
      return n === 3;
    }, 60_000, 250);
    const { execFileSync } = await import("node:child_process");
    execFileSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "lattice-init", join(out, "lattice/jetstream.json"), "--server", hubUrls()[0]!, "--creds", join(out, "secrets/lattice/admin.creds")], { timeout: 90_000, stdio: "pipe" });
    // each node's "host": answers the control interface's host ping on its own leaf, as wasmCloud v1 does
    for (const [id, labels] of Object.entries(NODES)) {
      const nc = await connect({ servers: `127.0.0.1:${ports[id]![0]}`, name: `host-${id}` });
      conns.push(nc);
      const hostId = hostKeyPair(SEED, "live/lattice", id).getPublicKey();
      nc.subscribe(`wasmbus.ctl.v1.${L}.host.ping`, { callback: (_e, m) => void m.respond(JSON.stringify({ success: true, message: "", response: { id: hostId, labels: { ...labels, "hostcore.os": "linux" } } })) });
      await nc.flush();
    }
  }, 240_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all([...procs.values()].map((p) => stopProcess(p)));
  });

  it("is all green at first: hubs up with routes and a meta leader, both leaves once over TLS, streams at R3, hosts with their labels (exit 0)", async () => {
    const { report } = await until("the lattice as declared", (s) => s.ok);
    expect(report.drift).toEqual([]);
    expect(report.hubs.map((h) => [h.id, h.up, h.routes])).toEqual(HUBS.map((h) => [h, true, 2]));
    expect(report.hubs.every((h) => /^2\.1[1-9]\./.test(h.version ?? ""))).toBe(true);
    expect(HUBS).toContain(report.meta.leader);
    expect(report.leaves.map((l) => [l.id, l.connected, l.tls])).toEqual([["home-1", 1, true], ["home-2", 1, true]]);
    expect(report.streams.length).toBe(10);
    expect(report.streams.every((s) => s.replicas === 3 && s.current === 3)).toBe(true);
    expect(report.hosts?.map((h) => [h.node, h.answered, h.labels["zone"]])).toEqual([["home-1", true, "home"], ["home-2", true, "edge"]]);
    const table = await status();
    expect(table.code).toBe(0);
    expect(table.text).toMatch(/^lattice status: as declared\n/);
    writeFileSync(join(root, "status-green.txt"), table.text);
  }, 180_000);

  it("a stream below its declared replicas is drift (exit 1)", async () => {
    const admin = await connect({ servers: hubUrls(), authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/admin.creds"))) });
    conns.push(admin);
    const jsm = await jetstreamManager(admin, { domain: "hub" });
    const info = await jsm.streams.info("wadm_notify");
    await jsm.streams.delete("wadm_notify");
    await jsm.streams.add({ ...info.config, num_replicas: 1 });
    const { report, code } = await until("the R1 stream reported", (s) => s.drift.some((d) => d.startsWith("stream wadm_notify:")));
    expect(code).toBe(1);
    expect(report.drift).toContain("stream wadm_notify: 1 replicas, 3 declared");
  }, 180_000);

  it("a second connection with home-1's creds is drift, naming home-1", async () => {
    // a copy of home-1 (its creds and its name) on another machine
    startLeaf("clone", join(out, "secrets/lattice/nodes/home-1/leaf.creds"), "home-1");
    const { report, code } = await until("the copied creds reported", (s) => s.drift.some((d) => d.startsWith("leaf home-1: 2 leaves")));
    expect(code).toBe(1);
    expect(report.leaves.find((l) => l.id === "home-1")?.connected).toBe(2);
  }, 180_000);

  it("an undeclared leaf is drift, naming it", async () => {
    startLeaf("intruder", join(out, "secrets/lattice/nodes/home-2/leaf.creds"));
    const { report, code } = await until("the intruder reported", (s) => s.drift.some((d) => d.startsWith('leaf intruder: leaf "intruder" is not a member')));
    expect(code).toBe(1);
    expect(report.leaves.map((l) => l.id)).not.toContain("intruder");
  }, 180_000);

  it("a disconnected leaf is drift, and its host stops answering", async () => {
    await stopProcess(procs.get("home-2")!);
    const { report, code } = await until("home-2 gone", (s) => s.drift.includes("leaf home-2: not connected"));
    expect(code).toBe(1);
    expect(report.drift).toContain("host home-2: does not answer the control interface");
  }, 180_000);

  it("a killed hub is drift, and the others report no route to it", async () => {
    await stopProcess(procs.get("hub-3")!);
    // every drift so far at once (leaves that were on hub-3 take a moment to reconnect)
    const named = ["hub hub-3: not answering", "hub hub-1: no route to hub-3", "leaf home-2:", "leaf intruder:", "leaf home-1:", "stream wadm_notify:"];
    const { report, code } = await until("hub-3 down and every drift named", (s) => named.every((n) => s.drift.some((d) => d.startsWith(n))));
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.hubs.find((h) => h.id === "hub-3")?.up).toBe(false);
    const table = await status();
    expect(table.code).toBe(1);
    writeFileSync(join(root, "status-drift.txt"), table.text);
    // --watch: the report again every --interval seconds until SIGINT, then the last exit code
    const { spawn } = await import("node:child_process");
    const watch = spawn(process.execPath, [join(ROOT, "bin/tlos.mjs"), "status", out, ...hubUrls().flatMap((u) => ["--server", u]), "--creds", join(out, "secrets/lattice/sys.creds"), "--watch", "--interval", "1", "--json"], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    watch.stdout.on("data", (d: Buffer) => (text += d.toString()));
    const exited = new Promise<number | null>((r) => watch.once("exit", (c) => r(c)));
    await waitFor("two reports from --watch", () => (text.match(/^\{$/gm)?.length ?? 0) >= 2, 30_000, 200).finally(() => watch.kill("SIGINT"));
    expect(await exited).toBe(1);
    if (process.env["TLOS_STATUS_SAMPLE"]) writeFileSync(process.env["TLOS_STATUS_SAMPLE"], `${readFileSync(join(root, "status-green.txt"), "utf8")}\n---\n\n${table.text}`);
  }, 180_000);
});
