/**
 * `tlos lattice-init` run as an operator runs it, right after (here: before) the hubs start: three
 * real hubs (operator mode, full resolver, nats-server >= 2.11.16) from a synthesized lattice. It
 * starts while no hub listens, prints its one "waiting" line, and succeeds once the hubs are up and
 * their JetStream is ready for the account; against one hub of three (no meta group quorum, so
 * JetStream never becomes ready) it ends within its short --wait with one error line; with
 * another operator's creds it fails at once (no wait mends that). The
 * compiled CLI runs as a user runs it; every wait is bounded; processes are started and stopped here.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Grid, Lattice, writeOutput } from "../src/index.js";
import { freePorts, installHub, loadFactor, OTHER_SEED, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const hubBin = realBinary("nats-server-hub");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBS = ["hub-1", "hub-2", "hub-3"];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Starts `tlos lattice-init`; `done` settles when it exits, `stderr()` is what it printed so far. */
function latticeInit(args: string[]): { done: Promise<Run>; stderr: () => string; proc: ChildProcess } {
  const t0 = Date.now();
  const proc = spawn(process.execPath, [join(ROOT, "bin/tlos.mjs"), "lattice-init", ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "", stderr = "";
  proc.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((res) => proc.once("close", (code) => res({ code, stdout, stderr, ms: Date.now() - t0 })));
  return { done, stderr: () => stderr, proc };
}

describe.skipIf(!hubBin)("tlos lattice-init waits for the hubs' JetStream", () => {
  const procs = new Map<string, ChildProcess>();
  let root = "", out = "";
  const ports: Record<string, number[]> = {};
  const url = (h: string) => `nats://127.0.0.1:${ports[h]![0]}`;
  const creds = () => join(out, "secrets/lattice/admin.creds");
  const plan = () => join(out, "lattice/jetstream.json");
  const started: ChildProcess[] = []; // every process started, stopped at the end even if a test failed before stopping it
  const startHub = (id: string) => {
    const p = startProcess(hubBin!, ["-c", installHub(out, root, id)], join(root, `${id}.log`));
    started.push(p);
    procs.set(id, p);
  };

  beforeAll(async () => {
    root = tempDir("tlos-init-wait-");
    out = join(root, "out");
    const p = await freePorts(HUBS.length * 4);
    HUBS.forEach((h, i) => (ports[h] = p.slice(i * 4, i * 4 + 4)));
    const grid = new Grid("live");
    new Lattice(grid, "lattice", {
      name: "wait", wasmcloud: "v1",
      hubs: HUBS.map((id) => ({ id, host: "127.0.0.1", bind: "127.0.0.1", ports: { client: ports[id]![0]!, cluster: ports[id]![1]!, leafnode: ports[id]![2]!, monitor: ports[id]![3]! }, storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } })),
    });
    writeOutput(grid.synth({ masterSeed: SEED }), out);
  });

  afterAll(async () => {
    await Promise.all(started.map((p) => stopProcess(p)));
  });

  it("against one hub of three (no meta leader ever): one error line, naming the server, what it asked and what to check, within its --wait", async () => {
    startHub("hub-1");
    await waitFor("hub-1 to listen", () => /Server is ready/.test(readFileSync(join(root, "hub-1.log"), "utf8")), 20_000);
    const wait = 3;
    const r = await latticeInit([plan(), "--server", url("hub-1"), "--creds", creds(), "--wait", String(wait)]).done.finally(() => stopProcess(procs.get("hub-1")!));
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^lattice-init: waiting up to 3 s for JetStream at nats:\/\/127\.0\.0\.1:\d+: /);
    expect(lines[1]).toMatch(new RegExp(`^error: lattice-init: JetStream not ready at ${url("hub-1").replace(/\./g, "\\.")} after waiting 3 s: asked for the account's JetStream info: `));
    expect(lines[1]).toMatch(/check that every hub is up and routed/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    // it gives up once the wait is over: not before it, and not much after (one request's timeout, scaled for a loaded machine)
    expect(r.ms).toBeGreaterThanOrEqual(wait * 1000);
    expect(r.ms).toBeLessThan(wait * 1000 + 15_000 * loadFactor());
  }, 60_000);

  it("started before any hub listens, it waits (one line) and creates every stream and bucket at R3 once the hubs' JetStream is ready", async () => {
    const init = latticeInit([plan(), ...HUBS.flatMap((h) => ["--server", url(h)]), "--creds", creds(), "--wait", "180"]);
    // the hubs start only once lattice-init has found none listening
    await waitFor("lattice-init to wait", () => /waiting up to 180 s/.test(init.stderr()), 30_000);
    for (const id of HUBS) startHub(id);
    const r = await init.done;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^lattice-init: waiting up to 180 s for JetStream at .*: hub not accepting connections yet\n$/);
    expect(r.stdout).toMatch(/^lattice wait, replicas 3\n/);
    expect(r.stdout).toMatch(/created {2}stream wadm_events/);
    expect(r.stdout).toMatch(/created {2}kv CONFIGDATA_wait/);
    expect(r.stdout).not.toMatch(/CONFLICT/);
    const nc = await connect({ servers: HUBS.map(url), authenticator: credsAuthenticator(readFileSync(creds())) });
    try {
      const jsm = await jetstreamManager(nc);
      for (const name of ["wadm_events", "wadm_commands", "wadm_event_consumer", "KV_wadm_state", "KV_LATTICEDATA_wait", "KV_CONFIGDATA_wait"]) {
        expect((await jsm.streams.info(name)).config.num_replicas, name).toBe(3);
      }
    } finally {
      await nc.close();
    }
    // and again, at once: everything exists, nothing waits
    const again = await latticeInit([plan(), "--server", url("hub-2"), "--creds", creds(), "--wait", "0"]).done;
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe("");
    expect(again.stdout).not.toMatch(/created/);
  }, 240_000);

  it("does not wait on an error that no wait mends: creds of another operator fail at once, in one line", async () => {
    const stranger = join(root, "stranger");
    const grid = new Grid("live");
    new Lattice(grid, "lattice", { name: "wait", wasmcloud: "v1", hubs: HUBS.map((id) => ({ id, host: "127.0.0.1", bind: "127.0.0.1", ports: { client: ports[id]![0]!, cluster: ports[id]![1]!, leafnode: ports[id]![2]!, monitor: ports[id]![3]! } })) });
    writeOutput(grid.synth({ masterSeed: OTHER_SEED }), stranger);
    if (procs.get("hub-1")?.exitCode !== null) {
      startHub("hub-1");
      await waitFor("hub-1 to listen", () => /Server is ready/.test(readFileSync(join(root, "hub-1.log"), "utf8")), 20_000);
    }
    const r = await latticeInit([plan(), "--server", url("hub-1"), "--creds", join(stranger, "secrets/lattice/admin.creds"), "--wait", "120"]).done;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: lattice-init: ${url("hub-1").replace(/\./g, "\\.")} refused a connection: Authorization Violation; check --creds: [^\n]*\n$`));
    expect(r.ms).toBeLessThan(60_000);
  }, 90_000);
});
