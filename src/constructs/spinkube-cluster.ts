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
import { asString, show } from "../core/errors.js";
import { DEFAULT_IMAGES } from "../core/images.js";
import { ImageRef } from "../core/image.js";
import { ID_PATTERN } from "../core/names.js";
import { Cpu, Memory } from "../core/quantity.js";
import { renderYaml } from "../core/yaml.js";
import { clusterImagePolicy, POLICY_LABEL } from "../spinkube/admission.js";
import { containerdFragment, runtimeClass, shim } from "../spinkube/runtime.js";
import { SHIM_SHA256, shimVersionProblem } from "../spinkube/shim-releases.js";
import { autoscaler, spinApp, spinAppExecutor, type SpinAppSpec } from "../spinkube/spin.js";
import { SPINKUBE_VERSIONS } from "../spinkube/versions.js";
import { leafCredsSecret, leafObjects, operatorValues, type HostGroupSpec } from "../spinkube/wasmcloud.js";
import { workloadDeployment } from "../wasmcloud/workload.js";
import type { SynthContext, ArtifactKind } from "../core/artifact.js";
import { App } from "./app.js";
import { Lattice } from "./lattice.js";
import type { SpinAppProps, SpinKubeClusterProps } from "./spinkube-props.js";
import { asNumber } from "./validate.js";
import { installScript } from "./spinkube-install.js";
import { APPLY_ORDER, filesInOrder, INSTALL_SCRIPT, stageFile, type ApplyStage, type StagedDoc } from "../kubernetes/stages.js";
import { SPIN_CRD_FILES } from "./spinkube-crds.js";
import { SPINKUBE_KEYS } from "./prop-keys.js";

export type { SpinKubeClusterProps, SpinAppProps } from "./spinkube-props.js";

const PEM_KEY = /^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/;

/** One Kubernetes document in apply order, with its stage and the file it goes to. */
export type ClusterDoc = StagedDoc;

/** The most replicas of a SpinApp or host group. */
const MAX_REPLICAS = 10_000;

export class SpinKubeCluster extends TlosConstruct {
  /** True for any SpinKubeCluster, also across two loaded copies of this library. */
  static isSpinKubeCluster(x: unknown): x is SpinKubeCluster {
    return kindOf(x) === "SpinKubeCluster";
  }
  readonly lattice: Lattice;
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

  constructor(lattice: Lattice, id: string, props: SpinKubeClusterProps) {
    super(lattice, id, "SpinKubeCluster");
    const p = (this.plain(props) ?? {}) as Partial<SpinKubeClusterProps>;
    this.knownKeys(p, SPINKUBE_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "a SpinKubeCluster must be created inside a Lattice");
    const inst = this.obj<NonNullable<SpinKubeClusterProps["install"]>>("install", p.install) ?? {};
    this.install = {
      certManager: inst.certManager ?? true,
      runtimeClassManager: inst.runtimeClassManager ?? true,
      spinCrds: inst.spinCrds ?? true,
      spinOperator: inst.spinOperator ?? true,
      admission: inst.admission ?? true,
      wasmcloudOperator: inst.wasmcloudOperator ?? true,
    };
    for (const [k, v] of Object.entries(this.install)) if (typeof v !== "boolean") this.problem(`install.${k}`, `${show(v)} is not allowed: use true or false`);
    const rtIn = this.obj<NonNullable<SpinKubeClusterProps["runtime"]>>("runtime", p.runtime) ?? {};
    const rn: unknown = rtIn.name ?? "wasmtime-spin-v2";
    this.runtimeName = typeof rn === "string" && ID_PATTERN.test(rn) ? rn : "wasmtime-spin-v2";
    if (this.runtimeName !== rn) this.problem("runtime.name", `${show(rn)} is not a RuntimeClass name: use a DNS label`);
    this.nodeSelector = this.labels("runtime.nodeSelector", rtIn.nodeSelector ?? { spin: "true" });
    const sel = rtIn.labelNodes;
    this.labelNodes = typeof sel === "string" && /^[A-Za-z0-9][A-Za-z0-9./_=!,-]{0,316}$/.test(sel) ? sel : undefined;
    if (sel !== undefined && this.labelNodes === undefined) this.problem("runtime.labelNodes", `${show(sel)} is not a label selector: use key[=value] terms joined by ',' (letters, digits, . / _ - = !)`);
    const sha = this.obj<Record<string, unknown>>("runtime.sha256", rtIn.sha256);
    if (sha) for (const [k, v] of Object.entries(sha)) if (!["x86_64", "aarch64"].includes(k) || typeof v !== "string" || !/^[a-f0-9]{64}$/.test(v)) this.problem(`runtime.sha256.${k}`, `${show(v)} is not a sha256 for x86_64 or aarch64`);
    this.shimVersion = typeof rtIn.shimVersion === "string" ? rtIn.shimVersion : SPINKUBE_VERSIONS.containerdShimSpin;
    const sv = shimVersionProblem(rtIn.shimVersion ?? this.shimVersion);
    if (sv) this.problem("runtime.shimVersion", sv);
    this.sha256 = { x86_64: "", aarch64: "", ...SHIM_SHA256[this.shimVersion], ...(sha as Record<string, string> | undefined) };
    for (const arch of ["x86_64", "aarch64"] as const) if (!sv && !this.sha256[arch]) this.problem(`runtime.sha256.${arch}`, `no sha256 on record for containerd-shim-spin ${this.shimVersion} ${arch}: give the tarball's sha256 (release page or sha256sum), since every node installs it as containerd's runtime`);
    const ex = this.obj<NonNullable<SpinKubeClusterProps["executor"]>>("executor", p.executor ?? { runtimeClassName: this.runtimeName }) ?? {};
    const hasRc = typeof ex.runtimeClassName === "string", hasImage = typeof ex.spinImage === "string";
    if (hasRc === hasImage) this.problem("executor", "set exactly one of runtimeClassName and spinImage (the SpinAppExecutor webhook refuses both and neither)");
    if (hasImage) this.checkedImage("executor.spinImage", ex.spinImage);
    if (hasRc && ex.runtimeClassName !== this.runtimeName) this.problem("executor.runtimeClassName", `${show(ex.runtimeClassName)} is not the RuntimeClass this cluster sets up (${this.runtimeName})`);
    this.executorMode = hasImage ? { spinImage: asString(ex.spinImage) } : { runtimeClassName: this.runtimeName };
    const keys = Array.isArray(p.cosignPublicKeys) ? p.cosignPublicKeys : [];
    if (keys.length === 0) this.problem("cosignPublicKeys", "name at least one cosign public key: only images signed with the grid's keys are admitted (cosign generate-key-pair; the pipelines sign with the private key)");
    keys.forEach((k, i) => {
      if (typeof k !== "string" || !PEM_KEY.test(k.trim() + "\n")) this.problem(`cosignPublicKeys[${i}]`, "must be a PEM public key (-----BEGIN PUBLIC KEY----- …), as cosign.pub holds it");
    });
    this.keys = keys.map((k) => `${asString(k).trim()}\n`);
    const apps = Array.isArray(p.spinApps) ? p.spinApps : p.spinApps === undefined ? [] : (this.problem("spinApps", `must be a list, got ${show(p.spinApps)}`), []);
    this.apps = apps.map((a, i) => this.app(a, `spinApps[${i}]`));
    const seen = new Map<string, number>();
    this.apps.forEach((a, i) => {
      const k = `${a.namespace}/${a.name}`;
      if (seen.has(k)) this.problem(`spinApps[${i}].name`, `app ${k} is already declared by spinApps[${seen.get(k)}]`);
      seen.set(k, i);
    });
    if (p.wasmcloud !== undefined && (typeof p.wasmcloud !== "object" || p.wasmcloud === null)) this.problem("wasmcloud", `must be an object ({ namespace?, hostGroups? }), got ${show(p.wasmcloud)}`);
    if (p.wasmcloud && typeof p.wasmcloud === "object") {
      if (Lattice.isLattice(lattice) && lattice.wasmcloud !== "v2") this.problem("wasmcloud", "wasmCloud on Kubernetes here is v2 (runtime-operator); this lattice is v1");
      const ns: unknown = p.wasmcloud.namespace ?? "wasmcloud";
      this.wasmcloudNamespace = typeof ns === "string" && ID_PATTERN.test(ns) ? ns : "wasmcloud";
      if (this.wasmcloudNamespace !== ns) this.problem("wasmcloud.namespace", `${show(ns)} is not a namespace name`);
      const rawGroups: unknown = p.wasmcloud.hostGroups ?? [{ name: "default", replicas: 1 }];
      if (!Array.isArray(rawGroups)) this.problem("wasmcloud.hostGroups", `must be a list of { name, replicas }, got ${show(rawGroups)}`);
      const groups = (Array.isArray(rawGroups) ? rawGroups : []) as { name?: unknown; replicas?: unknown }[];
      this.hostGroups = groups.map((g, i) => {
        if (typeof g?.name !== "string" || !ID_PATTERN.test(g.name)) this.problem(`wasmcloud.hostGroups[${i}].name`, `${show(g?.name)} is not a host group name: use a DNS label`);
        const r = g?.replicas ?? 1;
        if (!Number.isInteger(r) || (r as number) < 1 || (r as number) > MAX_REPLICAS) this.problem(`wasmcloud.hostGroups[${i}].replicas`, `${show(r)} is not allowed: use an integer from 1 to ${MAX_REPLICAS}`);
        return { name: asString(g?.name), replicas: asNumber(r, 1) };
      });
    } else {
      this.wasmcloudNamespace = undefined;
      this.hostGroups = [];
    }
  }

  private labels(field: string, v: unknown): Record<string, string> {
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.problem(field, `must be an object of label → value, got ${show(v)}`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/.test(k) || typeof x !== "string") this.problem(`${field}.${k}`, `${show(k)}: ${show(x)} is not a Kubernetes label`);
      else out[k] = x;
    }
    return out;
  }

  /** `v` as an object; anything else (but undefined) is a problem and becomes undefined. */
  private obj<T extends object>(field: string, v: unknown): T | undefined {
    if (v === undefined) return undefined;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as T;
    this.problem(field, `must be an object, got ${show(v)}`);
    return undefined;
  }

  private app(raw: SpinAppProps, f: string): SpinAppSpec {
    const a = this.obj<SpinAppProps>(f, raw) ?? ({} as SpinAppProps);
    const autoscalingIn = this.obj<NonNullable<SpinAppProps["autoscaling"]>>(`${f}.autoscaling`, a.autoscaling);
    const resIn = this.obj<NonNullable<SpinAppProps["resources"]>>(`${f}.resources`, a.resources);
    const varsIn = this.obj<NonNullable<SpinAppProps["variables"]>>(`${f}.variables`, a.variables);
    const checksIn = this.obj<NonNullable<SpinAppProps["checks"]>>(`${f}.checks`, a.checks);
    if (checksIn) for (const k of ["readiness", "liveness"] as const) if (checksIn[k] !== undefined && (typeof checksIn[k] !== "string" || !checksIn[k]!.startsWith("/"))) this.problem(`${f}.checks.${k}`, `${show(checksIn[k])} is not an HTTP path`);
    if (a.runtimeConfigSecret !== undefined && (typeof a.runtimeConfigSecret !== "string" || !ID_PATTERN.test(a.runtimeConfigSecret))) this.problem(`${f}.runtimeConfigSecret`, `${show(a.runtimeConfigSecret)} is not a Secret name`);
    const name = asString(a?.name);
    if (!ID_PATTERN.test(name)) this.problem(`${f}.name`, `${show(a?.name)} is not an app name: use a DNS label`);
    const namespace = a?.namespace ?? "apps";
    if (!ID_PATTERN.test(namespace)) this.problem(`${f}.namespace`, `${show(namespace)} is not a namespace name`);
    const image = this.checkedImage(`${f}.image`, a?.image);
    if (a?.replicas !== undefined && autoscalingIn !== undefined) this.problem(`${f}.replicas`, "replicas cannot be set when autoscaling is enabled (SpinApp webhook): drop one of them");
    if (a?.replicas !== undefined && !(Number.isInteger(a.replicas) && a.replicas >= 1 && a.replicas <= MAX_REPLICAS)) this.problem(`${f}.replicas`, `${show(a.replicas)} is not allowed: use an integer from 1 to ${MAX_REPLICAS}`);
    const res = resIn;
    const q = (field: string, v: unknown, parse: (x: string) => { toString(): string }) => {
      if (v === undefined) return undefined;
      try {
        return parse(asString(v)).toString();
      } catch (e) {
        this.problem(`${f}.resources.${field}`, (e as Error).message);
        return undefined;
      }
    };
    const cpu = q("cpu", res?.cpu, (x) => Cpu.parse(x)), memory = q("memory", res?.memory, (x) => Memory.parse(x));
    const cpuReq = q("cpuRequest", res?.cpuRequest, (x) => Cpu.parse(x)) ?? cpu, memReq = q("memoryRequest", res?.memoryRequest, (x) => Memory.parse(x)) ?? memory;
    let autoscaling: SpinAppSpec["autoscaling"];
    if (autoscalingIn !== undefined) {
      const s = autoscalingIn;
      const kind = s.kind ?? "hpa";
      if (kind !== "hpa" && kind !== "keda") this.problem(`${f}.autoscaling.kind`, `${show(kind)} is not allowed: use "hpa" or "keda"`);
      if (!(Number.isInteger(s.min) && s.min >= 1)) this.problem(`${f}.autoscaling.min`, `${show(s.min)} is not allowed: use an integer ≥ 1`);
      if (!(Number.isInteger(s.max) && s.max >= s.min && s.max <= 10_000)) this.problem(`${f}.autoscaling.max`, `${show(s.max)} is not allowed: use an integer from min to 10000`);
      for (const k of ["cpuUtilization", "memoryUtilization"] as const) {
        const v = s[k] ?? 60;
        if (!(Number.isInteger(v) && v >= 1 && v <= 100)) this.problem(`${f}.autoscaling.${k}`, `${show(v)} is not a percentage from 1 to 100`);
      }
      if (!cpu || !memory) this.problem(`${f}.resources`, "autoscaling on utilization needs resources.cpu and resources.memory limits");
      autoscaling = { kind: kind === "keda" ? "keda" : "hpa", min: asNumber(s.min, 1), max: asNumber(s.max, 1), cpu: asNumber(s.cpuUtilization ?? 60, 1), memory: asNumber(s.memoryUtilization ?? 60, 1) };
    }
    const variables: SpinAppSpec["variables"][number][] = [];
    for (const [k, v] of Object.entries(varsIn ?? {})) {
      if (!/^[a-z][a-z0-9_]*$/.test(k)) this.problem(`${f}.variables.${k}`, `${show(k)} is not a Spin variable name: lowercase letters, digits and '_'`);
      else if (typeof v === "string") variables.push({ name: k, value: v });
      else if (v && typeof v === "object" && ID_PATTERN.test(asString(v.secret)) && typeof v.key === "string") variables.push({ name: k, secret: v.secret, key: v.key });
      else this.problem(`${f}.variables.${k}`, `${show(v)} is not a value or { secret, key }`);
    }
    let invocationMemory: string | undefined;
    if (a?.invocationMemoryLimit !== undefined) {
      try {
        const m = Memory.parse(a.invocationMemoryLimit as string);
        const cap = memory ? Memory.parse(memory) : undefined;
        if (!cap) this.problem(`${f}.invocationMemoryLimit`, "needs resources.memory: the invocation limit must not exceed the memory limit");
        else if (m.bytes > cap.bytes) this.problem(`${f}.invocationMemoryLimit`, `${show(a.invocationMemoryLimit)} exceeds the memory limit ${memory}`);
        invocationMemory = asString(m.bytes);
      } catch (e) {
        this.problem(`${f}.invocationMemoryLimit`, (e as Error).message);
      }
    }
    const executor = a?.executor ?? "containerd-shim-spin";
    if (executor !== "containerd-shim-spin") this.problem(`${f}.executor`, `${show(executor)} does not exist in namespace ${namespace}: this cluster creates "containerd-shim-spin" there (the SpinApp webhook looks the executor up in the app's namespace)`);
    for (const [k, list] of [["imagePullSecrets", a?.imagePullSecrets], ["components", a?.components]] as const) {
      if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== "string" || x === ""))) this.problem(`${f}.${k}`, `${show(list)} is not a list of names`);
    }
    if (Array.isArray(a?.components) && a.components.length === 0) this.problem(`${f}.components`, "an empty list deploys nothing: omit it to run every component");
    return {
      name, namespace, image, executor,
      ...(autoscaling ? { autoscaling } : { replicas: a?.replicas ?? 1 }),
      ...(cpu || memory ? { resources: { limits: { ...(cpu ? { cpu } : {}), ...(memory ? { memory } : {}) }, requests: { ...(cpuReq ? { cpu: cpuReq } : {}), ...(memReq ? { memory: memReq } : {}) } } } : {}),
      variables,
      ...(typeof a.runtimeConfigSecret === "string" ? { runtimeConfigSecret: a.runtimeConfigSecret } : {}),
      ...(checksIn ? { checks: checksIn } : {}),
      imagePullSecrets: Array.isArray(a?.imagePullSecrets) ? a.imagePullSecrets.map((x: unknown) => asString(x)) : [],
      components: Array.isArray(a?.components) ? a.components.map((x: unknown) => asString(x)) : [],
      ...(invocationMemory ? { invocationMemory } : {}),
    };
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
    for (const ns of namespaces) out.push({ ...at("namespaces"), doc: { apiVersion: "v1", kind: "Namespace", metadata: { name: ns, labels: { ...(this.install.admission ? POLICY_LABEL : {}), "app.kubernetes.io/managed-by": "tlos" } } } });
    if (this.install.spinCrds) for (const crd of SPIN_CRD_FILES()) out.push({ ...at("crds"), doc: crd });
    const rt = { runtimeClass: this.runtimeName, nodeSelector: this.nodeSelector, shimVersion: this.shimVersion, sha256: this.sha256 };
    if ("runtimeClassName" in this.executorMode) out.push({ ...at("runtime"), doc: this.install.runtimeClassManager ? shim(rt) : runtimeClass(rt) });
    if (this.install.admission) {
      const globs = ["**"];
      out.push({ ...at("admission"), doc: clusterImagePolicy(`tlos-${this.node.id}-signed`, this.keys, globs) });
    }
    for (const ns of appNamespaces) out.push({ ...at("spin-apps"), doc: spinAppExecutor(ns, this.executorMode) });
    for (const a of this.apps) {
      out.push({ ...at("spin-apps"), doc: spinApp(a) });
      const as = autoscaler(a);
      if (as) out.push({ ...at("spin-apps"), doc: as });
    }
    if (this.wasmcloudNamespace) {
      const natsImage = this.lattice.natsImage;
      for (const d of leafObjects({ namespace: this.wasmcloudNamespace, natsImage, hubs: this.lattice.leafUrls(), caPem, domain: this.node.id, lattice: this.lattice.name })) out.push({ ...at("wasmcloud"), doc: d });
      for (const w of workloads) out.push({ ...at("workloads"), doc: w });
    }
    return out;
  }

  /** Values of the wasmCloud runtime-operator chart. */
  wasmcloudValues(): Record<string, unknown> {
    const host = ImageRef.parse(DEFAULT_IMAGES.washHost);
    return operatorValues(this.hostGroups, { registry: host.registry, repository: host.repository, tag: `${host.tag ?? ""}${host.digest ? `@${host.digest}` : ""}` });
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
