/** The declared state `tlos status` checks a running lattice against (nats/expectation.ts). */
import { kindOf } from "../core/construct.js";
import type { MasterSeed } from "../core/seed.js";
import { hostKeyPair } from "../nats/auth.js";
import type { LatticeExpectation } from "../nats/expectation.js";
import { v1JetStreamPlan } from "../wasmcloud/jetstream-plan.js";
import type { IConstruct } from "constructs";
import type { LeafKind } from "../nats/leaf-roles.js";

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

/** The expectation of `l`; `account` is the lattice account's public key. */
export function latticeExpectation(l: ExpectationSource, seed: MasterSeed, account: string): LatticeExpectation {
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
    leaves: [...l.leafKinds()].map(([id, kind]) => ({ id, kind })).sort((a, b) => (a.id < b.id ? -1 : 1)),
    streams: (plan?.streams ?? []).map((s) => ({ name: s.name, replicas: plan?.replicas ?? 1 })),
    kv: (plan?.kv ?? []).map((k) => ({ bucket: k.bucket, replicas: plan?.replicas ?? 1 })),
    hosts,
  };
}
