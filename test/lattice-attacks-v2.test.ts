/**
 * The v2 identities on a live lattice from synthesized configs, on 127.0.0.1: three TLS hubs
 * (nats-server >= 2.11.16), two v2 node leaves (home-a, home-b) and the Kubernetes cluster's leaf,
 * run from the config in its ConfigMap (paths moved to a temp folder) with client certificates
 * made here the way the runtime-operator chart makes them (CN and DNS SAN = the user name).
 * No `wash host` or runtime-operator binary runs here: nats.js clients speak their subjects
 * (`runtime.host.{id}.…` requests, `runtime.operator.heartbeat.{id}`; wasmCloud v2.0.0
 * `crates/wash-runtime/src/washlet/mod.rs`, `runtime-operator/internal/controller/runtime/host_client.go`).
 * Checked: the operator in the cluster reaches a Podman node's host through the hubs and gets its
 * answer and heartbeats; a node cannot drive another host, read heartbeats or use JetStream; the
 * in-cluster leaf refuses clients without a chart certificate and limits each user to its role;
 * the in-cluster R2Backup's user (its certificate made here as cert-manager would, CN and DNS SAN
 * `tlos-backup-nightly`) snapshots its named stream through the leaf and nothing else.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { connect, credsAuthenticator, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { backupInboxPrefix, Grid, Lattice, R2Backup, SpinKubeCluster, TlosNode, writeOutput } from "../src/index.js";
import { backupStreams, snapshotStream, streamNames } from "../src/jetstream/snapshot.js";
import { freePorts, httpJson, realBinary, SEED, settle, startProcess, stopProcess, tempDir, waitFor, derivedTls, installHub, installNode } from "./helpers.js";

const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");
const openssl = realBinary("openssl");
const HUBS = ["hub-1", "hub-2", "hub-3"];
const NODES = ["home-a", "home-b"];
const L = "grid2";
const COSIGN = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
const ID_A = "host-a-0001"; // v2 host ids are made at start; any id works the same
function collect(nc: NatsConnection, subject: string): { msgs: Msg[]; stop: () => void } {
  const sub = nc.subscribe(subject);
  const msgs: Msg[] = [];
  void (async () => { for await (const m of sub) msgs.push(m); })().catch(() => undefined);
  return { msgs, stop: () => sub.unsubscribe() };
}

describe.skipIf(!hubBin || !leafBin || !openssl)("v2 identities on a live lattice", () => {
  const procs = new Map<string, ChildProcess>();
  const conns: NatsConnection[] = [];
  let root = "", out = "", tls = "", certs = "";
  const hub: Record<string, { client: number; cluster: number; leafnode: number; monitor: number }> = {};
  const leaf: Record<string, { clientPort: number; monitorPort: number }> = {};
  let k8sPort = 0;
  let hostA: NatsConnection;
  let nodeB: NatsConnection;
  let operator: NatsConnection;
  const start = (name: string, bin: string, conf: string) => procs.set(name, startProcess(bin, ["-c", conf], join(root, `${name}.log`)));
  const ssl = (...args: string[]) => {
    const r = spawnSync(openssl!, args, { encoding: "utf8", timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
  };
  /** A client certificate as the chart makes it: CN and DNS SAN are the user name. */
  const clientCert = (user: string) => {
    ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", `/CN=${user}`, "-keyout", join(certs, `${user}.key`), "-out", join(certs, `${user}.csr`));
    writeFileSync(join(certs, `${user}.ext`), `subjectAltName=DNS:${user}\nextendedKeyUsage=clientAuth\n`);
    ssl("x509", "-req", "-in", join(certs, `${user}.csr`), "-CA", join(certs, "ca.crt"), "-CAkey", join(certs, "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", join(certs, `${user}.ext`), "-out", join(certs, `${user}.crt`));
  };
  const asUser = async (user: string, inboxPrefix?: string) => {
    const nc = await connect({ servers: `tls://127.0.0.1:${k8sPort}`, name: user, reconnect: false, ...(inboxPrefix ? { inboxPrefix } : {}), tls: { caFile: join(certs, "ca.crt"), certFile: join(certs, `${user}.crt`), keyFile: join(certs, `${user}.key`) } });
    conns.push(nc);
    return nc;
  };

  beforeAll(async () => {
    root = tempDir("tlos-attacks-v2-");
    out = join(root, "out");
    tls = join(root, "tls");
    certs = join(root, "cluster-certs");
    mkdirSync(certs, { recursive: true });
    const p = await freePorts(HUBS.length * 4 + 7);
    HUBS.forEach((id, i) => (hub[id] = { client: p[i * 4]!, cluster: p[i * 4 + 1]!, leafnode: p[i * 4 + 2]!, monitor: p[i * 4 + 3]! }));
    NODES.forEach((id, i) => (leaf[id] = { clientPort: p[12 + i * 2]!, monitorPort: p[13 + i * 2]! }));
    k8sPort = p[16]!;
    const k8sMonitor = p[17]!;
    const grid = new Grid("v2attacks");
    const lattice = new Lattice(grid, "lattice", {
      name: L,
      hubs: HUBS.map((id) => ({ id, host: "127.0.0.1", bind: "127.0.0.1", ports: hub[id], storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } })),
    });
    for (const id of NODES) new TlosNode(lattice, id, { target: "podman", nats: { ...leaf[id], storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } } });
    new SpinKubeCluster(lattice, "k8s", { cosignPublicKeys: [COSIGN], wasmcloud: {} });
    new R2Backup(lattice, "nightly", { accountId: "0123456789abcdef0123456789abcdef", runOn: "kubernetes", streams: ["KV_app-data"] });
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    // the CA and hub certificates derived from the master seed, as the hubs' bundles carry them
    derivedTls(out, tls, HUBS);
    for (const id of HUBS) start(id, hubBin!, installHub(out, root, id));
    for (const id of NODES) start(id, leafBin!, installNode(out, root, id));
    // the cluster's leaf: its ConfigMap's config, its Secret's creds, the chart's kind of certificates
    ssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=test cluster CA", "-keyout", join(certs, "ca.key"), "-out", join(certs, "ca.crt"), "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign");
    ssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=nats", "-keyout", join(certs, "tls.key"), "-out", join(certs, "tls.csr"));
    writeFileSync(join(certs, "tls.ext"), "subjectAltName=DNS:nats,DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
    ssl("x509", "-req", "-in", join(certs, "tls.csr"), "-CA", join(certs, "ca.crt"), "-CAkey", join(certs, "ca.key"), "-CAcreateserial", "-days", "2", "-extfile", join(certs, "tls.ext"), "-out", join(certs, "tls.crt"));
    for (const u of ["wasmcloud-operator", "wasmcloud-runtime", "wasmcloud-data", "tlos-backup-nightly", "rogue"]) clientCert(u);
    const docs = readFileSync(join(out, "lattice/k8s/k8s/06-wasmcloud.yaml"), "utf8").split(/^---$/m).map((d) => parseYaml(d) as { kind?: string; data?: Record<string, string> } | null);
    const conf = docs.find((d) => d?.kind === "ConfigMap")!.data!["nats-server.conf"]!;
    const creds = (parseYaml(readFileSync(join(out, "secrets/lattice/k8s/k8s/leaf-creds.yaml"), "utf8")) as { stringData: Record<string, string> }).stringData["leaf.creds"]!;
    const kdir = join(root, "k8s");
    mkdirSync(join(kdir, "data"), { recursive: true });
    writeFileSync(join(kdir, "leaf.creds"), creds, { mode: 0o600 });
    const local = conf
      .replaceAll("/nats-cert/ca.crt", join(certs, "ca.crt")).replaceAll("/nats-cert/tls.crt", join(certs, "tls.crt")).replaceAll("/nats-cert/tls.key", join(certs, "tls.key"))
      .replaceAll("/etc/nats/creds/leaf.creds", join(kdir, "leaf.creds")).replaceAll('"/data"', `"${join(kdir, "data")}"`)
      .replace("0.0.0.0:4222", `127.0.0.1:${k8sPort}`).replace("127.0.0.1:8222", `127.0.0.1:${k8sMonitor}`)
      .replaceAll("$HOSTNAME", "k8s").replaceAll("/etc/nats/ca/ca.pem", join(tls, "ca.pem"));
    writeFileSync(join(kdir, "leaf.conf"), local);
    start("k8s", leafBin!, join(kdir, "leaf.conf"));
    await waitFor("3 leaves attached", async () => {
      let n = 0;
      for (const id of HUBS) n += (await httpJson<{ leafnodes: number }>(`http://127.0.0.1:${hub[id]!.monitor}/leafz`)).leafnodes;
      return n === 3;
    }, 60_000, 250);
    hostA = await connect({ servers: `127.0.0.1:${leaf["home-a"]!.clientPort}`, name: "wash-host-a" });
    nodeB = await connect({ servers: `127.0.0.1:${leaf["home-b"]!.clientPort}`, name: "component-on-home-b" });
    conns.push(hostA, nodeB);
    operator = await asUser("wasmcloud-operator");
  }, 180_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all([...procs.values()].map((p) => stopProcess(p)));
  });

  it("the in-cluster operator reaches a Podman node's host through the hubs and gets its answer and heartbeats", async () => {
    const api = hostA.subscribe(`runtime.host.${ID_A}.>`);
    void (async () => { for await (const m of api) m.respond(JSON.stringify({ host: ID_A, op: m.subject.split(".").slice(3).join(".") })); })().catch(() => undefined);
    await hostA.flush();
    const beats = collect(operator, "runtime.operator.heartbeat.>");
    await settle();
    const r = await waitFor("the host's answer", () => operator.request(`runtime.host.${ID_A}.heartbeat`, "{}", { timeout: 2000 }), 20_000, 300);
    expect(JSON.parse(r.string())).toEqual({ host: ID_A, op: "heartbeat" });
    await waitFor("a heartbeat at the operator", () => { hostA.publish(`runtime.operator.heartbeat.${ID_A}`, JSON.stringify({ id: ID_A })); return settle(300).then(() => beats.msgs.length > 0); }, 15_000, 100);
    beats.stop();
    expect(beats.msgs[0]!.string()).toBe(JSON.stringify({ id: ID_A }));
  }, 40_000);

  it("a node cannot drive another host, read heartbeats or use JetStream", async () => {
    const got = collect(hostA, `runtime.host.${ID_A}.>`);
    const beats = collect(nodeB, "runtime.operator.heartbeat.>");
    await settle();
    nodeB.publish(`runtime.host.${ID_A}.workload.start`, "{}");
    await expect(nodeB.request(`runtime.host.${ID_A}.workload.stop`, "{}", { timeout: 1000 })).rejects.toThrow(/no responders|timeout/i);
    hostA.publish(`runtime.operator.heartbeat.${ID_A}`, "{}");
    const jsm = await jetstreamManager(nodeB, { domain: "hub", timeout: 1500, checkAPI: false });
    await expect(jsm.streams.add({ name: "evil", subjects: ["evil.>"] })).rejects.toThrow();
    await settle(1000);
    got.stop(); beats.stop();
    expect(got.msgs).toEqual([]);
    expect(beats.msgs).toEqual([]);
  }, 30_000);

  it("the in-cluster leaf refuses a client without a chart certificate, and holds each user to its role", async () => {
    await expect(connect({ servers: `tls://127.0.0.1:${k8sPort}`, reconnect: false, timeout: 3000, tls: { caFile: join(certs, "ca.crt") } })).rejects.toThrow();
    await expect(connect({ servers: `tls://127.0.0.1:${k8sPort}`, reconnect: false, timeout: 3000, tls: { caFile: join(certs, "ca.crt"), certFile: join(certs, "rogue.crt"), keyFile: join(certs, "rogue.key") } })).rejects.toThrow(/authoriz/i);
    const data = await asUser("wasmcloud-data");
    const runtime = await asUser("wasmcloud-runtime");
    const got = collect(hostA, `runtime.host.${ID_A}.>`);
    const beats = collect(operator, "runtime.operator.heartbeat.>");
    await settle();
    // the data link (components' messaging) publishes no control subject; the runtime link sends no host request
    data.publish(`runtime.host.${ID_A}.workload.start`, "{}");
    data.publish("runtime.operator.heartbeat.fake", "{}");
    runtime.publish(`runtime.host.${ID_A}.workload.start`, "{}");
    runtime.publish("runtime.operator.heartbeat.host-in-cluster", "{}");
    await settle(1000);
    await waitFor("the runtime link's heartbeat at the operator", () => beats.msgs.length > 0, 10_000, 100);
    got.stop(); beats.stop();
    expect(got.msgs).toEqual([]);
    expect(beats.msgs.map((m) => m.subject)).toEqual(["runtime.operator.heartbeat.host-in-cluster"]);
  }, 30_000);

  it("the in-cluster backup snapshots its named stream through the leaf; it cannot snapshot, list or read another, publish elsewhere or watch _INBOX.>, and no node sees its chunks", async () => {
    const admin = await connect({ servers: `127.0.0.1:${hub["hub-1"]!.client}`, name: "admin", authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/admin.creds"))) });
    conns.push(admin);
    const kvm = new Kvm((await jetstreamManager(admin)).jetstream());
    await waitFor("two buckets at R3", async () => {
      await (await kvm.create("app-data", { replicas: 3 })).put("k", "backed up");
      await (await kvm.create("other-app", { replicas: 3 })).put("k", "another app's value");
      return true;
    }, 60_000, 500);
    const prefix = backupInboxPrefix("nightly");
    const backup = await asUser("tlos-backup-nightly", prefix);
    const errors: string[] = [];
    void (async () => { for await (const st of backup.status()) if (st.type === "error") errors.push(String((st as { error?: unknown }).error)); })();
    const snoop = collect(nodeB, "_INBOX.>"); // a component on a node, watching every inbox
    const got = collect(hostA, `runtime.host.${ID_A}.>`);
    await settle();
    const dir = join(root, "snapshot");
    const o = { domain: "hub", inboxPrefix: prefix, timeoutMs: 3000 };
    expect(await backupStreams(backup, dir, { ...o, retryForMs: 30_000, streams: ["KV_app-data"] })).toEqual(["KV_app-data"]);
    expect(readFileSync(join(dir, "KV_app-data.snapshot")).length).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(join(dir, "KV_app-data.json"), "utf8")).state.messages).toBe(1);
    // what it may not do: each is refused by the leaf (a permissions violation), so nothing answers
    const once = { ...o, timeoutMs: 1500, retryForMs: 0 };
    await expect(snapshotStream(backup, "KV_other-app", join(root, "stolen"), once)).rejects.toThrow();
    await expect(streamNames(backup, once)).rejects.toThrow();
    await expect(backup.request("$JS.hub.API.DIRECT.GET.KV_other-app.$KV.other-app.k", "", { timeout: 1500 })).rejects.toThrow();
    await expect(backup.request("$JS.hub.API.STREAM.DELETE.KV_app-data", "", { timeout: 1500 })).rejects.toThrow();
    backup.publish(`runtime.host.${ID_A}.workload.start`, "{}");
    backup.subscribe("_INBOX.>");
    await waitFor("the leaf's permission violations", () => errors.filter((e) => /Permissions Violation/.test(e)).length >= 6, 10_000, 100);
    const text = errors.join("\n");
    for (const x of ["STREAM.SNAPSHOT.KV_other-app", "STREAM.NAMES", "DIRECT.GET.KV_other-app", "STREAM.DELETE.KV_app-data", `runtime.host.${ID_A}`]) expect(text).toContain(x);
    expect(text).toMatch(/Subscription to "_INBOX\.>"/);
    await settle(500);
    snoop.stop(); got.stop();
    expect(got.msgs).toEqual([]);
    // the chunks and replies went to the backup's own prefix, which no node identity may receive
    expect(snoop.msgs.filter((m) => m.data.length > 0)).toEqual([]);
    expect(await jetstreamManager(admin).then((j) => j.streams.info("KV_app-data")).then((i) => i.state.messages)).toBe(1);
  }, 90_000);

  it("documented residual: a v2 node can see requests meant for another host (ids are made at start)", async () => {
    const spy = collect(nodeB, "runtime.host.*.>");
    await nodeB.flush();
    // (its interest spreads from its leaf through the hubs: the operator asks until the node has seen one)
    await waitFor("the operator's request at the other node", async () => {
      await operator.request(`runtime.host.${ID_A}.heartbeat`, "{}", { timeout: 3000 }).catch(() => undefined);
      return spy.msgs.length > 0;
    }, 20_000, 200);
    spy.stop();
    expect(spy.msgs.map((m) => m.subject)).toContain(`runtime.host.${ID_A}.heartbeat`);
  }, 20_000);
});
