/**
 * The wasmCloud hosts a lattice declares, with the labels each advertises: TlosNodes (Podman or
 * Akash), the host of each AkashGpuPool, and the host groups of SpinKubeClusters. Read through the
 * constructs' kind markers, so this file imports none of them.
 */
import type { IConstruct } from "constructs";
import type { DeclaredHost } from "../wasmcloud/placement-check.js";
import { v2HostGroup } from "../wasmcloud/host.js";

type Any = Record<string, unknown>;

export function declaredHosts(lattice: IConstruct & { readonly name: string; readonly wasmcloud: "v1" | "v2" }): DeclaredHost[] {
  const out: DeclaredHost[] = [];
  const v2 = lattice.wasmcloud === "v2";
  for (const c of lattice.node.children) {
    const x = c as unknown as Any;
    if (x["_isSpinKubeCluster"] === true) {
      for (const g of (x["hostGroups"] as { name: string }[] | undefined) ?? []) out.push({ what: `SpinKubeCluster ${c.node.id} host group ${g.name}`, labels: { hostgroup: g.name }, scheduled: true });
    } else if (x["_isLatticeMember"] === true) {
      const labels = { ...((x["labels"] as Record<string, string> | undefined) ?? {}), ...(x["target"] === "akash" ? { target: "akash" } : {}) };
      out.push({ what: `TlosNode ${c.node.id}`, labels: v2 ? { hostgroup: v2HostGroup(labels, lattice.name) } : labels });
    } else if (x["_hasLeaf"] === true) {
      const labels = { system: "ai", pool: c.node.id };
      out.push({ what: `AkashGpuPool ${c.node.id}`, labels: v2 ? { hostgroup: v2HostGroup(labels, lattice.name) } : labels });
    }
  }
  return out;
}
