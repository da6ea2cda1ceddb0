/**
 * The role table: the README shows exactly what the roles define, and what synth mints is exactly
 * what each role says (decoded from the emitted creds), for every identity of a v1 and a v2 grid.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { AkashGpuPool, Grid, Lattice, SpinKubeCluster, TlosNode, R2Backup } from "../src/index.js";
import { hostKeyPair } from "../src/nats/auth.js";
import { leafFindings } from "../src/nats/leaf-check.js";
import {
  adminRole, aiPoolRole, enforcesLeafPermissions, kubeLeafRole, nodeRoleV1, nodeRoleV2, operatorUserRoles, policyRole, sysRole, wadmRole, type Role,
} from "../src/nats/roles.js";
import { exampleRoles, rolesMarkdown } from "../src/nats/roles-table.js";
import { backupRole, clusterBackupRole } from "../src/nats/backup-roles.js";
import { CHART_NATS_USERS } from "../src/spinkube/wasmcloud.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { problemsOf, SEED } from "./helpers.js";

const README = readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8");
const COSIGN = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";

interface Claims { exp?: number; iat: number; nats: { pub: { allow?: string[]; deny?: string[] }; sub: { allow?: string[]; deny?: string[] }; resp?: { max: number; ttl: number }; allowed_connection_types: string[] } }
const claimsOf = (creds: string): Claims => JSON.parse(Buffer.from(/-----BEGIN NATS USER JWT-----\n(\S+)\n/.exec(creds)![1]!.split(".")[1]!, "base64url").toString()) as Claims;

/** The JWT claims a role must produce. */
function expected(r: Role) {
  const p = r.perms;
  return {
    pub: p ? { ...(p.pub ? { allow: [...p.pub] } : {}), ...(p.pubDeny?.length ? { deny: [...p.pubDeny] } : {}) } : {},
    sub: p ? { ...(p.sub ? { allow: [...p.sub] } : {}), ...(p.subDeny?.length ? { deny: [...p.subDeny] } : {}) } : {},
    resp: p?.resp ? { max: p.resp.max, ttl: p.resp.ttlSeconds * 1e9 } : undefined,
    types: r.connection === "config" ? ["STANDARD"] : [...r.connection],
  };
}

function v1Grid(lifetime?: number): Grid {
  const grid = new Grid("g", { issuedAt: new Date("2026-11-01T00:00:00Z") });
  const lattice = new Lattice(grid, "lattice", { name: "prod", wasmcloud: "v1", hubs: THREE_HUBS, ...(lifetime ? { credentialLifetimeDays: lifetime } : {}) });
  new TlosNode(lattice, "home-1", { target: "podman" });
  new AkashGpuPool(lattice, "gpu", { gpu: { model: "h100", units: 1 }, inference: { model: "org/m" }, pricing: { denom: "uakt", amount: 100 } });
  new R2Backup(lattice, "nightly", { accountId: "0123456789abcdef0123456789abcdef" });
  return grid;
}

describe("the README's threat-model table", () => {
  const section = /<!-- roles:begin -->\n([\s\S]*?)\n<!-- roles:end -->/.exec(README)?.[1];

  it("is the table the role definitions generate", () => {
    expect(section).toBe(rolesMarkdown());
  });

  it.each(exampleRoles().map((r) => [r.id, r] as const))("has the row of role %s as defined", (_id, role) => {
    const row = rolesMarkdown([role]).split("\n")[2]!;
    expect(section?.split("\n")).toContain(row);
  });
});

describe("what synth mints is what each role says", () => {
  const files = v1Grid().synth({ masterSeed: SEED }).files;
  const file = (suffix: string) => files.find((f) => f.path.endsWith(suffix))!.content;

  it.each([
    ["wadm", "secrets/lattice/wadm.creds", wadmRole("prod")],
    ["policy responder", "secrets/lattice/policy.creds", policyRole("wasmcloud.policy.prod")],
    ["admin", "secrets/lattice/admin.creds", adminRole()],
    ["system user", "secrets/lattice/sys.creds", sysRole()],
    ["v1 node (per-host control subjects)", "secrets/lattice/nodes/home-1/leaf.creds", nodeRoleV1({ lattice: "prod", domain: "hub", policyTopic: "wasmcloud.policy.prod", hostId: hostKeyPair(SEED, "g/lattice", "home-1").getPublicKey() })],
  ] as const)("%s", (_name, path, role) => {
    const c = claimsOf(file(path));
    const e = expected(role);
    expect(c.nats.pub).toEqual(e.pub);
    expect(c.nats.sub).toEqual(e.sub);
    expect(c.nats.resp).toEqual(e.resp);
    expect(c.nats.allowed_connection_types).toEqual(e.types);
    expect(c.exp).toBeUndefined();
  });

  it("the v1 node's host id in its control subjects is the host seed synth installs", () => {
    const seed = file("secrets/lattice/nodes/home-1/host.seed");
    expect(seed).toBe(new TextDecoder().decode(hostKeyPair(SEED, "g/lattice", "home-1").getSeed()));
    const id = hostKeyPair(SEED, "g/lattice", "home-1").getPublicKey();
    expect(claimsOf(file("secrets/lattice/nodes/home-1/leaf.creds")).nats.sub.allow).toContain(`wasmbus.ctl.v1.prod.component.*.${id}`);
  });

  it("the GPU pool's leaf (inside its deployable SDL) has the inference role only", () => {
    const sdl = file("secrets/lattice/akash/gpu/deploy.yaml");
    const creds = Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sdl)![1]!, "base64").toString();
    const c = claimsOf(creds);
    const e = expected(aiPoolRole("prod"));
    expect([c.nats.pub, c.nats.sub, c.nats.resp]).toEqual([e.pub, e.sub, e.resp]);
  });

  it("the backup job's creds have the backup role", () => {
    const c = claimsOf(files.find((f) => f.path.endsWith("backup.creds"))!.content);
    expect([c.nats.pub, c.nats.sub]).toEqual([expected(backupRole("nightly")).pub, expected(backupRole("nightly")).sub]);
  });

  it("credentialLifetimeDays makes renewable roles expire, never a leaf", () => {
    const out = v1Grid(30).synth({ masterSeed: SEED }).files;
    const iat = Date.parse("2026-11-01T00:00:00Z") / 1000;
    for (const p of ["wadm.creds", "policy.creds", "admin.creds", "sys.creds", "backup.creds"]) {
      const c = claimsOf(out.find((f) => f.path.endsWith(p))!.content);
      expect([p, c.exp]).toEqual([p, iat + 30 * 86_400]);
    }
    expect(claimsOf(out.find((f) => f.path.endsWith("home-1/leaf.creds"))!.content).exp).toBeUndefined();
    expect(exampleRoles().filter((r) => r.renewable).map((r) => r.id).sort()).toEqual(["admin", "ai-router", "backup", "policy", "sys", "wadm"]);
    const bad = new Grid("b");
    new Lattice(bad, "lattice", { hubs: THREE_HUBS, credentialLifetimeDays: 0 });
    expect(problemsOf(() => bad.synth({ masterSeed: SEED }))).toEqual(expect.arrayContaining([expect.stringMatching(/\[b\/lattice\] credentialLifetimeDays: 0 is not allowed: use a whole number of days from 1 to 3650/)]));
  });
});

describe("v2 identities", () => {
  function v2Grid(): Grid {
    const grid = new Grid("g");
    const lattice = new Lattice(grid, "lattice", { name: "prod", hubs: THREE_HUBS });
    new TlosNode(lattice, "home-1", { target: "podman" });
    new SpinKubeCluster(lattice, "k8s", { cosignPublicKeys: [COSIGN], wasmcloud: {} });
    return grid;
  }
  const files = v2Grid().synth({ masterSeed: SEED }).files;

  it("a v2 node's leaf has the v2 host role; the cluster's leaf the operator plus its hosts", () => {
    const node = claimsOf(files.find((f) => f.path.endsWith("home-1/leaf.creds"))!.content);
    expect([node.nats.pub, node.nats.sub]).toEqual([expected(nodeRoleV2({ lattice: "prod", domain: "hub", policyTopic: "" })).pub, expected(nodeRoleV2({ lattice: "prod", domain: "hub", policyTopic: "" })).sub]);
    const yaml = files.find((f) => f.path.endsWith("k8s/leaf-creds.yaml"))!.content;
    const k8s = claimsOf(/leaf\.creds: \|-?\n([\s\S]+)/.exec(yaml)![1]!.replace(/^ {4}/gm, ""));
    expect([k8s.nats.pub, k8s.nats.sub]).toEqual([expected(kubeLeafRole("prod")).pub, expected(kubeLeafRole("prod")).sub]);
  });

  it("the in-cluster leaf authenticates only the chart's three users, each with its role, and admits only their pods", () => {
    expect(operatorUserRoles("prod").map((r) => r.id)).toEqual([...CHART_NATS_USERS]);
    const doc = files.find((f) => f.path.endsWith("k8s/06-wasmcloud.yaml"))!.content;
    const conf = /nats-server\.conf: \|-?\n([\s\S]+?)\n {2}\S/.exec(doc)?.[1] ?? doc;
    expect(conf).toMatch(/verify_and_map: true/);
    expect(conf).not.toMatch(/no_auth_user/);
    for (const r of operatorUserRoles("prod")) {
      expect(conf).toContain(`user: "${r.id}"`);
      for (const s of r.perms!.pub!) expect(conf).toContain(`"${s}"`);
    }
    expect(doc).toMatch(/wasmcloud\.com\/name: runtime-operator/);
    expect(doc).toMatch(/wasmcloud\.com\/name: hostgroup/);
    expect(doc).not.toMatch(/podSelector: \{\}/);
  });
});

describe("the in-cluster backup's identity", () => {
  const grid = new Grid("g");
  const lattice = new Lattice(grid, "lattice", { name: "prod", hubs: THREE_HUBS });
  new TlosNode(lattice, "home-1", { target: "podman" });
  new SpinKubeCluster(lattice, "k8s", { cosignPublicKeys: [COSIGN], wasmcloud: {} });
  new R2Backup(lattice, "nightly", { accountId: "0123456789abcdef0123456789abcdef", runOn: "kubernetes", streams: ["KV_app-data", "orders"] });
  const files = grid.synth({ masterSeed: SEED }).files;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- YAML documents of several kinds, read by path
  const docsOf = (path: string) => parseAllDocuments(files.find((f) => f.path === path)!.content).map((d) => d.toJS() as Record<string, any>);
  const role = clusterBackupRole("nightly", "hub", ["KV_app-data", "orders"]);

  it("is a leaf user with exactly the snapshots of its streams, receiving on its own prefix", () => {
    expect(role.perms).toEqual({
      pub: ["$JS.hub.API.STREAM.SNAPSHOT.KV_app-data", "$JS.SNAPSHOT.ACK.KV_app-data.>", "$JS.hub.API.STREAM.SNAPSHOT.orders", "$JS.SNAPSHOT.ACK.orders.>"],
      sub: ["_TLOS_BACKUP.nightly.>"],
    });
    const conf = docsOf("lattice/k8s/k8s/06-wasmcloud.yaml").find((d) => d["kind"] === "ConfigMap")!["data"]["nats-server.conf"] as string;
    const user = conf.slice(conf.indexOf('user: "tlos-backup-nightly"')).split(/user: "/)[1] ?? "";
    for (const x of [...role.perms!.pub!, ...role.perms!.sub!]) expect(user).toContain(`"${x}"`);
    expect(user).not.toMatch(/_INBOX|STREAM\.NAMES|DIRECT|CONSUMER|RESTORE/);
    // the cluster's leaf JWT carries what the job sends through it, and still no other JetStream API
    const yaml = files.find((f) => f.path.endsWith("k8s/leaf-creds.yaml"))!.content;
    const k8s = claimsOf(/leaf\.creds: \|-?\n([\s\S]+)/.exec(yaml)![1]!.replace(/^ {4}/gm, ""));
    expect(k8s.nats.pub.allow).toEqual(expect.arrayContaining([...role.perms!.pub!]));
    expect(k8s.nats.sub.allow).toEqual(expect.arrayContaining([...role.perms!.sub!]));
    expect(k8s.nats.pub.allow!.filter((x) => x.startsWith("$JS"))).toEqual(role.perms!.pub!.filter((x) => x.startsWith("$JS")));
  });

  it("its certificate comes from the chart's CA, and the NetworkPolicy admits exactly its pods besides the chart's", () => {
    const [issuer, cert, cron] = docsOf("lattice/k8s/k8s/08-backup-nightly.yaml");
    expect(issuer).toMatchObject({ kind: "Issuer", spec: { ca: { secretName: "wasmcloud-ca" } } });
    expect(cert).toMatchObject({ kind: "Certificate", spec: { secretName: "nightly-backup-tls", commonName: "tlos-backup-nightly", dnsNames: ["tlos-backup-nightly"], usages: ["client auth", "digital signature"], issuerRef: { name: issuer!["metadata"].name, kind: "Issuer" } } });
    const pod = cron!["spec"].jobTemplate.spec.template;
    expect(pod.spec.volumes.find((v: { name: string }) => v.name === "certs").secret.secretName).toBe("nightly-backup-tls");
    expect(JSON.stringify(pod)).not.toContain("wasmcloud-data-tls");
    const cmd = pod.spec.initContainers[0].command as string[];
    expect(cmd.slice(cmd.indexOf("--inbox-prefix"))).toEqual(["--inbox-prefix", "_TLOS_BACKUP.nightly", "--stream", "KV_app-data", "--stream", "orders"]);
    const policy = docsOf("lattice/k8s/k8s/06-wasmcloud.yaml").find((d) => d["kind"] === "NetworkPolicy")!;
    const from = policy["spec"].ingress[0].from as { podSelector: { matchLabels: Record<string, string> } }[];
    expect(from.every((f) => Object.keys(f).join() === "podSelector" && Object.keys(f.podSelector.matchLabels).length > 0)).toBe(true);
    const admits = (labels: Record<string, string>) => from.filter((f) => Object.entries(f.podSelector.matchLabels).every(([k, v]) => labels[k] === v)).length;
    expect(admits(pod.metadata.labels)).toBe(1);
    expect(from.map((f) => f.podSelector.matchLabels)).toEqual([{ "wasmcloud.com/name": "runtime-operator" }, { "wasmcloud.com/name": "hostgroup" }, { "app.kubernetes.io/name": "nightly-backup" }]);
    expect(admits({ "app.kubernetes.io/name": "other-backup", "app.kubernetes.io/managed-by": "tlos" })).toBe(0);
  });

  it("needs its streams named", () => {
    const g = new Grid("b");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
    new SpinKubeCluster(l, "k8s", { cosignPublicKeys: [COSIGN], wasmcloud: {} });
    new R2Backup(l, "nightly", { accountId: "0123456789abcdef0123456789abcdef", runOn: "kubernetes", streams: [] });
    new R2Backup(l, "bad", { accountId: "0123456789abcdef0123456789abcdef", streams: ["a.b"] });
    expect(problemsOf(() => g.synth({ masterSeed: SEED }))).toEqual([
      expect.stringMatching(/^\[b\/lattice\/bad\] streams\[0\]: "a\.b" is not a stream name/),
      expect.stringMatching(/^\[b\/lattice\/nightly\] streams: runOn "kubernetes" needs the streams to back up/),
    ]);
  });
});

describe("JWT sizes", () => {
  it("every creds line fits the 16 KB control line hubs accept, even for the longest lattice name", () => {
    const g = new Grid("z");
    const l = new Lattice(g, "lattice", { name: "l".repeat(63), wasmcloud: "v1", hubs: THREE_HUBS });
    new TlosNode(l, "home-1", { target: "podman" });
    const files = g.synth({ masterSeed: SEED }).files;
    const longest = Math.max(...files.filter((f) => f.path.endsWith(".creds")).map((f) => f.content.split("\n")[1]!.length));
    expect(longest).toBeGreaterThan(4096); // the default line would refuse it
    expect(longest).toBeLessThan(12_000); // room for the CONNECT/INFO around it
    for (const f of files.filter((x) => x.kind === "nats-config" && /hub/.test(x.path))) expect([f.path, /max_control_line: 16KB/.test(f.content)]).toEqual([f.path, true]);
  });
});

describe("hub versions and the leaf check", () => {
  it("knows which nats-server versions check what a leaf sends", () => {
    expect(["2.10.29", "2.11.15", "2.12.6", "2.9.10"].map(enforcesLeafPermissions)).toEqual([false, false, false, false]);
    expect(["2.11.16", "2.11.17", "2.12.7", "2.12.8", "2.14.0", "v2.15.1", "3.0.0"].map(enforcesLeafPermissions)).toEqual([true, true, true, true, true, true, true]);
  });

  it("refuses a hub image older than that", () => {
    const g = new Grid("h");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, images: { nats: "docker.io/library/nats:2.10.24-alpine@sha256:" + "a".repeat(64) } });
    new TlosNode(l, "home-1", { target: "podman" });
    expect(problemsOf(() => g.synth({ masterSeed: SEED }))).toEqual(expect.arrayContaining([expect.stringMatching(/\[h\/lattice\] images\.nats: .*2\.11\.16/)]));
  });

  it("reports unknown and duplicate leaf names across hubs", () => {
    const leafz = [{ leafs: [{ name: "home-1", account: "A", ip: "10.0.0.1", port: 1 }, { name: "home-2", account: "A", ip: "10.0.0.2", port: 2 }] }, { leafs: [{ name: "home-2", account: "A", ip: "10.9.9.9", port: 3 }, { name: "x", account: "B" }, { name: "evil", account: "A", ip: "1.2.3.4", port: 4 }] }];
    const f = leafFindings(leafz, "A", new Map([["home-1", 1], ["home-2", 1]]));
    expect(f.map((x) => [x.name, x.connections])).toEqual([["evil", 1], ["home-2", 2]]);
    expect(f[1]!.from).toEqual(["10.0.0.2:2", "10.9.9.9:3"]);
    expect(leafFindings(leafz, "A", new Map([["home-1", 1], ["home-2", 2]]), [/^evil$/])).toEqual([]);
  });
});
