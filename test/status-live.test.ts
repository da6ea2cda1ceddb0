/**
 * `tlos status` against a live v1 lattice on 127.0.0.1, built from synthesized configs: three TLS
 * hubs (nats-server >= 2.11.16), two node leaves dialing out with their generated creds, and the
 * leaf of an Akash node (its creds from its deployable SDL, its server name a pod hostname, as on
 * a provider). No wasmCloud host or wadm binary can be had here, so stand-ins speak their subjects
 * with upstream's reply shapes: a nats.js client on each node's leaf answers the v1 control
 * interface's `host.ping` and `host.get.<id>` (`{ success, message, response }` with a
 * HostInventory: wasmCloud crates/control-interface/src/types/{host,component}.rs), and one on the
 * hubs with wadm's own creds answers `wadm.api.<lattice>.model.list` and `model.get.<name>`
 * (ListModelsResponse, GetModelResponse: wadm crates/wadm-types/src/api.rs), the manifest
 * re-serialized with serde's defaults as wadm stores it. First everything is as declared (exit 0);
 * then an app at another version, a deployed model that is not the synthesized one, a component
 * on no host, a host without a declared label, a stream below its replicas, a second connection
 * with one node's creds, a member's creds under another name, an absent Akash lease, a
 * disconnected leaf and a killed hub each show as drift (exit 1), named in the JSON. The compiled
 * CLI runs as a user runs it. Every wait is bounded and scales with the machine's load; every
 * process is started and stopped here.
 */
import { execFile, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { App, Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { hostKeyPair } from "../src/nats/auth.js";
import type { LatticeStatus } from "../src/nats/status-check.js";
import { bareLeaf, derivedTls, freePorts, installHub, installNode, loadFactor, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBS = ["hub-1", "hub-2", "hub-3"];
const NODES = { "home-1": { zone: "home" }, "home-2": { zone: "edge" } } as const;
const L = "status";
const HELLO = `ghcr.io/the-last-os/hello:0.3.0@sha256:${"2".repeat(64)}`;
const HTTP = `ghcr.io/wasmcloud/http-server:0.27.0@sha256:${"3".repeat(64)}`;
const POD = "cloud-1-nats-7d9f8c6b5-x2x4q"; // an Akash replica's leaf is named by its pod's $HOSTNAME

/** What the stand-ins answer; each test changes one thing. */
const world = {
  deployed: "0.3.0" as string | null,
  image: HELLO,
  runs: { "home-1": [HELLO], "home-2": [HTTP] } as Record<string, string[]>,
  labels: { ...NODES, "cloud-1": { zone: "cloud" } } as Record<string, Record<string, string>>,
};
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
    const names = [...HUBS, ...Object.keys(NODES), "clone", "intruder", "cloud-1"];
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
    new TlosNode(lattice, "cloud-1", { target: "akash", labels: { zone: "cloud" }, akash: { pricing: { denom: "uact", amount: 2_000 } } });
    new App(lattice, "hello", {
      version: "0.3.0",
      components: [{ name: "hello", image: HELLO, instances: 2, spread: [{ name: "home", requirements: { zone: "home" } }] }],
      providers: [{ name: "http-server", image: HTTP, requirements: { zone: "edge" } }],
      links: [{ from: "http-server", to: "hello", namespace: "wasi", package: "http", interfaces: ["incoming-handler"], sourceConfig: { address: "0.0.0.0:8080" } }],
    });
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    derivedTls(out, tls, HUBS);
    for (const id of HUBS) start(id, hubBin!, installHub(out, root, id));
    for (const id of Object.keys(NODES)) start(id, leafBin!, installNode(out, root, id));
    // the operator creates the lattice's streams and buckets (R3), right after starting the hubs:
    // lattice-init waits (bounded) until their meta group has a leader and JetStream is ready for the account
    const { execFileSync } = await import("node:child_process");
    const initWait = Math.round(60 * loadFactor());
    execFileSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "lattice-init", join(out, "lattice/jetstream.json"), ...hubUrls().flatMap((u) => ["--server", u]), "--creds", join(out, "secrets/lattice/admin.creds"), "--wait", String(initWait)], { timeout: (initWait + 30) * 1000, stdio: "pipe" });
    // the Akash node's leaf, with the creds its deployable SDL carries, named as a pod is
    const sdl = readFileSync(join(out, "secrets/lattice/akash/cloud-1/deploy.yaml"), "utf8");
    writeFileSync(join(root, "cloud-1.creds"), Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sdl)![1]!, "base64"));
    startLeaf("cloud-1", join(root, "cloud-1.creds"), POD);
    // each node's "host" (the Akash node's too): answers the control interface's host ping and its own host.get, as wasmCloud v1 does
    for (const id of Object.keys(world.labels)) {
      const nc = await waitFor(`${id}'s leaf`, () => connect({ servers: `127.0.0.1:${ports[id]![0]}`, name: `host-${id}` }).catch(() => undefined), 30_000, 200);
      conns.push(nc);
      const hostId = hostKeyPair(SEED, "live/lattice", id).getPublicKey();
      const ok = (response: unknown) => JSON.stringify({ success: true, message: "", response });
      nc.subscribe(`wasmbus.ctl.v1.${L}.host.ping`, { callback: (_e, m) => void m.respond(ok({ id: hostId, labels: { ...world.labels[id], "hostcore.os": "linux" }, friendly_name: id, version: "1.9.2", uptime_seconds: 5 })) });
      nc.subscribe(`wasmbus.ctl.v1.${L}.host.get.${hostId}`, {
        callback: (_e, m) => {
          const mine = world.runs[id] ?? [];
          const annotations = { "wasmcloud.dev/appspec": "hello", "wasmcloud.dev/managed-by": "wadm" };
          const components = mine.filter((i) => i === HELLO).map((image_ref) => ({ id: "hello-hello", image_ref, name: "hello", annotations, revision: 0, max_instances: 1 }));
          const providers = mine.filter((i) => i === HTTP).map((image_ref) => ({ id: "hello-http_server", image_ref, name: "http-server", annotations, revision: 0 }));
          void m.respond(ok({ components, providers, host_id: hostId, friendly_name: id, labels: { ...world.labels[id], "hostcore.os": "linux" }, version: "1.9.2", uptime_human: "5s", uptime_seconds: 5 }));
        },
      });
      await nc.flush();
    }
    // wadm, with its own creds on the hubs: the model list and the deployed manifest as wadm stores it
    const wadm = await connect({ servers: hubUrls(), authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/wadm.creds"))), name: "wadm" });
    conns.push(wadm);
    const manifest = parseYaml(readFileSync(join(out, "lattice/apps/hello/wadm.yaml"), "utf8")) as { spec: { components: { name: string; properties: Record<string, unknown> }[] } };
    wadm.subscribe(`wadm.api.${L}.model.list`, { callback: (_e, m) => void m.respond(JSON.stringify({ result: "success", message: "Successfully fetched list of applications", models: [{ name: "hello", version: "0.3.0", description: null, deployed_version: world.deployed, detailed_status: { status: { type: "deployed" } }, status: "deployed", status_message: null }] })) });
    wadm.subscribe(`wadm.api.${L}.model.get.hello`, {
      callback: (_e, m) => {
        const spec = { ...manifest.spec, policies: [], components: manifest.spec.components.map((c) => (c.name === "hello" ? { ...c, properties: { ...c.properties, image: world.image, id: null } } : c)) };
        void m.respond(JSON.stringify({ result: "success", message: "Successfully fetched application hello 0.3.0", manifest: { ...manifest, spec } }));
      },
    });
    await wadm.flush();
  }, 240_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all([...procs.values()].map((p) => stopProcess(p)));
  });

  it("is all green at first: hubs up with routes and a meta leader, leaves once over TLS by identity, the lease's leaf, streams at R3, hosts with their labels, the app as declared (exit 0)", async () => {
    const { report } = await until("the lattice as declared", (s) => s.ok);
    expect(report.drift).toEqual([]);
    expect(report.hubs.map((h) => [h.id, h.up, h.routes])).toEqual(HUBS.map((h) => [h, true, 2]));
    expect(report.hubs.every((h) => /^2\.1[1-9]\./.test(h.version ?? ""))).toBe(true);
    expect(HUBS).toContain(report.meta.leader);
    expect(report.leaves.map((l) => [l.id, l.connected, l.tls, l.names])).toEqual([["cloud-1", 1, true, [POD]], ["home-1", 1, true, ["home-1"]], ["home-2", 1, true, ["home-2"]]]);
    expect(report.leases.map((x) => [x.id, x.sdl, x.connected, x.replicas, x.names])).toEqual([["cloud-1", "lattice/akash/cloud-1/deploy.yaml", 1, 1, [POD]]]);
    expect(report.streams.length).toBe(10);
    expect(report.streams.every((s) => s.replicas === 3 && s.current === 3)).toBe(true);
    expect(report.hosts?.map((h) => [h.node, h.answered, h.labels["zone"]])).toEqual([["cloud-1", true, "cloud"], ["home-1", true, "home"], ["home-2", true, "edge"]]);
    expect(report.apps).toEqual([{ name: "hello", declared: "0.3.0", deployed: "0.3.0", state: "deployed", components: [{ name: "hello", hosts: 1 }, { name: "http-server", hosts: 1 }] }]);
    const table = await status();
    expect(table.code).toBe(0);
    expect(table.text).toMatch(/^lattice status: as declared\n/);
    writeFileSync(join(root, "status-green.txt"), table.text);
  }, 180_000);

  it("wadm's app at another version, a deployed model that is not the synthesized one, a component on no host, a host without a declared label: each is drift, then all clear", async () => {
    world.deployed = "0.2.0";
    let r = await until("the other version", (s) => s.drift.some((d) => d.startsWith("app hello: 0.2.0 deployed")));
    expect(r.code).toBe(1);
    expect(r.report.drift).toContain("app hello: 0.2.0 deployed, 0.3.0 declared");
    world.deployed = "0.3.0";
    world.image = HELLO.replace(/2{64}/, "9".repeat(64));
    r = await until("the other model", (s) => s.drift.some((d) => d.startsWith("app hello: the deployed model")));
    expect(r.report.drift).toContain("app hello: the deployed model 0.3.0 is not the synthesized one (digest differs; components hello differ)");
    world.image = HELLO;
    world.runs["home-1"] = [];
    r = await until("the component on no host", (s) => s.drift.includes("app hello: component hello runs on no host (wadm wants it)"));
    expect(r.code).toBe(1);
    expect(r.report.apps?.[0]?.components).toEqual([{ name: "hello", hosts: 0 }, { name: "http-server", hosts: 1 }]);
    world.runs["home-1"] = [HELLO];
    world.labels["home-1"] = {};
    r = await until("the missing label", (s) => s.drift.some((d) => d.startsWith("host home-1: label zone")));
    expect(r.report.drift).toContain('host home-1: label zone=null, "home" declared');
    world.labels["home-1"] = { ...NODES["home-1"] };
    await until("all clear again", (s) => s.ok);
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

  it("a second connection with home-1's creds is drift, naming home-1 (judged by the user it authenticated as)", async () => {
    // a copy of home-1 (its creds and its name) on another machine
    startLeaf("clone", join(out, "secrets/lattice/nodes/home-1/leaf.creds"), "home-1");
    const { report, code } = await until("the copied creds reported", (s) => s.drift.some((d) => d.startsWith("leaf home-1: its creds are used by 2 leaves")));
    expect(code).toBe(1);
    expect(report.leaves.find((l) => l.id === "home-1")?.connected).toBe(2);
  }, 180_000);

  it("a leaf with a member's creds under another name is drift, naming both; it clears when that leaf leaves", async () => {
    startLeaf("intruder", join(out, "secrets/lattice/nodes/home-2/leaf.creds"));
    const { report, code } = await until("the intruder reported", (s) => s.drift.some((d) => d.startsWith('leaf home-2: a leaf named "intruder" dials in with home-2\'s creds')));
    expect(code).toBe(1);
    expect(report.leaves.find((l) => l.id === "home-2")?.names).toEqual(["home-2", "intruder"]);
    expect(report.leaves.map((l) => l.id)).not.toContain("intruder");
    await stopProcess(procs.get("intruder")!);
    await until("the intruder gone", (s) => !s.drift.some((d) => d.startsWith("leaf home-2:")));
  }, 180_000);

  it("an Akash lease whose leaf is absent is drift, naming the lease and its SDL", async () => {
    await stopProcess(procs.get("cloud-1")!);
    const { report, code } = await until("the lease without its leaf", (s) => s.drift.some((d) => d.startsWith("lease cloud-1:")));
    expect(code).toBe(1);
    expect(report.drift).toContain("lease cloud-1: no leaf connected with its creds (1 replicas declared in lattice/akash/cloud-1/deploy.yaml)");
    expect(report.drift).toContain("host cloud-1: does not answer the control interface");
    expect(report.leases[0]?.connected).toBe(0);
  }, 180_000);

  it("a disconnected leaf is drift, and its host stops answering", async () => {
    await stopProcess(procs.get("home-2")!);
    const { report, code } = await until("home-2 gone", (s) => s.drift.includes("leaf home-2: not connected"));
    expect(code).toBe(1);
    expect(report.drift).toContain("host home-2: does not answer the control interface");
    expect(report.drift).toContain("app hello: component http-server runs on no host (wadm wants it)");
  }, 180_000);

  it("a killed hub is drift, and the others report no route to it", async () => {
    await stopProcess(procs.get("hub-3")!);
    // every drift so far at once (leaves that were on hub-3 take a moment to reconnect)
    const named = ["hub hub-3: not answering", "hub hub-1: no route to hub-3", "leaf home-2:", "leaf home-1:", "lease cloud-1:", "stream wadm_notify:", "app hello:"];
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
