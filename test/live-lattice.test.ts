/**
 * A live lattice on 127.0.0.1 from synthesized configs: three hubs (operator mode, TLS routes and
 * TLS leafnode listener, certificates derived from the master seed) and two leaves dialing out
 * with their generated creds. Real nats-server processes (hubs >= 2.11.16, leaves 2.10+), started and stopped here; every
 * wait is bounded. Only ports and directories are overridden (props made for that).
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import type { MasterSeed } from "../src/core/seed.js";
import { freePorts, httpJson, installHub, installNode, OTHER_SEED, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const nats = realBinary("nats-server");
// hubs run the release the product requires of hubs (>= 2.11.16, which enforce leaf-inbound permissions)
const hubNats = realBinary("nats-server-hub");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const openssl = realBinary("openssl");
const HUBS = ["hub-1", "hub-2", "hub-3"];
const NODES = ["home-1", "home-2"];

interface Layout {
  root: string;
  out: string;
  hubPorts: Record<string, { client: number; cluster: number; leafnode: number; monitor: number }>;
  nodePorts: Record<string, { clientPort: number; monitorPort: number }>;
}

function buildGrid(l: Layout, nodeIds = NODES, revokedNodes: Record<string, Date> = {}): Grid {
  const grid = new Grid("live");
  const lattice = new Lattice(grid, "lattice", {
    name: "live",
    wasmcloud: "v1",
    revokedNodes,
    hubs: HUBS.map((id) => ({
      id,
      host: "127.0.0.1",
      bind: "127.0.0.1",
      ports: l.hubPorts[id],
      storeDir: join(l.root, id, "data"),
      configDir: join(l.root, id, "etc"),
      jetstream: { maxMemory: "64Mi", maxFile: "256Mi" },
    })),
  });
  for (const id of nodeIds) {
    new TlosNode(lattice, id, {
      target: "podman",
      nats: { ...l.nodePorts[id], storeDir: join(l.root, id, "data"), configDir: join(l.root, id, "etc"), jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } },
    });
  }
  return grid;
}

// One named scenario: each step runs on the lattice the steps before it left (the revoke and the
// hub kill come last), so the steps run in order, never alone or shuffled.
describe.skipIf(!nats || !hubNats || !openssl).sequential("scenario: a live lattice from synthesized configs, step by step", () => {
  const procs = new Map<string, ChildProcess>();
  const conns: NatsConnection[] = [];
  let l: Layout;

  function start(name: string, conf: string): void {
    const bin = HUBS.includes(name) ? hubNats : nats;
    procs.set(name, startProcess(bin as string, ["-c", conf], join(l.root, `${name}.log`)));
  }
  const leafzCount = async () => {
    let n = 0;
    for (const id of HUBS) {
      if (procs.get(id)?.exitCode !== null) continue;
      try {
        n += (await httpJson<{ leafnodes: number }>(`http://127.0.0.1:${l.hubPorts[id]?.monitor}/leafz`)).leafnodes;
      } catch { /* hub down */ }
    }
    return n;
  };

  beforeAll(async () => {
    const root = tempDir("tlos-live-");
    const p = await freePorts(HUBS.length * 4 + NODES.length * 2 + 2);
    const hubPorts: Layout["hubPorts"] = {};
    HUBS.forEach((id, i) => (hubPorts[id] = { client: p[i * 4]!, cluster: p[i * 4 + 1]!, leafnode: p[i * 4 + 2]!, monitor: p[i * 4 + 3]! }));
    const nodePorts: Layout["nodePorts"] = {};
    [...NODES, "intruder"].forEach((id, i) => (nodePorts[id] = { clientPort: p[12 + i * 2]!, monitorPort: p[13 + i * 2]! }));
    l = { root, out: join(root, "out"), hubPorts, nodePorts };

    writeOutput(buildGrid(l).synth({ masterSeed: SEED }), l.out);
    // the CA and the hub certificates come from the master seed, in the synth output
    for (const id of HUBS) start(id, installHub(l.out, l.root, id));
    for (const id of NODES) start(id, installNode(l.out, l.root, id));
  }, 90_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all([...procs.values()].map((p) => stopProcess(p)));
  });

  it("step 1: forms a 3-hub cluster with routes and a JetStream meta leader", async () => {
    for (const id of HUBS) {
      await waitFor(`${id} routes`, async () => (await httpJson<{ num_routes: number }>(`http://127.0.0.1:${l.hubPorts[id]?.monitor}/routez`)).num_routes >= 2);
    }
    // the meta group can be elected before the third hub is in; wait until every hub sees all three
    for (const id of HUBS) {
      const jsz = await waitFor(`${id} in a 3-peer meta group with a leader`, async () => {
        const j = await httpJson<{ meta_cluster?: { leader?: string; cluster_size?: number; replicas?: { current?: boolean }[] } }>(`http://127.0.0.1:${l.hubPorts[id]?.monitor}/jsz`);
        return j.meta_cluster?.leader && j.meta_cluster.cluster_size === 3 ? j : undefined;
      }, 60_000, 250);
      expect(jsz.meta_cluster?.cluster_size).toBe(3);
    }
    // the waits above are bounded and grow with the machine's load (waitFor); this covers them
  }, 400_000);

  it("step 2: connects both leaves over TLS with their generated creds", async () => {
    await waitFor("2 leaf connections", async () => (await leafzCount()) === 2, 30_000);
  }, 40_000);

  it("step 3: uses an R3 KV bucket from a leaf through the hub domain, and it lives on the hubs", async () => {
    // the operator creates it (a node may use the lattice's buckets, never create one)
    const adminNc = await connect({ servers: `127.0.0.1:${l.hubPorts["hub-1"]?.client}`, authenticator: credsAuthenticator(readFileSync(join(l.out, "secrets/lattice/admin.creds"))) });
    conns.push(adminNc);
    await waitFor("KV create", () => new Kvm(adminNc).create("LATTICEDATA_live", { replicas: 3 }), 60_000, 500);
    const nc = await connect({ servers: `127.0.0.1:${l.nodePorts["home-1"]?.clientPort}`, name: "test-host" });
    conns.push(nc);
    const jsm = await jetstreamManager(nc, { domain: "hub", checkAPI: false });
    const kv = await new Kvm(jsm.jetstream()).open("LATTICEDATA_live");
    await kv.put("probe", "v1");
    const si = await jsm.streams.info("KV_LATTICEDATA_live");
    expect(si.config.num_replicas).toBe(3);
    expect(si.cluster?.name).toBe("live");
    expect(HUBS).toContain(si.cluster?.leader);
    expect((si.cluster?.replicas ?? []).length + 1).toBe(3);
    // the other leaf sees the same bucket
    const nc2 = await connect({ servers: `127.0.0.1:${l.nodePorts["home-2"]?.clientPort}` });
    conns.push(nc2);
    const kv2 = await new Kvm((await jetstreamManager(nc2, { domain: "hub", checkAPI: false })).jetstream()).open("LATTICEDATA_live");
    expect((await kv2.get("probe"))?.string()).toBe("v1");
  }, 90_000);

  it("step 4: refuses a client with wrong creds and a client using a leaf's creds", async () => {
    const hub = `127.0.0.1:${l.hubPorts["hub-2"]?.client}`;
    // creds signed by the operator of another grid (another master seed)
    const other = buildGrid(l);
    const foreign = other.synth({ masterSeed: OTHER_SEED as MasterSeed }).files.find((f) => f.path.endsWith("home-1/leaf.creds"))!;
    await expect(connect({ servers: hub, authenticator: credsAuthenticator(new TextEncoder().encode(foreign.content)), reconnect: false, timeout: 3000 })).rejects.toThrow(/authoriz/i);
    // a node's leaf creds are LEAFNODE-only: a plain client connection with them is refused
    const leafCreds = readFileSync(join(l.out, "secrets/lattice/nodes/home-1/leaf.creds"));
    await expect(connect({ servers: hub, authenticator: credsAuthenticator(leafCreds), reconnect: false, timeout: 3000 })).rejects.toThrow(/authoriz/i);
  }, 30_000);

  it("step 5: refuses a leaf that dials in with another lattice's node creds", async () => {
    const foreignOut = join(l.root, "foreign");
    writeOutput(buildGrid(l, [...NODES, "intruder"]).synth({ masterSeed: OTHER_SEED }), foreignOut);
    start("intruder", installNode(l.out, l.root, "intruder", { credsFile: join(foreignOut, "secrets/lattice/nodes/intruder/leaf.creds"), configFrom: foreignOut }));
    const log = join(l.root, "intruder.log");
    await waitFor("the hubs to refuse the intruder", () => /Authorization Violation/i.test(readFileSync(log, "utf8")), 15_000);
    expect(await leafzCount()).toBe(2);
    await stopProcess(procs.get("intruder")!);
  }, 30_000);

  it("step 6: pre-creates wadm's streams and the hosts' KV buckets at R3 with tlos lattice-init, idempotently", async () => {
    const hub = `nats://127.0.0.1:${l.hubPorts["hub-3"]?.client}`;
    const creds = join(l.out, "secrets/lattice/admin.creds");
    const plan = join(l.out, "lattice/jetstream.json");
    const run = () => spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "lattice-init", plan, "--server", hub, "--creds", creds, "--wait", "60"], { encoding: "utf8", timeout: 90_000 });
    const first = run();
    expect(first.status, first.stderr + first.stdout).toBe(0);
    expect(first.stdout).toMatch(/created {2}stream wadm_event_consumer/);
    expect(first.stdout).toMatch(/created {2}kv CONFIGDATA_live/);
    expect(first.stdout).toMatch(/exists {3}kv LATTICEDATA_live/); // the earlier test made it
    const nc = await connect({ servers: hub, authenticator: credsAuthenticator(readFileSync(creds)) });
    conns.push(nc);
    const jsm = await jetstreamManager(nc);
    for (const name of ["wadm_events", "wadm_commands", "wadm_status", "wasmbus_events", "wadm_notify", "wadm_event_consumer", "KV_wadm_state", "KV_wadm_manifests", "KV_LATTICEDATA_live", "KV_CONFIGDATA_live"]) {
      expect((await jsm.streams.info(name)).config.num_replicas, name).toBe(3);
    }
    const consumer = (await jsm.streams.info("wadm_event_consumer")).config;
    expect(consumer.sources?.map((x) => [x.name, x.subject_transforms?.[0]?.dest])).toEqual([
      ["wasmbus_events", "wadm_event_consumer.evt.{{wildcard(1)}}.>"],
      ["wadm_events", "wadm_event_consumer.evt.{{wildcard(1)}}.>"],
    ]);
    const again = run();
    expect(again.status).toBe(0);
    expect(again.stdout).not.toMatch(/created/);
    expect(again.stdout).toMatch(/exists {3}stream wadm_commands/);
  }, 200_000);

  it("step 7: answers a host on a leaf through the hubs with the policy responder on its least-privilege creds", async () => {
    const { startPolicyResponder } = await import("../src/cli/policy-responder.js");
    const policyCreds = join(l.out, "secrets/lattice/policy.creds");
    const issuer = readFileSync(join(l.out, "lattice/hubs/hub-1/systemd/tlos-policy-hub-1.service"), "utf8").match(/--trusted (A[A-Z2-7]{55})/)?.[1];
    expect(issuer).toBeDefined();
    const responder = await startPolicyResponder({ servers: [`nats://127.0.0.1:${l.hubPorts["hub-2"]?.client}`], credsFile: policyCreds, topic: "wasmcloud.policy.live", trusted: [issuer!] });
    try {
      const host = await connect({ servers: `127.0.0.1:${l.nodePorts["home-2"]?.clientPort}` });
      conns.push(host);
      const ask = async (claims: unknown) => JSON.parse((await waitFor("policy answer", () => host.request("wasmcloud.policy.live", JSON.stringify({ requestId: "q", kind: "startComponent", version: "v1", request: { componentId: "c", imageRef: "x", maxInstances: 1, annotations: {}, claims }, host: { publicKey: "N", lattice: "live", labels: {} } }), { timeout: 2000 }), 10_000, 300)).string());
      expect(await ask({ issuer, expired: false })).toEqual({ requestId: "q", permitted: true });
      expect((await ask(null)).permitted).toBe(false);
      // the responder's creds allow nothing else: publishing elsewhere is a permissions violation
      const spy = await connect({ servers: `nats://127.0.0.1:${l.hubPorts["hub-2"]?.client}`, authenticator: credsAuthenticator(readFileSync(policyCreds)) });
      conns.push(spy);
      const errors: string[] = [];
      (async () => { for await (const s of spy.status()) if (s.type === "error") errors.push(String((s as { error?: unknown }).error ?? s.type)); })();
      spy.publish("wasmbus.ctl.v1.live.host.stop.x", "");
      await waitFor("permissions violation", () => errors.some((e) => /Permissions Violation/i.test(e)), 5000);
    } finally {
      await responder.close();
    }
  }, 40_000);

  it("step 8: revokes a removed node: tlos claims push reaches every hub, its leaf is cut off, the others stay", async () => {
    await waitFor("both leaves attached", async () => (await leafzCount()) === 2, 30_000);
    const after = join(l.root, "after-revoke");
    writeOutput(buildGrid(l, ["home-1"], { "home-2": new Date("2026-11-27T00:00:00Z") }).synth({ masterSeed: SEED }), after);
    const pushTo = (hub: string) => spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "claims", "push", join(after, "lattice/account.jwt"), "--server", `nats://127.0.0.1:${l.hubPorts[hub]?.client}`, "--creds", join(l.out, "secrets/lattice/sys.creds")], { encoding: "utf8", timeout: 30_000 });
    const push = pushTo("hub-1");
    expect(push.status, push.stderr + push.stdout).toBe(0);
    expect(push.stdout.match(/stored {2}hub-\d/g)?.sort()).toEqual(["stored  hub-1", "stored  hub-2", "stored  hub-3"]);
    await waitFor("the revoked leaf to be dropped", async () => (await leafzCount()) === 1, 30_000);
    const leafz = await Promise.all(HUBS.map((id) => httpJson<{ leafs?: { name?: string }[] }>(`http://127.0.0.1:${l.hubPorts[id]?.monitor}/leafz`)));
    expect(leafz.flatMap((z) => z.leafs ?? []).map((x) => x.name)).toEqual(["home-1"]);
    // it keeps dialing and is refused; its own log says why
    await waitFor("home-2 refused on re-dial", () => /Authorization Violation|revoked/i.test(readFileSync(join(l.root, "home-2.log"), "utf8")), 15_000);
    // home-1 is untouched: the lattice still works through it
    const kv = await new Kvm((await jetstreamManager(conns[1]!, { domain: "hub", checkAPI: false })).jetstream()).open("LATTICEDATA_live");
    expect(await kv.put("after-revoke", "ok")).toBeGreaterThan(0);
    // the same push again changes nothing and is still accepted
    const again = pushTo("hub-2");
    expect(again.status, again.stderr + again.stdout).toBe(0);
  }, 90_000);

  it("step 9: keeps the R3 bucket readable and writable after one hub is killed", async () => {
    await stopProcess(procs.get("hub-1")!, "SIGKILL");
    const nc = conns[1]!;
    // the leaf may have been attached to hub-1; it re-dials the others within seconds
    const kv = await waitFor("the bucket after losing hub-1", async () => {
      const b = await new Kvm((await jetstreamManager(nc, { domain: "hub", checkAPI: false })).jetstream()).open("LATTICEDATA_live");
      return (await b.put("after", "v2")) > 0 ? b : undefined;
    }, 30_000, 500);
    expect((await kv.get("after"))?.string()).toBe("v2");
    expect((await kv.get("probe"))?.string()).toBe("v1");
  }, 45_000);
});
