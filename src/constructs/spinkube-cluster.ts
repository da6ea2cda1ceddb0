/**
 * `SpinKubeCluster`: a Kubernetes cluster running Spin apps (SpinKube: cert-manager,
 * runtime-class-manager and its `Shim`, the spin-operator CRDs, an executor per app namespace, the
 * operator) and wasmCloud v2 (runtime-operator, host groups, `WorkloadDeployment`s of the
 * lattice's apps) joined to the lattice through an in-cluster NATS leaf. Only images signed with
 * the grid's cosign keys are admitted in its namespaces. Synth writes `<lattice>/k8s/<id>/` in
 * apply order; the Pulumi adapter creates the same objects.
 */
import { kubernetesStep } from "./plan-steps.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { clusterDirs } from "../core/layout.js";
import { DEFAULT_IMAGES } from "../core/images.js";
import { ImageRef } from "../core/image.js";
import { renderYaml } from "../core/yaml.js";
import { clusterImagePolicy, POLICY_LABEL } from "../spinkube/admission.js";
import { containerdFragment, runtimeClass, shim } from "../spinkube/runtime.js";
import { autoscaler, spinApp, spinAppExecutor, type SpinAppSpec } from "../spinkube/spin.js";
import { leafCredsSecret, leafObjects, operatorValues, type ClusterRegistryPull, type HostGroupSpec } from "../spinkube/wasmcloud.js";
import { workloadDeployment } from "../wasmcloud/workload.js";
import type { SynthContext, ArtifactKind } from "../core/artifact.js";
import { App } from "./app.js";
import type { Lattice } from "./lattice.js";
import { isLatticeScope, type JoinedLattice } from "./joined-lattice.js";
import { resolveSpinKubeCluster, type SpinKubeClusterProps } from "./spinkube-props.js";
import { installScript } from "./spinkube-install.js";
import { namespaceDoc } from "../kubernetes/namespace.js";
import { APPLY_ORDER, filesInOrder, INSTALL_SCRIPT, stageFile, type ApplyStage, type StagedDoc } from "../kubernetes/stages.js";
import { SPIN_CRD_FILES } from "./spinkube-crds.js";
import { SPINKUBE_KEYS } from "./prop-keys.js";

export type { SpinKubeClusterProps, SpinAppProps } from "./spinkube-props.js";

/** One Kubernetes document in apply order, with its stage and the file it goes to. */
export type ClusterDoc = StagedDoc;

export class SpinKubeCluster extends TlosConstruct {
  /** True for any SpinKubeCluster, also across two loaded copies of this library. */
  static isSpinKubeCluster(x: unknown): x is SpinKubeCluster {
    return kindOf(x) === "SpinKubeCluster";
  }
  /** The lattice it joins: the grid's own, or a platform's one joined by a team. */
  readonly lattice: Lattice | JoinedLattice;
  readonly install: Required<NonNullable<SpinKubeClusterProps["install"]>>;
  readonly runtimeName: string;
  readonly nodeSelector: Record<string, string>;
  /** Selector of the nodes 02-install.sh labels; undefined: none. */
  readonly labelNodes: string | undefined;
  readonly executorMode: { runtimeClassName: string } | { spinImage: string };
  readonly apps: readonly SpinAppSpec[];
  readonly keys: readonly string[];
  readonly wasmcloudNamespace: string | undefined;
  readonly hostGroups: readonly HostGroupSpec[];
  private readonly sha256: { x86_64: string; aarch64: string };
  private readonly shimVersion: string;
  /** Documents other constructs add to the apply order, by file. */
  private readonly added = new Map<string, ClusterDoc[]>();
  /** The lattice registry's pull Secret and CA, set by the Registry. */
  private registryPull: ClusterRegistryPull | undefined;

  constructor(lattice: Lattice | JoinedLattice, id: string, props: SpinKubeClusterProps) {
    super(lattice, id, "SpinKubeCluster");
    const p = (this.plain(props) ?? {}) as Partial<SpinKubeClusterProps>;
    this.knownKeys(p, SPINKUBE_KEYS);
    this.lattice = lattice;
    if (!isLatticeScope(lattice)) this.problem("scope", "a SpinKubeCluster must be created inside a Lattice (or a JoinedLattice)");
    ({
      install: this.install, runtimeName: this.runtimeName, nodeSelector: this.nodeSelector, labelNodes: this.labelNodes, shimVersion: this.shimVersion,
      sha256: this.sha256, executorMode: this.executorMode, keys: this.keys, apps: this.apps, wasmcloudNamespace: this.wasmcloudNamespace, hostGroups: this.hostGroups,
    } = resolveSpinKubeCluster(p, isLatticeScope(lattice) ? lattice.wasmcloud : undefined, (f, m) => this.problem(f, m), (f, m) => this.warn(f, m)));
  }

  /** The lattice's v2 apps this cluster runs (every App of the lattice). */
  private workloads(): Record<string, unknown>[] {
    if (!this.wasmcloudNamespace) return [];
    return this.lattice.node.children
      .filter(App.isApp)
      .map((app) => workloadDeployment(app.spec));
  }

  /**
   * Adds documents another construct writes (e.g. an R2Backup's CronJob, `08-backup-<name>.yaml`)
   * to this cluster's apply order, so `02-install.sh` and the Pulumi adapter apply them. Adding
   * the same stage and name again replaces the earlier documents.
   */
  addDocs(stage: ApplyStage, docs: readonly Record<string, unknown>[], name?: string): void {
    const file = stageFile(stage, name);
    this.added.set(file, docs.map((doc) => ({ stage, file, doc })));
  }

  /**
   * Makes every pod this cluster writes (Spin apps, the leaf, the wasmCloud host groups) pull
   * with the lattice registry's pull Secret, and the host groups trust its CA (set by a Registry).
   */
  pullThroughRegistry(p: ClusterRegistryPull): void {
    this.registryPull = p;
  }

  /** The file under `secrets/` with the registry's pull Secrets for this cluster, if the lattice has a registry. */
  get registrySecrets(): string | undefined {
    return this.registryPull?.secretsFile;
  }

  /** The namespaces this cluster runs pods in (Spin apps, workloads, wasmCloud). */
  podNamespaces(): string[] {
    const wl = this.workloads().map((w) => (w["metadata"] as { namespace: string }).namespace);
    return [...new Set([...this.apps.map((a) => a.namespace), ...wl, ...(this.wasmcloudNamespace ? [this.wasmcloudNamespace] : [])])].sort();
  }

  /** Every object of the cluster, in apply order (namespaces and CRDs first), with the ones added by {@link addDocs}. Secrets excluded. */
  docs(caPem: string | undefined = this.lattice.caCertificate): ClusterDoc[] {
    const all = [...this.ownDocs(caPem), ...[...this.added.values()].flat()];
    return APPLY_ORDER.flatMap(({ stage }) => all.filter((d) => d.stage === stage));
  }

  /** The objects this cluster writes itself, in apply order; `caPem`: the CA its leaf verifies the hubs with. */
  private ownDocs(caPem: string | undefined): ClusterDoc[] {
    const at = (stage: ApplyStage) => ({ stage, file: stageFile(stage) });
    const out: ClusterDoc[] = [];
    const appNamespaces = [...new Set(this.apps.map((a) => a.namespace))].sort();
    const workloads = this.workloads();
    const wlNamespaces = [...new Set(workloads.map((w) => (w["metadata"] as { namespace: string }).namespace))];
    const namespaces = [...new Set([...appNamespaces, ...wlNamespaces, ...(this.wasmcloudNamespace ? [this.wasmcloudNamespace] : [])])].sort();
    for (const ns of namespaces) out.push({ ...at("namespaces"), doc: namespaceDoc(ns, this.install.admission ? POLICY_LABEL : {}) });
    if (this.install.spinCrds) for (const crd of SPIN_CRD_FILES()) out.push({ ...at("crds"), doc: crd });
    const rt = { runtimeClass: this.runtimeName, nodeSelector: this.nodeSelector, shimVersion: this.shimVersion, sha256: this.sha256 };
    if ("runtimeClassName" in this.executorMode) out.push({ ...at("runtime"), doc: this.install.runtimeClassManager ? shim(rt) : runtimeClass(rt) });
    if (this.install.admission) {
      const globs = ["**"];
      out.push({ ...at("admission"), doc: clusterImagePolicy(`tlos-${this.node.id}-signed`, this.keys, globs) });
    }
    for (const ns of appNamespaces) out.push({ ...at("spin-apps"), doc: spinAppExecutor(ns, this.executorMode) });
    const pull = this.registryPull ? [this.registryPull.secret] : [];
    for (const a of this.apps) {
      out.push({ ...at("spin-apps"), doc: spinApp({ ...a, imagePullSecrets: [...a.imagePullSecrets, ...pull] }) });
      const as = autoscaler(a);
      if (as) out.push({ ...at("spin-apps"), doc: as });
    }
    if (this.registryPull && this.wasmcloudNamespace) {
      // the host groups trust the registry's certificate with this CA (ociCaPaths)
      out.push({ ...at("registry"), doc: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: this.registryPull.caConfigMap, namespace: this.wasmcloudNamespace, labels: { "app.kubernetes.io/managed-by": "tlos" } }, data: { "ca.crt": caPem ?? "" } } });
    }
    if (this.wasmcloudNamespace) {
      const natsImage = this.lattice.natsImage;
      for (const d of leafObjects({ namespace: this.wasmcloudNamespace, natsImage, hubs: this.lattice.leafUrls(), caPem, domain: this.node.id, lattice: this.lattice.name, backups: this.lattice.clusterLeafUsers(this.node.id), imagePullSecrets: pull })) out.push({ ...at("wasmcloud"), doc: d });
      for (const w of workloads) out.push({ ...at("workloads"), doc: w });
    }
    return out;
  }

  /** Values of the wasmCloud runtime-operator chart. */
  wasmcloudValues(): Record<string, unknown> {
    const host = ImageRef.parse(DEFAULT_IMAGES.washHost);
    return operatorValues(this.hostGroups, { registry: host.registry, repository: host.repository, tag: `${host.tag ?? ""}${host.digest ? `@${host.digest}` : ""}` }, this.registryPull);
  }

  _synthesize(ctx: SynthContext): void {
    const dirs = clusterDirs(this.lattice.node.id, this.node.id);
    const dir = dirs.dir;
    const add = (path: string, content: string, kind: ArtifactKind, secret = false, executable = false) =>
      ctx.add({ path, content, kind, target: "kubernetes", secret, executable });
    const byFile = new Map<string, Record<string, unknown>[]>();
    for (const d of this.ownDocs(this.lattice.caPem(ctx.seed))) byFile.set(d.file, [...(byFile.get(d.file) ?? []), d.doc]);
    for (const [file, docs] of byFile) add(`${dir}/${file}`, renderYaml(docs, { multi: true, header: [`${file}: ${this.path}. Apply in file order (02-install.sh does). Generated by tlos.`] }), "k8s-manifest");
    add(`${dir}/${INSTALL_SCRIPT}`, installScript(this, filesInOrder(this.docs())), "script", false, true);
    ctx.step(kubernetesStep(this.path, dir, Object.entries(this.nodeSelector).map(([k, v]) => `${k}=${v}`).join(","), this.labelNodes, this.wasmcloudNamespace));
    if (this.wasmcloudNamespace) {
      add(`${dir}/wasmcloud-values.yaml`, renderYaml(this.wasmcloudValues(), { header: ["Values for the wasmCloud runtime-operator chart. Generated by tlos."] }), "helm-values");
      const { leafCreds } = this.lattice.leafSecrets(ctx.seed, ctx.issuedAt, this.node.id);
      add(`${dirs.secrets}/leaf-creds.yaml`, renderYaml(leafCredsSecret(this.wasmcloudNamespace, leafCreds)), "k8s-manifest", true);
    }
    if ("runtimeClassName" in this.executorMode && !this.install.runtimeClassManager) {
      add(`${dir}/node-setup/containerd-1.x.toml`, containerdFragment(1, this.shimVersion), "node-setup");
      add(`${dir}/node-setup/containerd-2.x.toml`, containerdFragment(2, this.shimVersion), "node-setup");
    }
  }
}
