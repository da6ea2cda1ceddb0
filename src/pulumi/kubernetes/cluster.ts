/**
 * A `SpinKubeCluster` as `@pulumi/kubernetes` resources, parented to its component: the charts as
 * `helm.v3.Release`s, core objects as typed classes, custom resources as `CustomResource`s (not
 * remote components, so `pulumi preview` and mocks see every object). Objects follow the synth's
 * apply order (kubernetes/stages.ts, the table 02-install.sh follows too) through `dependsOn`. `@pulumi/kubernetes` is loaded only when a grid has a cluster.
 * @see https://www.pulumi.com/registry/packages/kubernetes/
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type * as K8s from "@pulumi/kubernetes";
import type { SpinKubeCluster } from "../../constructs/spinkube-cluster.js";
import { SPINKUBE_VERSIONS as V } from "../../spinkube/versions.js";
import { APPLY_ORDER, type ApplyStage } from "../../kubernetes/stages.js";

const require = createRequire(import.meta.url);

export interface ClusterResourcesOptions {
  /** The cluster's Kubernetes provider (kubeconfig); every object is created through it. */
  readonly provider?: K8s.Provider;
  /** Protect namespaces and CRDs (deleting either deletes every object in it). @default true */
  readonly protect?: boolean;
}

/**
 * Stands in for the lattice CA certificate while the cluster's documents are built: the CA is
 * derived from the master seed, which Pulumi holds as an Output, so the leaf ConfigMap's `ca.pem`
 * entry is set from that Output when the object is created.
 */
const CA_FROM_SEED = "tlos:lattice-ca-from-master-seed";

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } & Record<string, unknown>;

/** The Pulumi name of one object of a cluster: kind, namespace and name below the cluster's name. */
export function objectName(name: string, d: { kind: string; metadata: { name: string; namespace?: string } }): string {
  return `${name}-${d.kind.toLowerCase()}-${d.metadata.namespace ? `${d.metadata.namespace}-` : ""}${d.metadata.name}`;
}

/** The document with the CA Output in place of {@link CA_FROM_SEED} (only a ConfigMap's data holds it). */
function withCa(d: Doc, caPem: pulumi.Output<string> | undefined): Doc {
  const data = d["data"] as Record<string, unknown> | undefined;
  if (!caPem || d.kind !== "ConfigMap" || !data || !Object.values(data).includes(CA_FROM_SEED)) return d;
  return { ...d, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, v === CA_FROM_SEED ? caPem : v])) };
}

/** Names two objects of the cluster would share (`ns a-b`/`c` and `ns a`/`b-c`): refused before registration. */
export function objectNameCollisions(name: string, cluster: SpinKubeCluster): string[] {
  const seen = new Map<string, number>();
  for (const d of cluster.docs()) {
    const n = objectName(name, d.doc as Doc);
    seen.set(n, (seen.get(n) ?? 0) + 1);
  }
  return [...seen].filter(([, k]) => k > 1).map(([n]) => n);
}

/**
 * Creates the cluster's objects; returns them by `<file>/<kind>/<namespace>/<name>`. `caPem`: the
 * CA certificate the in-cluster leaf verifies the hubs with (seed-derived, or the lattice's own
 * `caCertificate`); without it the leaf trusts the system CAs, as synth without a seed writes it.
 */
export function clusterResources(name: string, cluster: SpinKubeCluster, parent: pulumi.Resource, leafCreds: pulumi.Output<string> | undefined, o: ClusterResourcesOptions, caPem?: pulumi.Output<string>): Record<string, pulumi.Resource> {
  const k8s = require("@pulumi/kubernetes") as typeof K8s;
  const out: Record<string, pulumi.Resource> = {};
  const base: pulumi.CustomResourceOptions = { parent, ...(o.provider ? { provider: o.provider } : {}) };
  const after = (deps: pulumi.Resource[]): pulumi.CustomResourceOptions => ({ ...base, dependsOn: [...deps] });
  const release = (id: string, args: K8s.helm.v3.ReleaseArgs, deps: pulumi.Resource[]) => {
    const r = new k8s.helm.v3.Release(`${name}-${id}`, { ...args, createNamespace: true, atomic: true }, after(deps));
    out[`helm/${id}`] = r;
    return r;
  };
  const docs = cluster.docs(caPem ? CA_FROM_SEED : undefined);
  const create = (file: string, d: Doc, deps: pulumi.Resource[]): pulumi.Resource => {
    const n = objectName(name, d);
    const stateful = d.kind === "Namespace" || d.kind === "CustomResourceDefinition";
    const opts = { ...after(deps), ...(stateful ? { protect: o.protect ?? true } : {}) };
    const { apiVersion, kind, ...rest } = withCa(d, caPem);
    let r: pulumi.Resource;
    switch (`${apiVersion}/${kind}`) {
      case "v1/Namespace": r = new k8s.core.v1.Namespace(n, rest as unknown as K8s.core.v1.NamespaceArgs, opts); break;
      case "v1/ConfigMap": r = new k8s.core.v1.ConfigMap(n, rest as unknown as K8s.core.v1.ConfigMapArgs, opts); break;
      case "v1/Service": r = new k8s.core.v1.Service(n, rest as unknown as K8s.core.v1.ServiceArgs, opts); break;
      case "apps/v1/Deployment": r = new k8s.apps.v1.Deployment(n, rest as unknown as K8s.apps.v1.DeploymentArgs, opts); break;
      case "networking.k8s.io/v1/NetworkPolicy": r = new k8s.networking.v1.NetworkPolicy(n, rest as unknown as K8s.networking.v1.NetworkPolicyArgs, opts); break;
      case "node.k8s.io/v1/RuntimeClass": r = new k8s.node.v1.RuntimeClass(n, rest as unknown as K8s.node.v1.RuntimeClassArgs, opts); break;
      case "autoscaling/v2/HorizontalPodAutoscaler": r = new k8s.autoscaling.v2.HorizontalPodAutoscaler(n, rest as unknown as K8s.autoscaling.v2.HorizontalPodAutoscalerArgs, opts); break;
      case "apiextensions.k8s.io/v1/CustomResourceDefinition": r = new k8s.apiextensions.v1.CustomResourceDefinition(n, rest as unknown as K8s.apiextensions.v1.CustomResourceDefinitionArgs, opts); break;
      default: r = new k8s.apiextensions.CustomResource(n, { apiVersion, kind, ...rest } as unknown as K8s.apiextensions.CustomResourceArgs, opts);
    }
    out[`${file}/${kind}/${d.metadata.namespace ?? ""}/${d.metadata.name}`] = r;
    return r;
  };
  const inStage = (stage: ApplyStage) => docs.filter((d) => d.stage === stage);
  const make = (stage: ApplyStage, deps: pulumi.Resource[]) => inStage(stage).map((d) => create(d.file, d.doc as Doc, deps));
  const i = cluster.install;
  const ns = cluster.wasmcloudNamespace;
  const made: Partial<Record<ApplyStage, pulumi.Resource[]>> = {};
  const got = (...stages: ApplyStage[]) => stages.flatMap((st) => made[st] ?? []);
  let certManager: pulumi.Resource[] = [];
  let leafSecret: pulumi.Resource[] = [];
  // the one apply order (kubernetes/stages.ts); each stage waits for what it needs
  for (const { stage: st } of APPLY_ORDER) {
    const base = got("namespaces", "crds");
    switch (st) {
      case "namespaces":
      case "crds":
        made[st] = make(st, []);
        if (st === "crds" && i.certManager) certManager = [release("cert-manager", { chart: "cert-manager", version: V.certManager, namespace: "cert-manager", repositoryOpts: { repo: "https://charts.jetstack.io" }, values: { crds: { enabled: true } } }, got("namespaces", "crds"))];
        break;
      case "runtime": {
        const rcm = i.runtimeClassManager && inStage("runtime").length > 0 ? [release("runtime-class-manager", { chart: "oci://ghcr.io/spinframework/charts/runtime-class-manager", version: V.runtimeClassManager, namespace: "runtime-class-manager" }, [...base, ...certManager])] : [];
        made[st] = make(st, [...base, ...rcm]);
        break;
      }
      case "admission": {
        const policy = i.admission ? [release("policy-controller", { chart: "policy-controller", version: V.policyController, namespace: "cosign-system", repositoryOpts: { repo: "https://sigstore.github.io/helm-charts" } }, base)] : [];
        made[st] = make(st, [...base, ...policy]);
        break;
      }
      case "registry":
        // its Secrets (htpasswd, TLS, pull Secrets) are not Pulumi resources yet: kubectl apply the secrets/ file first
        made[st] = make(st, [...base, ...got("admission")]);
        break;
      case "spin-apps": {
        const operator = i.spinOperator ? [release("spin-operator", { chart: "oci://ghcr.io/spinframework/charts/spin-operator", version: V.spinOperator, namespace: "spin-operator" }, [...base, ...certManager])] : [];
        made[st] = make(st, [...base, ...operator, ...got("runtime", "admission")]);
        break;
      }
      case "wasmcloud": {
        if (!ns) break;
        const wasmcloud = i.wasmcloudOperator ? [release("wasmcloud", { chart: "oci://ghcr.io/wasmcloud/charts/runtime-operator", version: V.wasmcloudOperator, namespace: ns, values: cluster.wasmcloudValues() }, [...base, ...got("admission")])] : [];
        leafSecret = [...base, ...wasmcloud];
        if (leafCreds) {
          const secret = new k8s.core.v1.Secret(`${name}-secret-tlos-leaf-creds`, { metadata: { name: "tlos-leaf-creds", namespace: ns }, type: "Opaque", stringData: { "leaf.creds": pulumi.secret(leafCreds) } }, after(leafSecret));
          out["secrets/Secret/tlos-leaf-creds"] = secret;
        }
        made[st] = make(st, leafSecret);
        break;
      }
      case "workloads":
      case "backup":
        // both run through the in-cluster leaf (and its TLS secret) of the wasmcloud stage
        if (ns) made[st] = make(st, [...leafSecret, ...got("wasmcloud")]);
        break;
      default: {
        const never: never = st;
        throw new Error(`internal: no Pulumi mapping for apply stage ${String(never)}`);
      }
    }
  }
  return out;
}
