/**
 * A Registry and the lattice's Kubernetes clusters: its placement in one of them (when `host`
 * names a SpinKubeCluster: src/registry/kubernetes.ts, through the cluster's apply order), and, in
 * every cluster of the lattice, a pull Secret with that cluster's own pull identity in each
 * namespace it runs pods in, the CA for the wasmCloud hosts, and containerd's `certs.d` files
 * for its nodes.
 */
import { clusterDirs, relativeFrom } from "../core/layout.js";
import { PHASE } from "../core/host-items.js";
import { show } from "../core/errors.js";
import type { SynthContext } from "../core/artifact.js";
import { fileAdder } from "../core/artifact.js";
import { idProblem } from "../core/names.js";
import { renderYaml } from "../core/yaml.js";
import { stageFile } from "../kubernetes/stages.js";
import type { RegistryIdentity } from "../registry/htpasswd.js";
import { containerdHostsToml, pullSecret, registryConfigs, registryK8sDocs, registryK8sNames, registryK8sSecrets, type RegistryK8sPlacement } from "../registry/kubernetes.js";
import { registryEndpoint, type RegistrySpec } from "../registry/model.js";
import type { RegistryKubernetesProps } from "./registry-props.js";
import { SpinKubeCluster } from "./spinkube-cluster.js";
import type { Lattice } from "./lattice.js";

const CIDR = /^(\d{1,3}(\.\d{1,3}){3}\/\d{1,2}|[0-9a-fA-F:]+\/\d{1,3})$/;
const QUANTITY = /^[1-9]\d*(Ki|Mi|Gi|Ti)$/;
const SERVICE_TYPES = ["LoadBalancer", "NodePort", "ClusterIP"];

/** The `kubernetes` props resolved; problems reported through `problem`. */
export function resolveRegistryK8s(k: RegistryKubernetesProps | undefined, problem: (field: string, message: string) => void): RegistryK8sPlacement {
  const p = (typeof k === "object" && k !== null ? k : {}) as RegistryKubernetesProps;
  const namespace = p.namespace ?? "tlos-registry";
  const why = typeof namespace === "string" ? idProblem(namespace) : "is not a namespace name";
  if (why) problem("kubernetes.namespace", `${show(p.namespace)}: ${why}`);
  const serviceType = p.serviceType ?? "ClusterIP";
  if (!SERVICE_TYPES.includes(serviceType)) problem("kubernetes.serviceType", `${show(p.serviceType)} is not a Service type: use ${SERVICE_TYPES.join(", ")}`);
  const storageSize = p.storageSize ?? "20Gi";
  if (!(typeof storageSize === "string" && QUANTITY.test(storageSize))) problem("kubernetes.storageSize", `${show(p.storageSize)} is not a size: use e.g. "20Gi"`);
  if (p.storageClassName !== undefined && (typeof p.storageClassName !== "string" || idProblem(p.storageClassName))) problem("kubernetes.storageClassName", `${show(p.storageClassName)} is not a StorageClass name`);
  const cidrs = (f: "pullFrom" | "pushFrom"): string[] => {
    const v = p[f] ?? [];
    if (!Array.isArray(v) || v.some((c) => typeof c !== "string" || !CIDR.test(c))) {
      problem(`kubernetes.${f}`, `${show(p[f])} is not a list of CIDRs, e.g. ["10.0.0.0/16"]`);
      return [];
    }
    return [...v];
  };
  return { namespace, serviceType, storageSize, storageClassName: p.storageClassName, pullFrom: cidrs("pullFrom"), pushFrom: cidrs("pushFrom") };
}

/** The SpinKubeClusters of `lattice`. */
export function latticeClusters(lattice: Lattice): SpinKubeCluster[] {
  return lattice.node.children.filter(SpinKubeCluster.isSpinKubeCluster);
}

/** What the registry hands each cluster before synth: its placement's documents, and the pull Secret every pod uses. */
export function prepareRegistryK8s(s: RegistrySpec, lattice: Lattice, placement: RegistryK8sPlacement | undefined): void {
  const n = registryK8sNames(s.id);
  for (const c of latticeClusters(lattice)) {
    c.pullThroughRegistry({ secret: n.pullSecret, caConfigMap: n.ca, secretsFile: secretsFile(s.id) });
    if (placement === undefined || c.node.id !== s.host) continue;
    c.addDocs("namespaces", [{ apiVersion: "v1", kind: "Namespace", metadata: { name: placement.namespace, labels: { "app.kubernetes.io/managed-by": "tlos" } } }], `registry-${s.id}`);
    const yaml = registryConfigs(s);
    c.addDocs("registry", registryK8sDocs(s, placement, { pull: renderYaml(yaml.pull), push: renderYaml(yaml.push) }), s.id);
  }
}

const secretsFile = (id: string) => stageFile("registry", id).replace(/\.yaml$/, "-secrets.yaml");

/** The secret files and node setup of every cluster of the lattice. */
export function synthRegistryK8s(ctx: SynthContext, s: RegistrySpec, lattice: Lattice, i: {
  placement: RegistryK8sPlacement | undefined;
  caPem: string;
  identity: (cluster: string) => RegistryIdentity;
  own: Omit<Parameters<typeof registryK8sSecrets>[2], "cert" | "key"> & { cert: string | undefined; key: string | undefined };
}): void {
  const add = fileAdder(ctx);
  const n = registryK8sNames(s.id);
  const pull = registryEndpoint(s, "pull");
  for (const c of latticeClusters(lattice)) {
    const dirs = clusterDirs(lattice.node.id, c.node.id);
    const file = stageFile("registry", s.id);
    const hosting = i.placement !== undefined && c.node.id === s.host;
    if (hosting) {
      for (const f of [stageFile("namespaces", `registry-${s.id}`), file]) {
        add(`${dirs.dir}/${f}`, renderYaml(c.docs(i.caPem).filter((d) => d.file === f).map((d) => d.doc), { multi: true, header: [`${f}: registry ${s.id} of lattice ${lattice.name}${f === file ? ": configs, storage, the two instances, Services, NetworkPolicies, GC CronJob; its Secrets are under secrets/" : ": its namespace (no admission label: distribution's image is not signed with the grid's keys)"}. Generated by tlos.`] }), "k8s-manifest", "kubernetes");
      }
    }
    const own = hosting && i.own.cert && i.own.key ? registryK8sSecrets(s, i.placement!.namespace, { ...i.own, cert: i.own.cert, key: i.own.key }) : [];
    const id = i.identity(c.node.id);
    const secrets = [...own, ...c.podNamespaces().map((ns) => pullSecret(n.pullSecret, ns, pull, id))];
    add(`${dirs.secrets}/${secretsFile(s.id)}`, renderYaml(secrets, { multi: true, header: [`Secrets of registry ${s.id} in cluster ${c.node.id}: the pull Secret (this cluster's pull identity only) in each namespace${own.length ? ", the htpasswd files, TLS and upload secret" : ""}. Generated by tlos.`] }), "k8s-manifest", "kubernetes", true);
    const certs = `${dirs.dir}/node-setup/certs.d/${pull}`;
    add(`${certs}/hosts.toml`, containerdHostsToml(pull, `/etc/containerd/certs.d/${pull}/ca.crt`), "node-setup", "kubernetes");
    add(`${certs}/ca.crt`, i.caPem, "node-setup", "kubernetes");
    ctx.step({
      phase: PHASE.nodes, machine: "operator", title: `nodes of cluster ${c.node.id} trust registry ${s.id}`,
      commands: [`# on every node: copy ${relativeFrom(dirs.dir, `${dirs.dir}/node-setup/certs.d`)}/ to /etc/containerd/certs.d/ (containerd 1.x: set config_path = "/etc/containerd/certs.d" in the CRI registry section), then restart containerd`],
      check: `a pod whose image is ${pull}/<upstream>/<name>@sha256:… starts (kubectl describe pod shows the pull from ${pull})`,
    });
  }
}
