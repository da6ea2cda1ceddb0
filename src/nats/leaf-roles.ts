/**
 * Which role each leaf user of a lattice gets: nodes act as their wasmCloud host (v1 with its
 * per-host control subjects), GPU pools as inference servers only, Kubernetes clusters as the
 * runtime-operator plus their v2 hosts.
 */
import { kindOf } from "../core/construct.js";
import type { WasmCloudVersion } from "../wasmcloud/host.js";
import { aiPoolRole, kubeLeafRole, nodeRoleV1, nodeRoleV2, type Role } from "./roles.js";

/** What dials in with a leaf user. */
export type LeafKind = "node" | "ai-pool" | "k8s";

const BY_KIND = new Map<string, LeafKind>([["TlosNode", "node"], ["SpinKubeCluster", "k8s"], ["AkashGpuPool", "ai-pool"]]);

/** Leaf id → kind, for the constructs among `children` that dial in with a leaf user. */
export function leafKindsOf(children: readonly { readonly node: { readonly id: string } }[]): Map<string, LeafKind> {
  const kinds = new Map<string, LeafKind>();
  for (const c of children) {
    const kind = BY_KIND.get(kindOf(c) ?? "");
    if (kind) kinds.set(c.node.id, kind);
  }
  return kinds;
}

export interface LeafRoleInput {
  readonly lattice: string;
  readonly domain: string;
  readonly wasmcloud: WasmCloudVersion;
  readonly policyTopic: string;
  /** v1 node → its host public key. */
  readonly hostId: (nodeId: string) => string;
  /** Kubernetes leaf → the further users of its in-cluster leaf (their rights cross the leaf). @default none */
  readonly clusterUsers?: (clusterId: string) => readonly Role[];
}

/** Leaf id → its role, each made when asked (a v1 node's derives its host key): a lattice's leaf users are made one by one. */
export function leafRoles(kinds: ReadonlyMap<string, LeafKind>, i: LeafRoleInput): Map<string, () => Role> {
  const out = new Map<string, () => Role>();
  const node = { lattice: i.lattice, domain: i.domain, policyTopic: i.policyTopic };
  for (const [id, kind] of kinds) {
    out.set(id, () => (kind === "ai-pool" ? aiPoolRole(i.lattice)
      : kind === "k8s" ? kubeLeafRole(i.lattice, i.clusterUsers?.(id) ?? [])
      : i.wasmcloud === "v1" ? nodeRoleV1({ ...node, hostId: i.hostId(id) }) : nodeRoleV2(node)));
  }
  return out;
}
