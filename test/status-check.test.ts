/**
 * The judgement of `tlos status` on hand-made observations (the live tests run it against real
 * hubs): wadm's re-serialized manifest has the synthesized digest, a changed trait does not; wadm
 * not answering is drift; an expected.json of an older synth (no leaf user keys) is judged by
 * server name; replicas of an Akash pool may share creds; the v2 heartbeat listener's view.
 */
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { App, Grid, Lattice, TlosNode } from "../src/index.js";
import type { LatticeExpectation } from "../src/nats/expectation.js";
import { latticeStatus, type Observed } from "../src/nats/status-check.js";
import { wadmDigest } from "../src/wasmcloud/wadm-digest.js";
import { renderStatus } from "../src/cli/status-render.js";
import { SEED } from "./helpers.js";

const HELLO = `ghcr.io/the-last-os/hello:0.3.0@sha256:${"2".repeat(64)}`;

function synth(): { e: LatticeExpectation; wadm: Record<string, unknown> } {
  const grid = new Grid("g");
  const lattice = new Lattice(grid, "lattice", { name: "l", wasmcloud: "v1", hubs: [{ id: "hub-1", host: "hub-1.example.net" }, { id: "hub-2", host: "hub-2.example.net" }, { id: "hub-3", host: "hub-3.example.net" }] });
  new TlosNode(lattice, "home-1", { target: "podman", labels: { zone: "home" } });
  new App(lattice, "hello", { version: "0.3.0", components: [{ name: "hello", image: HELLO, instances: 2, spread: [{ name: "home", requirements: { zone: "home" } }] }] });
  const files = new Map(grid.synth({ masterSeed: SEED }).files.map((f) => [f.path, f.content]));
  return { e: JSON.parse(files.get("lattice/expected.json")!) as LatticeExpectation, wadm: parseYaml(files.get("lattice/apps/hello/wadm.yaml")!) as Record<string, unknown> };
}

const hub = (name: string) => ({ server: { name } });
/** Three hubs up with routes and a meta leader; `leafs` on hub-1. */
function observed(e: LatticeExpectation, extra: Partial<Observed> = {}): Observed {
  const names = e.hubs.map((h) => h.id);
  return {
    varz: names.map((n) => ({ ...hub(n), data: { version: "2.15.1", leaf: { tls_required: true } } })),
    jsz: names.map((n) => ({ ...hub(n), data: { meta_cluster: { leader: "hub-1", replicas: names.filter((x) => x !== "hub-1").map((x) => ({ name: x, current: true })) } } })),
    leafz: names.map((n) => ({ ...hub(n), data: { leafs: [] } })),
    routez: names.map((n) => ({ ...hub(n), data: { routes: names.filter((x) => x !== n).map((x) => ({ remote_name: x })) } })),
    ...extra,
  };
}

describe("tlos status judgement", () => {
  it("wadm's copy of the manifest (keys reordered, serde's defaults filled in) has the synthesized digest; a changed trait does not", () => {
    const { e, wadm } = synth();
    const spec = wadm["spec"] as { components: { properties: Record<string, unknown>; traits: { properties: Record<string, unknown> }[] }[] };
    const copy = { spec: { policies: [], components: spec.components.map((c) => ({ traits: c.traits, properties: { id: null, ...c.properties, config: [] }, type: "component", name: "hello" })) }, metadata: wadm["metadata"], kind: wadm["kind"], apiVersion: wadm["apiVersion"] };
    expect(wadmDigest(copy as never)).toBe(e.apps?.[0]?.digest);
    const more = structuredClone(copy);
    more.spec.components[0]!.traits[0]!.properties["instances"] = 3;
    expect(wadmDigest(more as never)).not.toBe(e.apps?.[0]?.digest);
  });

  it("wadm not answering is drift when the lattice declares apps; an app wadm does not know is drift", () => {
    const { e } = synth();
    expect(latticeStatus(e, observed(e, { hosts: [], wadm: { manifests: {} } })).drift).toContain("wadm: does not answer wadm.api.l.model.list");
    expect(latticeStatus(e, observed(e, { hosts: [], wadm: { models: [], manifests: {} } })).drift).toContain("app hello: wadm has no model \"hello\" (0.3.0 declared: wash app deploy hello/wadm.yaml)");
  });

  it("an app not deployed, or not `deployed` in wadm's status, is drift; a v2 host group short of hosts is drift", () => {
    const { e } = synth();
    const model = (deployed: string | null, type: string) => ({ hosts: [], wadm: { models: [{ name: "hello", version: "0.3.0", deployed_version: deployed, detailed_status: { status: { type, message: "scaling" } } }], manifests: {} } });
    expect(latticeStatus(e, observed(e, model(null, "undeployed"))).drift).toContain("app hello: not deployed (0.3.0 declared)");
    expect(latticeStatus(e, observed(e, model("0.3.0", "reconciling"))).drift).toContain("app hello: wadm reports reconciling: scaling");
    const v2 = { ...e, wasmcloud: "v2" as const, leaves: [], streams: [], kv: [], hosts: [], apps: undefined, hostGroups: [{ group: "default", members: ["SpinKubeCluster k8s host group default"], hosts: 2 }] };
    const s = latticeStatus(v2, observed(v2, { heartbeats: [{ id: "h1", friendlyName: "host-1", labels: { hostgroup: "default" } }] }));
    expect(s.hostGroups).toEqual([{ group: "default", declared: 2, seen: 1, hosts: ["host-1"] }]);
    expect(s.drift).toEqual(["host group default: 1 of 2 hosts heartbeat"]);
  });

  it("an expected.json of an older synth (no leaf user keys) is judged by server name", () => {
    const { e } = synth();
    const old = { ...e, leaves: e.leaves.map(({ id, kind }) => ({ id, kind })) };
    const account = e.account;
    const leafz = [{ ...hub("hub-1"), data: { leafs: [{ name: "home-1", account, ip: "10.0.0.1", port: 1 }, { name: "home-1", account, ip: "10.0.0.2", port: 2 }] } }];
    const s = latticeStatus(old, observed(old, { leafz, connz: [] }));
    expect(s.leaves[0]).toMatchObject({ id: "home-1", connected: 2, names: ["home-1"] });
    expect(s.drift.some((d) => d.startsWith('leaf home-1: 2 leaves named "home-1"'))).toBe(true);
  });

  it("leaves by identity: replicas of a lease may share creds, one more is drift; a name is not an identity", () => {
    const { e } = synth();
    const user = e.leaves[0]!.user!;
    const pool = { ...e, streams: [], kv: [], leaves: [{ ...e.leaves[0]!, replicas: 2, namedByHost: true, lease: { sdl: "lattice/akash/home-1/deploy.yaml" } }] };
    const conn = (name: string, port: number, who = user) => ({ kind: "Leafnode", name, ip: "10.0.0.9", port, tls_version: "1.3", authorized_user: who, account: e.account });
    const two = latticeStatus(pool, observed(pool, { connz: [{ ...hub("hub-1"), data: { connections: [conn("pod-a", 1), conn("pod-b", 2)] } }] }));
    expect(two.drift).toEqual([]);
    expect(two.leases).toEqual([{ id: "home-1", sdl: "lattice/akash/home-1/deploy.yaml", replicas: 2, connected: 2, hubs: ["hub-1"], names: ["pod-a", "pod-b"] }]);
    const three = latticeStatus(pool, observed(pool, { connz: [{ ...hub("hub-1"), data: { connections: [conn("pod-a", 1), conn("pod-b", 2), conn("pod-c", 3)] } }] }));
    expect(three.drift).toEqual(["lease home-1: its creds are used by 3 leaves (named pod-a, pod-b, pod-c), 2 expected: revoke home-1 and re-issue (from 10.0.0.9:1, 10.0.0.9:2, 10.0.0.9:3)"]);
    const one = latticeStatus(pool, observed(pool, { connz: [{ ...hub("hub-1"), data: { connections: [conn("pod-a", 1), conn("home-1", 2, "UOTHER")] } }] }));
    expect(one.drift).toEqual(["lease home-1: 1 of 2 replicas connected", "leaf home-1: authenticated as UOTHER, which no member of this lattice holds: a user signed with the lattice account's key outside this synth; revoke it (at hub-1, from 10.0.0.9:2)"]);
    // a leaf without TLS (a hub whose leafnode listener does not require it) is drift
    const plain = latticeStatus(pool, observed(pool, { connz: [{ ...hub("hub-1"), data: { connections: [{ ...conn("pod-a", 1), tls_version: undefined }, conn("pod-b", 2)] } }] }));
    expect(plain.drift).toEqual(["lease home-1: connected without TLS"]);
  });

  it("attack: a host's label or a leaf's name with control characters cannot reach the terminal or forge a line", () => {
    const { e } = synth();
    const evil = "home\x1b[2J\nlattice l: as declared\r";
    const pongs = [{ id: e.hosts[0]!.publicKey, labels: { zone: evil } }];
    const conn = { kind: "Leafnode", name: `x\x1b]0;pwned\x07`, ip: "10.0.0.9", port: 1, tls_version: "1.3", authorized_user: "UOTHER", account: e.account };
    const text = renderStatus(latticeStatus({ ...e, streams: [], kv: [], apps: [] }, observed(e, { hosts: pongs, connz: [{ ...hub("hub-1"), data: { connections: [conn] } }] })));
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
    expect(text.split("\n").filter((l) => l.startsWith("lattice l:"))).toEqual(["lattice l: 3 drift"]);
    expect(text).toContain("home\\x1b[2J\\x0alattice l: as declared\\x0d");
    expect(text).toContain("x\\x1b]0;pwned\\x07");
  });
});
