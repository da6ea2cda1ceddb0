/** The declared state `tlos status` checks a running lattice against (nats/expectation.ts). */
import { kindOf } from "../core/construct.js";
import type { MasterSeed } from "../core/seed.js";
import { hostKeyPair } from "../nats/auth.js";
import type { LatticeExpectation } from "../nats/expectation.js";
import { v1JetStreamPlan } from "../wasmcloud/jetstream-plan.js";
import type { Lattice } from "./lattice.js";
import type { TlosNode } from "./tlos-node.js";

/** The expectation of `l`; `account` is the lattice account's public key. */
export function latticeExpectation(l: Lattice, seed: MasterSeed, account: string): LatticeExpectation {
  const plan = l.wasmcloud === "v1" ? v1JetStreamPlan(l.name, Math.min(3, l.hubs.length)) : undefined;
  const hosts = l.wasmcloud === "v1"
    ? l.node.children.filter((c) => kindOf(c) === "TlosNode").map((c) => {
      const n = c as TlosNode;
      return { node: n.id, publicKey: hostKeyPair(seed, l.path, n.id).getPublicKey(), labels: { ...n.labels } };
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
