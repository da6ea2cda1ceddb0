/** The declared state `tlos status` checks a running lattice against (nats/expectation.ts). */
import { kindOf } from "../core/construct.js";
import type { MasterSeed } from "../core/seed.js";
import { hostKeyPair } from "../nats/auth.js";
import { akashDeployFile } from "../core/layout.js";
import type { ExpectedApp, ExpectedHostGroup, ExpectedLeaf, LatticeExpectation } from "../nats/expectation.js";
import type { AppSpec } from "../wasmcloud/app-model.js";
import { v1JetStreamPlan } from "../wasmcloud/jetstream-plan.js";
import { oamApplication } from "../wasmcloud/oam.js";
import { wadmComponents, wadmDigest } from "../wasmcloud/wadm-digest.js";
import type { IConstruct } from "constructs";
import type { LeafKind } from "../nats/leaf-roles.js";
import { declaredHosts } from "./declared-hosts.js";

/** What the expectation reads of a lattice (structural: this module imports no construct). */
export interface ExpectationSource extends IConstruct {
  readonly name: string;
  readonly path: string;
  readonly wasmcloud: "v1" | "v2";
  readonly mode: "cluster" | "single";
  readonly jetstreamDomain: string;
  readonly hubs: readonly { id: string; host: string; ports: { client: number; cluster: number; leafnode: number } }[];
  leafKinds(): Map<string, LeafKind>;
}

/** A node's id and labels, where the construct has them. */
const labelsOf = (c: IConstruct): Record<string, string> => ({ ...(Reflect.get(c, "labels") as Readonly<Record<string, string>> | undefined) });

/** A leaf member: its user key, and for an Akash deployment (it has a `cost`) its replicas and SDL. */
function leafOf(l: ExpectationSource, base: string, id: string, kind: LeafKind, user: string | undefined): ExpectedLeaf {
  const c = l.node.tryFindChild(id);
  const akash = c ? (Reflect.get(c, "cost") as { replicas?: number } | undefined) : undefined;
  return { id, kind, ...(user ? { user } : {}), ...(akash ? { replicas: akash.replicas ?? 1, namedByHost: true, lease: { sdl: akashDeployFile(base, id) } } : {}) };
}

/** The v1 apps of `l`: each wadm manifest's version, digest and components, as synth writes it. */
function appsOf(l: ExpectationSource): ExpectedApp[] {
  return l.node.children.filter((c) => kindOf(c) === "App").map((c) => {
    const m = oamApplication(Reflect.get(c, "spec") as AppSpec) as Parameters<typeof wadmDigest>[0];
    return { name: m.metadata?.name ?? c.node.id, version: m.metadata?.annotations?.["version"] ?? "", digest: wadmDigest(m), components: wadmComponents(m) };
  }).sort((a, b) => (a.name < b.name ? -1 : 1));
}

/** The v2 host groups of `l` with the members whose hosts join each, and how many hosts in all. */
function hostGroupsOf(l: ExpectationSource): ExpectedHostGroup[] {
  const groups = new Map<string, { members: string[]; hosts: number }>();
  for (const h of declaredHosts(l)) {
    const g = h.labels["hostgroup"] ?? l.name;
    const at = groups.get(g) ?? (groups.set(g, { members: [], hosts: 0 }), groups.get(g)!);
    at.members.push(h.what);
    at.hosts += h.replicas ?? 1;
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : 1)).map(([group, x]) => ({ group, ...x }));
}

/**
 * The expectation of `l`, whose output folder is `base`; `account` is the lattice account's
 * public key, `leafUsers` each leaf id's user public key.
 */
export function latticeExpectation(l: ExpectationSource, seed: MasterSeed, account: string, base = l.node.id, leafUsers: ReadonlyMap<string, string> = new Map()): LatticeExpectation {
  const plan = l.wasmcloud === "v1" ? v1JetStreamPlan(l.name, Math.min(3, l.hubs.length)) : undefined;
  const hosts = l.wasmcloud === "v1"
    ? l.node.children.filter((c) => kindOf(c) === "TlosNode").map((c) => {
      const id = c.node.id;
      return { node: id, publicKey: hostKeyPair(seed, l.path, id).getPublicKey(), labels: labelsOf(c) };
    }).sort((a, b) => (a.node < b.node ? -1 : 1))
    : [];
  return {
    lattice: l.name, account, wasmcloud: l.wasmcloud, mode: l.mode, jetstreamDomain: l.jetstreamDomain,
    hubs: l.hubs.map((h) => ({ id: h.id, host: h.host, ports: { client: h.ports.client, cluster: h.ports.cluster, leafnode: h.ports.leafnode } })),
    leaves: [...l.leafKinds()].map(([id, kind]) => leafOf(l, base, id, kind, leafUsers.get(id))).sort((a, b) => (a.id < b.id ? -1 : 1)),
    streams: (plan?.streams ?? []).map((s) => ({ name: s.name, replicas: plan?.replicas ?? 1 })),
    kv: (plan?.kv ?? []).map((k) => ({ bucket: k.bucket, replicas: plan?.replicas ?? 1 })),
    hosts,
    ...(l.wasmcloud === "v1" ? { apps: appsOf(l) } : { hostGroups: hostGroupsOf(l) }),
  };
}
