/**
 * Attacks on a live v1 lattice built from synthesized configs, on 127.0.0.1: three TLS hubs
 * (nats-server >= 2.11.16, which checks what a leaf sends), two node leaves (home-1, home-2) and a
 * GPU pool's leaf, each dialing out with its generated creds. The attacker holds node home-1: a
 * client on home-1's leaf (what a component or host there can do) and home-1's leaf creds used
 * directly on the leaf protocol (what a thief of `leaf.creds` can do). The legitimate flows run in
 * the same lattice at the same time. No wasmCloud host, wadm or GPU binary runs here: nats.js
 * clients speak their subjects (from the upstream source cited in src/nats/roles.ts), so what is
 * checked is the real nats-server enforcing the minted permissions. Every wait is bounded; every
 * process is started and stopped here.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect as netConnect } from "node:net";
import { connect as tlsConnect } from "node:tls";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { fromSeed } from "@nats-io/nkeys";
import { AkashGpuPool, Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { hostKeyPair, latticeClientCreds } from "../src/nats/auth.js";
import { leafFindings, type Leafz } from "../src/nats/leaf-check.js";
import { aiInboxPrefix, aiRouterRole } from "../src/nats/roles.js";
import { freePorts, httpJson, loadFactor, realBinary, SEED, settle, startProcess, stopProcess, tempDir, waitFor, derivedTls, installHub, installNode, bareLeaf } from "./helpers.js";

const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");
const openssl = realBinary("openssl");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBS = ["hub-1", "hub-2", "hub-3"];
const NODES = ["home-1", "home-2"];
const POOL = "gpu-1";
/** The longest lattice name: its node JWT (5.7 KB) outgrows the 4 KiB CONNECT line a hub accepts by default. */
const L = `live-${"x".repeat(58)}`;
const te = new TextEncoder();

interface Ports { hub: Record<string, { client: number; cluster: number; leafnode: number; monitor: number }>; leaf: Record<string, { clientPort: number; monitorPort: number }> }

function buildGrid(root: string, ports: Ports, limits: Record<string, number> = {}): Grid {
  const grid = new Grid("attacks");
  const lattice = new Lattice(grid, "lattice", {
    name: L,
    wasmcloud: "v1",
    limits,
    hubs: HUBS.map((id) => ({ id, host: "127.0.0.1", bind: "127.0.0.1", ports: ports.hub[id], storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } })),
  });
  for (const id of NODES) {
    new TlosNode(lattice, id, { target: "podman", nats: { ...ports.leaf[id], storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } } });
  }
  new AkashGpuPool(lattice, POOL, { gpu: { model: "h100", units: 1 }, inference: { model: "org/model" }, pricing: { denom: "uakt", amount: 1000 } });
  return grid;
}

/** A client on a leaf's loopback port: what a host, provider or component on that node is. */
const onLeaf = (port: number, name: string) => connect({ servers: `127.0.0.1:${port}`, name, reconnect: false });

/** Collects every message a subscription gets; `stop()` ends it. */
function collect(nc: NatsConnection, subject: string): { msgs: Msg[]; stop: () => void } {
  const sub = nc.subscribe(subject);
  const msgs: Msg[] = [];
  void (async () => { for await (const m of sub) msgs.push(m); })().catch(() => undefined);
  return { msgs, stop: () => sub.unsubscribe() };
}

/**
 * A thief of a leaf's creds who skips the leaf server and speaks the leafnode protocol to a hub
 * himself (TLS, CONNECT with the JWT and the nonce signature, then LMSG/LS+ as he likes).
 */
async function rawLeaf(port: number, ca: string, credsText: string): Promise<{ send: (subject: string, payload: string, reply?: string) => void; sub: (subject: string) => void; received: () => string; close: () => void }> {
  const jwt = /-----BEGIN NATS USER JWT-----\n(\S+)\n/.exec(credsText)![1]!;
  const seed = /-----BEGIN USER NKEY SEED-----\n(\S+)\n/.exec(credsText)![1]!;
  const kp = fromSeed(te.encode(seed));
  // the hub sends INFO in the clear, then the client upgrades to TLS
  const plain = netConnect({ host: "127.0.0.1", port });
  let first = "";
  plain.on("data", (d) => (first += d.toString()));
  const info = await waitFor("hub INFO", () => /^INFO (\{.*\}) *\r\n/m.exec(first)?.[1], 10_000, 50);
  plain.removeAllListeners("data");
  const sock = tlsConnect({ socket: plain, ca: readFileSync(ca), servername: "127.0.0.1" });
  let buf = "";
  let pings = 0;
  sock.on("data", (d) => {
    buf += d.toString();
    const n = buf.match(/^PING\r\n/gm)?.length ?? 0;
    for (; pings < n; pings++) sock.write("PONG\r\n");
  });
  sock.on("error", () => undefined);
  await new Promise((r) => sock.once("secureConnect", r));
  const nonce = (JSON.parse(info) as { nonce: string }).nonce;
  const sig = Buffer.from(kp.sign(te.encode(nonce))).toString("base64url");
  sock.write(`CONNECT ${JSON.stringify({ jwt, sig, tls_required: true, name: "thief", headers: true })}\r\nPING\r\n`);
  await waitFor("PONG from the hub", () => /PONG\r\n/.test(buf) || /-ERR/.test(buf), 10_000, 50);
  if (/-ERR/.test(buf)) throw new Error(buf);
  return {
    send: (subject, payload, reply) => sock.write(`LMSG ${subject} ${reply ? `${reply} ` : ""}${Buffer.byteLength(payload)}\r\n${payload}\r\n`),
    sub: (subject) => sock.write(`LS+ ${subject}\r\n`),
    received: () => buf,
    close: () => sock.destroy(),
  };
}

describe.skipIf(!hubBin || !leafBin || !openssl)("attacks on a live v1 lattice with least-privilege identities", () => {
  const procs = new Map<string, ChildProcess>();
  const conns: NatsConnection[] = [];
  let root = "";
  let out = "";
  let tls = "";
  let ports: Ports;
  let admin: NatsConnection;
  let wadm: NatsConnection;
  let host1: NatsConnection;
  let host2: NatsConnection;
  let attacker: NatsConnection;
  let responder: { close(): Promise<void> } | undefined;
  const H1 = hostKeyPair(SEED, "attacks/lattice", "home-1").getPublicKey();
  const H2 = hostKeyPair(SEED, "attacks/lattice", "home-2").getPublicKey();
  const hubUrl = (id = "hub-2") => `nats://127.0.0.1:${ports.hub[id]!.client}`;
  const credsOf = (rel: string) => readFileSync(join(out, "secrets/lattice", rel));
  const as = async (rel: string, name: string) => {
    const nc = await connect({ servers: hubUrl(), name, authenticator: credsAuthenticator(credsOf(rel)) });
    conns.push(nc);
    return nc;
  };
  const start = (name: string, bin: string, conf: string) => procs.set(name, startProcess(bin, ["-c", conf], join(root, `${name}.log`)));
  const leafz = () => Promise.all(HUBS.filter((id) => procs.get(id)?.exitCode === null).map((id) => httpJson<Leafz>(`http://127.0.0.1:${ports.hub[id]!.monitor}/leafz`)));
  const leafCount = async () => (await leafz()).reduce((n, z) => n + (z.leafs?.length ?? 0), 0);

  /** Waits until `spy` hears `<prefix>.<hub>` published at every hub: its interest has spread to all of them. */
  async function heardAtEveryHub(spy: { msgs: Msg[] }, prefix: string): Promise<void> {
    const probes = await Promise.all(HUBS.map((id) => connect({ servers: `nats://127.0.0.1:${ports.hub[id]!.client}`, name: `probe-${id}`, authenticator: credsAuthenticator(credsOf("admin.creds")) })));
    try {
      await waitFor(`${prefix} heard from every hub`, async () => {
        HUBS.forEach((id, i) => probes[i]!.publish(`${prefix}.${id}`, "probe"));
        await Promise.all(probes.map((p) => p.flush()));
        await settle(100);
        return HUBS.every((id) => spy.msgs.some((m) => m.subject === `${prefix}.${id}`));
      }, 20_000, 100);
    } finally {
      await Promise.all(probes.map((p) => p.close()));
    }
  }

  /** Starts a leaf dialing the hubs with `credsFile` (the pool's leaf: its config as the SDL carries it, with local paths). */
  function startLeaf(name: string, credsText: string, port: number, monitor: number): void {
    start(name, leafBin!, bareLeaf(join(root, name), { serverName: name, clientPort: port, monitorPort: monitor, hubs: HUBS.map((h) => `127.0.0.1:${ports.hub[h]!.leafnode}`), creds: credsText, caFile: join(tls, "ca.pem") }));
  }

  beforeAll(async () => {
    root = tempDir("tlos-attacks-");
    out = join(root, "out");
    tls = join(root, "tls");
    const p = await freePorts(HUBS.length * 4 + 8);
    ports = { hub: {}, leaf: {} };
    HUBS.forEach((id, i) => (ports.hub[id] = { client: p[i * 4]!, cluster: p[i * 4 + 1]!, leafnode: p[i * 4 + 2]!, monitor: p[i * 4 + 3]! }));
    ["home-1", "home-2", POOL, "clone"].forEach((id, i) => (ports.leaf[id] = { clientPort: p[12 + i * 2]!, monitorPort: p[13 + i * 2]! }));
    writeOutput(buildGrid(root, ports).synth({ masterSeed: SEED }), out);
    // the CA and hub certificates derived from the master seed, as the hubs' bundles carry them
    derivedTls(out, tls, HUBS);
    for (const id of HUBS) start(id, hubBin!, installHub(out, root, id));
    for (const id of NODES) start(id, leafBin!, installNode(out, root, id));
    // the GPU pool's leaf creds, taken from its deployable SDL as the Akash provider would see them
    const sdl = readFileSync(join(out, `secrets/lattice/akash/${POOL}/deploy.yaml`), "utf8");
    const poolCreds = Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sdl)![1]!, "base64").toString();
    startLeaf(POOL, poolCreds, ports.leaf[POOL]!.clientPort, ports.leaf[POOL]!.monitorPort);

    for (const id of HUBS) {
      await waitFor(`${id} in a 3-peer meta group`, async () => {
        const j = await httpJson<{ meta_cluster?: { leader?: string; cluster_size?: number } }>(`http://127.0.0.1:${ports.hub[id]!.monitor}/jsz`);
        return Boolean(j.meta_cluster?.leader) && j.meta_cluster?.cluster_size === 3;
      }, 60_000, 250);
    }
    await waitFor("3 leaves attached", async () => (await leafCount()) === 3, 30_000);
    // the operator pre-creates the lattice's streams and buckets, plus another app's bucket
    const init = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "lattice-init", join(out, "lattice/jetstream.json"), "--server", hubUrl("hub-1"), "--creds", join(out, "secrets/lattice/admin.creds"), "--wait", "60"], { encoding: "utf8", timeout: 90_000 });
    expect(init.status, init.stderr + init.stdout).toBe(0);
    admin = await as("admin.creds", "admin");
    const kvm = new Kvm((await jetstreamManager(admin)).jetstream());
    await (await kvm.create("app-data", { replicas: 3 })).put("secret", "app's own value");
    await (await kvm.open(`CONFIGDATA_${L}`)).put("cfg-1", JSON.stringify({ greeting: "hello" }));
    wadm = await as("wadm.creds", "wadm");
    host1 = await onLeaf(ports.leaf["home-1"]!.clientPort, "host-home-1");
    host2 = await onLeaf(ports.leaf["home-2"]!.clientPort, "host-home-2");
    attacker = await onLeaf(ports.leaf["home-1"]!.clientPort, "component-on-home-1");
    conns.push(host1, host2, attacker);
  }, 180_000);

  afterAll(async () => {
    await responder?.close().catch(() => undefined);
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all([...procs.values()].map((p) => stopProcess(p)));
  });

  const policyRequest = (claims: unknown) => JSON.stringify({ requestId: "r", kind: "startComponent", version: "v1", request: { componentId: "c", imageRef: "ghcr.io/x/unsigned:1", maxInstances: 1, annotations: {}, claims }, host: { publicKey: H2, lattice: L, labels: {} } });

  it("attack 3: with no responder running, the attacker neither sees nor answers home-2's policy request (fail closed)", async () => {
    const spy = collect(attacker, `wasmcloud.policy.${L}`);
    // the attacker also answers blindly on every inbox it can see
    const inboxes = collect(attacker, "_INBOX.>");
    await settle();
    await expect(host2.request(`wasmcloud.policy.${L}`, policyRequest(null), { timeout: 1500 })).rejects.toThrow(/no responders|timeout/i);
    spy.stop(); inboxes.stop();
    expect(spy.msgs).toHaveLength(0);
  }, 20_000);

  it("legit: home-2's policy request reaches the responder and is answered by it; the attacker's forged answer never arrives", async () => {
    const { startPolicyResponder } = await import("../src/cli/policy-responder.js");
    const issuer = readFileSync(join(out, "lattice/hubs/hub-1/systemd/tlos-policy-hub-1.service"), "utf8").match(/--trusted (A[A-Z2-7]{55})/)![1]!;
    responder = await startPolicyResponder({ servers: [hubUrl()], credsFile: join(out, "secrets/lattice/policy.creds"), topic: `wasmcloud.policy.${L}`, trusted: [issuer] });
    // the attacker subscribes to the policy topic (as a queue member too) to answer {"permitted":true}
    const forged: number[] = [];
    for (const opts of [{}, { queue: "tlos-policy" }]) {
      const s = attacker.subscribe(`wasmcloud.policy.${L}`, opts);
      void (async () => { for await (const m of s) { forged.push(1); m.respond(JSON.stringify({ requestId: "r", permitted: true })); } })().catch(() => undefined);
    }
    await settle();
    for (let n = 0; n < 5; n++) {
      const r = JSON.parse((await waitFor("policy answer", () => host2.request(`wasmcloud.policy.${L}`, policyRequest(null), { timeout: 2000 }), 15_000, 300)).string()) as { permitted: boolean };
      expect(r.permitted).toBe(false);
    }
    const ok = JSON.parse((await host2.request(`wasmcloud.policy.${L}`, policyRequest({ issuer, expired: false }), { timeout: 3000 })).string()) as { permitted: boolean };
    expect(ok.permitted).toBe(true);
    expect(forged).toHaveLength(0);
  }, 40_000);

  it("legit: wadm's control command reaches the host it targets; attack 2: the attacker's command does not", async () => {
    const got: string[] = [];
    const s = host2.subscribe(`wasmbus.ctl.v1.${L}.component.scale.${H2}`);
    void (async () => { for await (const m of s) { got.push(m.string()); m.respond(JSON.stringify({ success: true })); } })().catch(() => undefined);
    await host2.flush();
    await settle();
    const reply = await waitFor("wadm's scale command answered", () => wadm.request(`wasmbus.ctl.v1.${L}.component.scale.${H2}`, JSON.stringify({ from: "wadm" }), { timeout: 2000 }), 15_000, 300);
    expect(JSON.parse(reply.string())).toEqual({ success: true });
    // from home-1's loopback, and from home-1's creds spoken directly to a hub
    attacker.publish(`wasmbus.ctl.v1.${L}.component.scale.${H2}`, JSON.stringify({ from: "attacker" }));
    await expect(attacker.request(`wasmbus.ctl.v1.${L}.host.stop.${H2}`, "{}", { timeout: 1000 })).rejects.toThrow(/no responders|timeout/i);
    const thief = await rawLeaf(ports.hub["hub-1"]!.leafnode, join(tls, "ca.pem"), credsOf("nodes/home-1/leaf.creds").toString());
    thief.send(`wasmbus.ctl.v1.${L}.component.scale.${H2}`, JSON.stringify({ from: "thief" }));
    await settle(1500);
    thief.close();
    expect(got).toEqual([JSON.stringify({ from: "wadm" })]);
    // the hub says why (the leaf-protocol thief is refused by the hub itself, not by a leaf)
    expect(thief.received()).toContain(`Permissions Violation for Publish to "wasmbus.ctl.v1.${L}.component.scale`);
  }, 40_000);

  it("attack 1: subscribing to '>' on home-1 shows nothing of home-2's events, per-host control, policy, wadm or JetStream traffic", async () => {
    const all = collect(attacker, ">");
    const thief = await rawLeaf(ports.hub["hub-3"]!.leafnode, join(tls, "ca.pem"), credsOf("nodes/home-1/leaf.creds").toString());
    for (const s of [">", `wasmbus.evt.${L}.>`, "$JS.>", `wasmbus.ctl.v1.${L}.component.scale.${H2}`, `wadm.api.${L}.>`]) thief.sub(s);
    await settle();
    // traffic of home-2, wadm and the operator
    host2.publish(`wasmbus.evt.${L}.host_heartbeat`, JSON.stringify({ host: H2 }));
    wadm.publish(`wasmbus.ctl.v1.${L}.component.scale.${H2}`, "{}");
    wadm.publish(`wadm.api.${L}.model.list`, "{}");
    await host2.request(`wasmcloud.policy.${L}`, policyRequest(null), { timeout: 3000 });
    const kv2 = await new Kvm((await jetstreamManager(host2, { domain: "hub", checkAPI: false })).jetstream()).open(`LATTICEDATA_${L}`);
    await kv2.put("home-2-claims", "from home-2");
    await (await new Kvm((await jetstreamManager(admin)).jetstream()).open("app-data")).put("secret", "app's own value");
    await settle(1500);
    all.stop();
    const seen = all.msgs.map((m) => m.subject);
    const forbidden = seen.filter((s) => s.startsWith("wasmbus.evt.") || s.endsWith(H2) || s.startsWith("wasmcloud.policy.") || s.startsWith("wadm.") || s.startsWith("$JS.") || s.includes("app-data"));
    expect(forbidden).toEqual([]);
    const raw = thief.received();
    thief.close();
    expect(raw).not.toMatch(/LMSG (wasmbus\.evt|wadm\.|\$JS|wasmcloud\.policy)/);
    // (the hub's -ERR lines name the refused subscriptions; no message on them arrived)
    expect(raw).not.toMatch(new RegExp(`LMSG \\S*${H2}`));
  }, 40_000);

  it("legit: a host reads its config bucket and writes the lattice bucket in the hub domain", async () => {
    const kvm = new Kvm((await jetstreamManager(host1, { domain: "hub", checkAPI: false })).jetstream());
    const cfg = await kvm.open(`CONFIGDATA_${L}`);
    expect((await cfg.get("cfg-1"))?.string()).toBe(JSON.stringify({ greeting: "hello" }));
    const lat = await kvm.open(`LATTICEDATA_${L}`);
    await lat.put(`claims_${H1}`, "signed claims");
    expect((await lat.get(`claims_${H1}`))?.string()).toBe("signed claims");
  }, 30_000);

  it("attack 4: home-1 cannot read, overwrite or delete another app's bucket, nor wadm's", async () => {
    const jsm = await jetstreamManager(attacker, { domain: "hub", timeout: 1500, checkAPI: false });
    await expect(jsm.streams.info("KV_app-data")).rejects.toThrow();
    await expect(jsm.streams.info("KV_wadm_state")).rejects.toThrow();
    await expect(jsm.streams.delete("KV_app-data")).rejects.toThrow();
    await expect(jsm.streams.purge("KV_app-data")).rejects.toThrow();
    await expect(jsm.streams.delete(`KV_LATTICEDATA_${L}`)).rejects.toThrow();
    await expect(jsm.streams.purge(`KV_CONFIGDATA_${L}`)).rejects.toThrow();
    // direct writes by every subject a KV put can take, from the loopback and as a thief
    attacker.publish("$KV.app-data.secret", "overwritten");
    attacker.publish("$JS.hub.API.$KV.app-data.secret", "overwritten");
    const thief = await rawLeaf(ports.hub["hub-2"]!.leafnode, join(tls, "ca.pem"), credsOf("nodes/home-1/leaf.creds").toString());
    thief.send("$KV.app-data.secret", "overwritten by thief");
    thief.send("$JS.hub.API.STREAM.DELETE.KV_app-data", "", "_INBOX.thief.1");
    thief.send("$JS.hub.API.DIRECT.GET.KV_app-data.$KV.app-data.secret", "", "_INBOX.thief.2");
    thief.sub("_INBOX.thief.>");
    await settle(1500);
    expect(thief.received()).not.toContain("app's own value");
    thief.close();
    const kv = await new Kvm((await jetstreamManager(admin)).jetstream()).open("app-data");
    expect((await kv.get("secret"))?.string()).toBe("app's own value");
    const info = await (await jetstreamManager(admin)).streams.info("KV_app-data");
    expect(info.state.messages).toBe(info.state.messages); // still exists
  }, 30_000);

  it("attack 5: home-1 cannot create a stream on the hubs (no storage exhaustion)", async () => {
    const jsm = await jetstreamManager(attacker, { domain: "hub", timeout: 1500, checkAPI: false });
    await expect(jsm.streams.add({ name: "evil", subjects: ["evil.>"], num_replicas: 3 })).rejects.toThrow();
    await expect(new Kvm(jsm.jetstream()).create("evil-kv", { replicas: 3 })).rejects.toThrow();
    const thief = await rawLeaf(ports.hub["hub-1"]!.leafnode, join(tls, "ca.pem"), credsOf("nodes/home-1/leaf.creds").toString());
    thief.send("$JS.hub.API.STREAM.CREATE.evil2", JSON.stringify({ name: "evil2", subjects: ["evil2.>"], num_replicas: 3 }), "_INBOX.thief.3");
    await settle(1500);
    thief.close();
    const names: string[] = [];
    for await (const n of (await jetstreamManager(admin)).streams.names()) names.push(n);
    expect(names.filter((n) => n.startsWith("evil") || n.startsWith("KV_evil"))).toEqual([]);
  }, 30_000);

  it("GPU pool: serves tlos.ai.<lattice>.pool.* for the AI router (streamed replies) and nothing else", async () => {
    const pool = await onLeaf(ports.leaf[POOL]!.clientPort, "pool-service");
    conns.push(pool);
    const routerCreds = latticeClientCreds(SEED, "attacks/lattice", "ai-router", 0, aiRouterRole(L));
    const router = await connect({ servers: hubUrl("hub-3"), authenticator: credsAuthenticator(te.encode(routerCreds)), inboxPrefix: aiInboxPrefix(L) });
    conns.push(router);
    const served = pool.subscribe(`tlos.ai.${L}.pool.chat`, { queue: "system-ai" });
    void (async () => { for await (const m of served) { for (let i = 0; i < 3; i++) m.respond(`chunk-${i}`); } })().catch(() => undefined);
    await pool.flush();
    // the router's requests reach the pool, and every streamed chunk comes back
    const chunks: string[] = [];
    const inbox = router.subscribe(`${aiInboxPrefix(L)}.>`);
    // a request sent before the pool's interest has reached hub-3 is answered by the server with a
    // "no responders" status (503, empty body) and retried below: that notice is not a chunk
    void (async () => { for await (const m of inbox) if (m.headers?.code !== 503) chunks.push(m.string()); })().catch(() => undefined);
    await router.flush();
    await waitFor("3 streamed chunks", () => { router.publish(`tlos.ai.${L}.pool.chat`, "hi", { reply: `${aiInboxPrefix(L)}.${Date.now()}` }); return settle(500).then(() => chunks.length >= 3); }, 15_000, 100);
    expect(chunks.slice(0, 3)).toEqual(["chunk-0", "chunk-1", "chunk-2"]);
    // hosts reach the router on the public AI subjects
    const asked = collect(router, `tlos.ai.${L}.v1.>`);
    await router.flush();
    // (the router's interest reaches home-1's leaf through the hubs: the component asks until it is heard)
    await waitFor("a component's prompt at the router", () => { host1.publish(`tlos.ai.${L}.v1.chat`, "from a component"); return settle(200).then(() => asked.msgs.length > 0); }, 15_000, 100);
    asked.stop();
    expect([...new Set(asked.msgs.map((m) => m.string()))]).toEqual(["from a component"]);
    // the pool publishes nothing but replies, and sees nothing of the lattice
    const ctl = collect(host2, `wasmbus.ctl.v1.${L}.>`);
    const evts = collect(wadm, `wasmbus.evt.${L}.>`);
    const asks = collect(router, `tlos.ai.${L}.v1.>`);
    await settle();
    pool.publish(`wasmbus.ctl.v1.${L}.host.stop.${H2}`, "{}");
    pool.publish(`wasmbus.evt.${L}.host_heartbeat`, "{}");
    pool.publish(`tlos.ai.${L}.v1.chat`, "pool posing as a client");
    pool.publish("_INBOX.anyone.1", "pool answering a host");
    await settle(1200);
    ctl.stop(); evts.stop(); asks.stop();
    expect([...ctl.msgs, ...evts.msgs, ...asks.msgs]).toEqual([]);
    // what reaches the pool from the lattice: only its own subjects
    const seen = collect(pool, ">");
    await settle();
    host2.publish(`wasmbus.evt.${L}.host_heartbeat`, JSON.stringify({ host: H2 }));
    wadm.publish(`wasmbus.ctl.v1.${L}.host.ping`, "{}");
    host1.publish(`tlos.ai.${L}.v1.chat`, "a component's prompt");
    await host2.request(`wasmcloud.policy.${L}`, policyRequest(null), { timeout: 3000 });
    router.publish(`tlos.ai.${L}.pool.chat`, "routed");
    await settle(1200);
    await waitFor("the routed request at the pool", () => seen.msgs.length > 0, 10_000, 100);
    seen.stop();
    expect(seen.msgs.map((m) => m.subject)).toEqual([`tlos.ai.${L}.pool.chat`]);
  }, 40_000);

  it("documented residuals: a node reads every reply on _INBOX.> (policy decisions, control answers, bucket values) and adds replies to an inbox it has seen; it publishes events in another host's name", async () => {
    // NATS cannot scope replies without per-client inbox prefixes, and none of the v1 host
    // (v1.9.2 crates/host/src/nats/mod.rs connect_nats), wadm (0.21.1 crates/wadm/src/nats.rs
    // get_client_and_context) or the v2 host (v2.0.0 crates/wash-runtime/src/washlet/mod.rs) sets one
    const snoop = collect(attacker, "_INBOX.>");
    const events = collect(wadm, `wasmbus.evt.${L}.>`);
    const ping = host2.subscribe(`wasmbus.ctl.v1.${L}.host.ping`, { callback: (_e, m) => { m.respond(JSON.stringify({ id: H2, labels: { zone: "home-2-private" } })); } });
    await host2.flush();
    await heardAtEveryHub(snoop, "_INBOX.probe");
    // home-2's policy request, wadm's control request answered by home-2, home-2 reading the lattice's config bucket
    await host2.request(`wasmcloud.policy.${L}`, policyRequest(null), { timeout: 3000 });
    await waitFor("home-2's answer to wadm", () => wadm.request(`wasmbus.ctl.v1.${L}.host.ping`, "", { timeout: 1500 }), 15_000, 300);
    const cfg = await (await new Kvm(jetstream(host2, { domain: "hub" })).open(`CONFIGDATA_${L}`)).get("cfg-1");
    expect(cfg?.string()).toContain("hello");
    // a streamed answer (as the AI router sends chunks): once the first chunk shows the inbox, the attacker adds one
    const served = admin.subscribe(`tlos.ai.${L}.v1.chat.completions`, { callback: (_e, m) => { m.respond("chunk-1"); setTimeout(() => m.respond("chunk-2"), Math.round(800 * loadFactor())); } });
    await admin.flush();
    await settle();
    const inject = attacker.subscribe("_INBOX.>", { callback: (_e, m) => { if (m.string() === "chunk-1") attacker.publish(m.subject, "forged-chunk"); } });
    await attacker.flush();
    await settle(300);
    const chunks: string[] = [];
    for await (const m of await host2.requestMany(`tlos.ai.${L}.v1.chat.completions`, "{}", { strategy: "count", maxMessages: 3, maxWait: 5000 })) chunks.push(m.string());
    await settle(500);
    ping.unsubscribe(); served.unsubscribe(); inject.unsubscribe(); snoop.stop();
    const seen = snoop.msgs.map((m) => m.string());
    expect(seen.some((x) => x.includes("permitted")), "policy decision").toBe(true); // the responder's decision on home-2's request
    expect(seen.some((x) => x.includes("home-2-private")), "control answer").toBe(true); // home-2's answer to wadm
    // the value home-2 read from the config bucket (a JetStream msg get answer, base64 data)
    const gets = seen.filter((x) => x.includes("stream_msg_get_response")).map((x) => JSON.parse(x) as { message: { subject: string; data: string } });
    expect(gets.map((g) => [g.message.subject, Buffer.from(g.message.data, "base64").toString()])).toContainEqual([`$KV.CONFIGDATA_${L}.cfg-1`, JSON.stringify({ greeting: "hello" })]);
    expect(chunks).toEqual(["chunk-1", "forged-chunk", "chunk-2"]);
    // an event in home-2's name, from home-1 (sent until wadm's interest has reached home-1's leaf)
    await waitFor("the forged event at wadm", () => { attacker.publish(`wasmbus.evt.${L}.host_heartbeat`, JSON.stringify({ host: H2, forged: true })); return settle(200).then(() => events.msgs.some((m) => m.string().includes("forged"))); }, 15_000, 100);
    events.stop();
  }, 40_000);

  it("attack 6: a second leaf with home-2's creds joins (NATS cannot bind creds to a machine), has only home-2's rights, shows in the leaf check, and is refused under an exact account leaf limit", async () => {
    startLeaf("clone", credsOf("nodes/home-2/leaf.creds").toString(), ports.leaf["clone"]!.clientPort, ports.leaf["clone"]!.monitorPort);
    await waitFor("the clone attached", async () => (await leafCount()) === 4, 30_000);
    const account = (JSON.parse(Buffer.from(readFileSync(join(out, "lattice/account.jwt"), "utf8").split(".")[1]!, "base64url").toString()) as { sub: string }).sub;
    const findings = leafFindings(await leafz(), account, new Map([["home-1", 1], ["home-2", 1], [POOL, 1]]));
    expect(findings.map((f) => f.name)).toEqual(["clone"]);
    // it has home-2's role, no more: no control commands, no foreign buckets
    const clone = await onLeaf(ports.leaf["clone"]!.clientPort, "on-the-clone");
    conns.push(clone);
    await expect((await jetstreamManager(clone, { domain: "hub", timeout: 1500, checkAPI: false })).streams.info("KV_app-data")).rejects.toThrow();
    await stopProcess(procs.get("clone")!);
    await waitFor("the clone gone", async () => (await leafCount()) === 3, 30_000);
    // an account JWT whose leaf limit is the lattice's leaf count: an extra leaf is refused while all are attached
    const after = join(root, "limited");
    writeOutput(buildGrid(root, ports, { leaf: 3 }).synth({ masterSeed: SEED }), after);
    const push = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "claims", "push", join(after, "lattice/account.jwt"), "--server", hubUrl("hub-1"), "--creds", join(out, "secrets/lattice/sys.creds")], { encoding: "utf8", timeout: 30_000 });
    expect(push.status, push.stderr + push.stdout).toBe(0);
    await waitFor("every hub holding the account's new leaf limit", async () => {
      for (const id of HUBS) {
        const z = await httpJson<{ account_detail?: { decoded_jwt?: { nats?: { limits?: { leaf?: number } } } } }>(`http://127.0.0.1:${ports.hub[id]!.monitor}/accountz?acc=${account}`);
        if (z.account_detail?.decoded_jwt?.nats?.limits?.leaf !== 3) return false;
      }
      return true;
    }, 20_000, 250);
    start("clone", leafBin!, join(root, "clone", "leaf.conf"));
    await waitFor("the hubs to refuse the clone", () => /Maximum Leafnodes Exceeded|leafnode.*exceeded|Maximum Account Active Connections/i.test(readFileSync(join(root, "clone.log"), "utf8")), 20_000);
    expect(await leafCount()).toBe(3);
    await stopProcess(procs.get("clone")!);
  }, 90_000);
});
