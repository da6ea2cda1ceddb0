/**
 * A one-machine lattice (`mode: "single"`): one hub in operator mode with TLS leafnodes and
 * standalone JetStream (R1), the same node units, a warning that it has no fault tolerance — run
 * for real with nats-server (a leaf dials it over TLS with its creds; the operator creates the R1
 * buckets with `lattice-init`, the leaf writes and reads one through the hub domain) — and
 * growing to three hubs keeps every credential byte for byte.
 */
import type { ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import type { Artifact } from "../src/synth/artifact.js";
import { applyJetStreamPlan, readPlan } from "../src/cli/lattice-init.js";
import { freePorts, httpJson, loadFactor, problemsOf, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const nats = realBinary("nats-server");
const hubNats = realBinary("nats-server-hub");
const HUB = { id: "hub-1", host: "hub-1.grid.example.net" };

function grid(mode: "single" | "cluster"): Grid {
  const g = new Grid("lab");
  const hubs = mode === "single" ? [HUB] : [HUB, { id: "hub-2", host: "hub-2.grid.example.net" }, { id: "hub-3", host: "hub-3.grid.example.net" }];
  const l = new Lattice(g, "lattice", { name: "lab", mode, hubs, wasmcloud: "v1" });
  new TlosNode(l, "home-1", { target: "podman" });
  return g;
}

describe("mode: single", () => {
  it("emits one standalone hub (no cluster block, no cluster port), R1 JetStream assets, and warns", () => {
    const r = grid("single").synth({ masterSeed: SEED });
    const f = (p: string) => r.files.find((x) => x.path === p)?.content ?? "";
    const conf = f("lattice/hubs/hub-1/quadlet/hub-1-nats.conf");
    expect(conf).not.toMatch(/^cluster:/m);
    expect(conf).toMatch(/^operator: /m);
    expect(conf).toMatch(/leafnodes: \{\n {2}listen: "0\.0\.0\.0:7422"\n {2}advertise: "hub-1\.grid\.example\.net:7422"\n {2}tls: \{/);
    expect(f("lattice/hubs/hub-1/quadlet/hub-1.pod")).not.toMatch(/PublishPort=6222/);
    expect(f("lattice/hubs/hub-1/quadlet/hub-1.pod")).toMatch(/PublishPort=7422:7422\/tcp/);
    expect((JSON.parse(f("lattice/jetstream.json")) as { replicas: number }).replicas).toBe(1);
    expect(r.warnings.map((w) => `${w.path} ${w.field}: ${w.message}`)).toContainEqual(expect.stringMatching(/^lab\/lattice mode: a single-hub lattice has no fault tolerance/));
    // the node's units are the same as in a cluster lattice, but for the hubs they dial
    const three = grid("cluster").synth({ masterSeed: SEED }).files;
    for (const u of ["home-1.pod", "home-1-nats.container", "home-1-wasmcloud.container", "home-1-jetstream.volume"]) {
      expect(f(`lattice/nodes/home-1/quadlet/${u}`), u).toBe(three.find((x) => x.path === `lattice/nodes/home-1/quadlet/${u}`)?.content);
    }
  });

  it("refuses two hubs in single mode and an unknown mode", () => {
    expect(problemsOf(() => {
      const g = new Grid("lab");
      const l = new Lattice(g, "lattice", { mode: "single", hubs: [HUB, { id: "hub-2", host: "hub-2.example.net" }] });
      new TlosNode(l, "home-1", { target: "podman" });
      return g.synth({ masterSeed: SEED });
    })).toEqual([expect.stringMatching(/^\[lab\/lattice\] hubs: 2 hubs given for mode "single": give exactly one hub/)]);
    expect(problemsOf(() => {
      const g = new Grid("lab");
      new Lattice(g, "lattice", { mode: "solo" as "single", hubs: [HUB] });
      return g.synth({ masterSeed: SEED });
    })).toContainEqual(expect.stringMatching(/^\[lab\/lattice\] mode: "solo" is not a lattice mode/));
  });

  it("growing to three hubs keeps every credential: operator, account, system, admin, leaf, host seed, CA and hub-1's certificate", () => {
    const one = new Map(grid("single").synth({ masterSeed: SEED }).files.map((x: Artifact) => [x.path, x.content]));
    const three = new Map(grid("cluster").synth({ masterSeed: SEED }).files.map((x: Artifact) => [x.path, x.content]));
    const kept = [
      "lattice/hubs/hub-1/quadlet/hub-1-operator.jwt", "lattice/account.jwt", "secrets/lattice/sys.creds", "secrets/lattice/admin.creds",
      "secrets/lattice/wadm.creds", "secrets/lattice/policy.creds", "secrets/lattice/issuer.nk", "secrets/lattice/nodes/home-1/leaf.creds",
      "secrets/lattice/nodes/home-1/host.seed", "lattice/tls/ca.pem", "secrets/lattice/tls/ca-key.pem", "lattice/tls/hub-1.pem", "secrets/lattice/tls/hub-1-key.pem",
    ];
    for (const p of kept) {
      expect(one.get(p), p).toBeDefined();
      expect(three.get(p), p).toBe(one.get(p));
    }
  });
});

describe.skipIf(!nats || !hubNats)("a single-hub lattice, live", () => {
  const procs: ChildProcess[] = [];
  const conns: NatsConnection[] = [];
  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    for (const p of procs) await stopProcess(p);
  });

  it("a leaf dials the single hub over TLS with its creds and keeps an R1 KV bucket in the hub's domain", async () => {
    const root = tempDir("tlos-single-");
    const [client, leafnode, monitor, nodeClient, nodeMonitor] = await freePorts(5);
    const g = new Grid("lab");
    const l = new Lattice(g, "lattice", {
      name: "lab", mode: "single", wasmcloud: "v1",
      hubs: [{ id: "hub-1", host: "127.0.0.1", bind: "127.0.0.1", ports: { client: client!, leafnode: leafnode!, monitor: monitor! }, storeDir: join(root, "hub", "data"), configDir: join(root, "hub", "etc"), jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } }],
    });
    new TlosNode(l, "home-1", { target: "podman", nats: { clientPort: nodeClient!, monitorPort: nodeMonitor!, storeDir: join(root, "node", "data"), configDir: join(root, "node", "etc"), jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } } });
    const out = join(root, "out");
    writeOutput(g.synth({ masterSeed: SEED }), out);
    // put the bundle files where the Podman secrets and mounts would
    const etc = join(root, "hub", "etc");
    mkdirSync(join(etc, "tls"), { recursive: true });
    copyFileSync(join(out, "hosts/hub-1/units/hub-1-operator.jwt"), join(etc, "operator.jwt"));
    copyFileSync(join(out, "hosts/hub-1/files/ca.pem"), join(etc, "tls/ca.pem"));
    copyFileSync(join(out, "hosts/hub-1/files/tls-cert.pem"), join(etc, "tls/server.pem"));
    copyFileSync(join(out, "hosts/hub-1/secrets/tls-key.pem"), join(etc, "tls/server-key.pem"));
    const netc = join(root, "node", "etc");
    mkdirSync(join(netc, "tls"), { recursive: true });
    copyFileSync(join(out, "hosts/home-1/secrets/leaf.creds"), join(netc, "leaf.creds"));
    copyFileSync(join(out, "hosts/home-1/files/ca.pem"), join(netc, "tls/ca.pem"));
    procs.push(startProcess(hubNats!, ["-c", join(out, "hosts/hub-1/units/hub-1-nats.conf")], join(root, "hub.log")));
    procs.push(startProcess(nats!, ["-c", join(out, "hosts/home-1/units/home-1-nats.conf")], join(root, "node.log")));
    const leafz = await waitFor("the leaf on the hub", async () => {
      const z = await httpJson<{ leafnodes: number; leafs?: { account?: string }[] }>(`http://127.0.0.1:${monitor}/leafz`);
      return z.leafnodes === 1 ? z : undefined;
    }, 30_000);
    expect(leafz.leafs?.[0]?.account).toMatch(/^A/);
    // PLAN.md's operator step: the lattice's buckets, R1, created with the admin creds on the hub
    // (it waits, bounded, while the hub's JetStream is not ready for the account; any other error fails at once)
    const init = await applyJetStreamPlan(readPlan(join(out, "lattice/jetstream.json")), { servers: [`127.0.0.1:${client}`], credsFile: join(out, "secrets/lattice/admin.creds"), waitSeconds: Math.round(30 * loadFactor()) });
    expect(init.created).toContain("kv LATTICEDATA_lab");
    // an app next to the leaf (no creds on its loopback port): the bucket through the hub domain,
    // as the host's KV client reaches it ($JS.hub.API.$KV.<bucket>.<key>)
    const nc = await connect({ servers: `127.0.0.1:${nodeClient}` });
    conns.push(nc);
    const js = jetstream(nc, { domain: "hub", timeout: 5000, checkAPI: false });
    const kv = await waitFor("the hub's bucket from the leaf", () => new Kvm(js).open("LATTICEDATA_lab").catch(() => undefined), 30_000, 500);
    await kv.put("probe", "v1");
    expect((await kv.get("probe"))?.string()).toBe("v1");
    // a bare $KV publish stays in the leaf's own domain: no stream there, so no responder
    const bare = await js.publish("$KV.LATTICEDATA_lab.bare", "x").then(() => "stored", (e: Error) => e.message);
    expect(bare).toMatch(/jetstream is not enabled|no responders/i);
    // the leaf may use the lattice's buckets, never make one
    const refused = await new Kvm(js).create("MINE_lab", { replicas: 1 }).then(() => "created", (e: Error) => e.message);
    expect(refused).not.toBe("created");
    const jsm = await jetstreamManager(nc, { domain: "hub", timeout: 5000, checkAPI: false });
    expect((await jsm.streams.info("KV_LATTICEDATA_lab")).config.num_replicas).toBe(1);
    // the bucket lives on the hub (domain hub), not on the leaf
    const hubJsz = await httpJson<{ streams: number; messages: number }>(`http://127.0.0.1:${monitor}/jsz`);
    expect(hubJsz.streams).toBe(init.created.length);
    expect(hubJsz.messages).toBe(1);
    expect((await httpJson<{ streams: number }>(`http://127.0.0.1:${nodeMonitor}/jsz`)).streams).toBe(0);
    expect(readFileSync(join(root, "hub.log"), "utf8")).not.toMatch(/\[ERR\].*TLS/);
  }, 60_000);
});
