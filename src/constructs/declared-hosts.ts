/**
 * The wasmCloud hosts a lattice declares, with the labels each advertises: TlosNodes (Podman or
 * Akash), the host of each AkashGpuPool, and the host groups of SpinKubeClusters. Read through the
 * construct kinds (`kindOf`), so this file imports none of those constructs.
 */
import type { IConstruct } from "constructs";
import { kindOf } from "../core/construct.js";
import type { DeclaredHost } from "../wasmcloud/placement-check.js";
import { v2HostGroup } from "../wasmcloud/host.js";

const get = (c: IConstruct, k: string): unknown => Reflect.get(c, k);
/** Akash replicas of a node or pool (its `cost`), 1 elsewhere. */
const replicasOf = (c: IConstruct): number => (get(c, "cost") as { replicas?: number } | undefined)?.replicas ?? 1;

export function declaredHosts(lattice: IConstruct & { readonly name: string; readonly wasmcloud: "v1" | "v2" }): DeclaredHost[] {
  const out: DeclaredHost[] = [];
  const v2 = lattice.wasmcloud === "v2";
  for (const c of lattice.node.children) {
    const kind = kindOf(c);
    if (kind === "SpinKubeCluster") {
      for (const g of (get(c, "hostGroups") as { name: string; replicas?: number }[] | undefined) ?? []) out.push({ what: `SpinKubeCluster ${c.node.id} host group ${g.name}`, labels: { hostgroup: g.name }, scheduled: true, replicas: g.replicas ?? 1 });
    } else if (kind === "TlosNode") {
      const labels = { ...((get(c, "labels") as Record<string, string> | undefined) ?? {}), ...(get(c, "target") === "akash" ? { target: "akash" } : {}) };
      out.push({ what: `TlosNode ${c.node.id}`, labels: v2 ? { hostgroup: v2HostGroup(labels, lattice.name) } : labels, replicas: replicasOf(c) });
    } else if (kind === "AkashGpuPool") {
      const labels = { system: "ai", pool: c.node.id };
      out.push({ what: `AkashGpuPool ${c.node.id}`, labels: v2 ? { hostgroup: v2HostGroup(labels, lattice.name) } : labels, replicas: replicasOf(c) });
    }
  }
  return out;
}
