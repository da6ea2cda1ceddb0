/**
 * What a `SpinKubeCluster` takes ({@link SpinKubeClusterProps}, {@link SpinAppProps}) and what it
 * resolves them to ({@link ResolvedSpinKubeCluster}), in the akash-checks style: problems go to
 * `report`, a bad prop resolves to a safe fallback.
 * @see https://www.spinkube.dev/docs/reference/
 */
import { asString, show } from "../core/errors.js";
import { resolveImage } from "../core/image.js";
import { ID_PATTERN } from "../core/names.js";
import { Cpu, Memory } from "../core/quantity.js";
import { SHIM_SHA256, shimVersionProblem } from "../spinkube/shim-releases.js";
import type { SpinAppSpec } from "../spinkube/spin.js";
import { SPINKUBE_VERSIONS } from "../spinkube/versions.js";
import type { HostGroupSpec } from "../spinkube/wasmcloud.js";
import { asNumber, type Report } from "./validate.js";

/** A Spin app on the cluster. @see https://www.spinkube.dev/docs/reference/spin-app/ */
export interface SpinAppProps {
  /** App name (DNS label): also the name of the Deployment and Service the operator makes. */
  readonly name: string;
  /** Namespace; an executor is created in every namespace that holds apps. @default "apps" */
  readonly namespace?: string;
  /** OCI image of the Spin app, pinned by digest. */
  readonly image: string;
  /** Fixed replicas; excludes `autoscaling`. @default 1 (without autoscaling) */
  readonly replicas?: number;
  /**
   * Autoscaling of `Deployment/<name>` (SpinApp has no scale subresource); excludes `replicas`
   * and needs CPU and memory limits.
   * @default none
   */
  readonly autoscaling?: { readonly kind?: "hpa" | "keda"; readonly min: number; readonly max: number; readonly cpuUtilization?: number; readonly memoryUtilization?: number };
  /** Limits (and requests, default = limits). @default none */
  readonly resources?: { readonly cpu?: string; readonly memory?: string; readonly cpuRequest?: string; readonly memoryRequest?: string };
  /** Spin variables: a value, or a key of a Secret. @default none */
  readonly variables?: Readonly<Record<string, string | { readonly secret: string; readonly key: string }>>;
  /** Secret holding `runtime-config.toml`. @default none */
  readonly runtimeConfigSecret?: string;
  /** HTTP paths for readiness and liveness probes. @default none */
  readonly checks?: { readonly readiness?: string; readonly liveness?: string };
  /** @default none */
  readonly imagePullSecrets?: readonly string[];
  /** Run only these components of the app. @default all */
  readonly components?: readonly string[];
  /** Memory limit per invocation, ≤ the memory limit (shim ≥ 0.20, operator ≥ 0.6). @default none */
  readonly invocationMemoryLimit?: string;
  /** Executor name; it must exist in the app's namespace. @default "containerd-shim-spin" */
  readonly executor?: string;
}

/** Props of a {@link SpinKubeCluster}. */
export interface SpinKubeClusterProps {
  /**
   * Which parts of the stack to install; switch off what the cluster already has.
   * @default all true
   */
  readonly install?: {
    readonly certManager?: boolean;
    readonly runtimeClassManager?: boolean;
    readonly spinCrds?: boolean;
    readonly spinOperator?: boolean;
    readonly admission?: boolean;
    readonly wasmcloudOperator?: boolean;
  };
  /**
   * RuntimeClass and node selection. With runtime-class-manager a `Shim` installs the shim on the
   * selected nodes and creates the RuntimeClass (handler `spin-v2`); without it a RuntimeClass with
   * handler `spin` is emitted plus containerd fragments for hand-configured nodes.
   * `shimVersion` must be a containerd-shim-spin release; `sha256` pins its tarballs per arch and
   * is required for a release whose digests are not on record (SHIM_SHA256).
   * @default { name: "wasmtime-spin-v2", nodeSelector: { spin: "true" }, shimVersion: SPINKUBE_VERSIONS.containerdShimSpin, sha256: SHIM_SHA256[shimVersion] }
   * @see https://github.com/spinframework/containerd-shim-spin/releases
   */
  readonly runtime?: {
    readonly name?: string;
    readonly nodeSelector?: Readonly<Record<string, string>>;
    /**
     * A kubectl label selector (e.g. `"node-role.kubernetes.io/worker"` or `"pool=wasm"`) picking the
     * nodes `02-install.sh` labels with `nodeSelector`. Without it no node is labelled: the script
     * stops unless some node already carries `nodeSelector`.
     * @default none
     * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors
     */
    readonly labelNodes?: string;
    readonly shimVersion?: string;
    readonly sha256?: { readonly x86_64?: string; readonly aarch64?: string };
  };
  /**
   * How the executor runs apps: the shim's RuntimeClass, or a "spintainer" image — exactly one.
   * @default { runtimeClassName: runtime.name }
   */
  readonly executor?: { readonly runtimeClassName?: string; readonly spinImage?: string };
  /** The Spin apps. @default none */
  readonly spinApps?: readonly SpinAppProps[];
  /**
   * cosign public keys (PEM) whose signatures admit images in the grid's namespaces.
   * @see https://docs.sigstore.dev/policy-controller/overview/
   */
  readonly cosignPublicKeys: readonly string[];
  /** wasmCloud v2 on the cluster (the lattice must be v2). @default none */
  readonly wasmcloud?: {
    /** @default "wasmcloud" */
    readonly namespace?: string;
    /** @default [{ name: "default", replicas: 1 }] */
    readonly hostGroups?: readonly { readonly name: string; readonly replicas?: number }[];
  };
}

const PEM_KEY = /^-----BEGIN PUBLIC KEY-----[\s\S]+-----END PUBLIC KEY-----\s*$/;
/** The most replicas of a SpinApp or host group. */
const MAX_REPLICAS = 10_000;

/** A SpinKubeCluster's props with every default filled and every bad value replaced by its fallback. */
export interface ResolvedSpinKubeCluster {
  readonly install: Required<NonNullable<SpinKubeClusterProps["install"]>>;
  readonly runtimeName: string;
  readonly nodeSelector: Record<string, string>;
  /** Selector of the nodes 02-install.sh labels; undefined: none. */
  readonly labelNodes: string | undefined;
  readonly shimVersion: string;
  readonly sha256: { x86_64: string; aarch64: string };
  readonly executorMode: { runtimeClassName: string } | { spinImage: string };
  readonly keys: readonly string[];
  readonly apps: readonly SpinAppSpec[];
  readonly wasmcloudNamespace: string | undefined;
  readonly hostGroups: readonly HostGroupSpec[];
}

/**
 * Resolves a SpinKubeCluster's props (a plain copy): problems to `report`, warnings (image tags)
 * to `warn`. `latticeWasmcloud`: the wasmCloud version of the lattice (undefined outside one).
 */
export function resolveSpinKubeCluster(p: Partial<SpinKubeClusterProps>, latticeWasmcloud: "v1" | "v2" | undefined, report: Report, warn: Report): ResolvedSpinKubeCluster {
  const inst = obj<NonNullable<SpinKubeClusterProps["install"]>>(report, "install", p.install) ?? {};
  const install: ResolvedSpinKubeCluster["install"] = {
    certManager: inst.certManager ?? true,
    runtimeClassManager: inst.runtimeClassManager ?? true,
    spinCrds: inst.spinCrds ?? true,
    spinOperator: inst.spinOperator ?? true,
    admission: inst.admission ?? true,
    wasmcloudOperator: inst.wasmcloudOperator ?? true,
  };
  for (const [k, v] of Object.entries(install)) if (typeof v !== "boolean") report(`install.${k}`, `${show(v)} is not allowed: use true or false`);
  const rtIn = obj<NonNullable<SpinKubeClusterProps["runtime"]>>(report, "runtime", p.runtime) ?? {};
  const rn: unknown = rtIn.name ?? "wasmtime-spin-v2";
  const runtimeName = typeof rn === "string" && ID_PATTERN.test(rn) ? rn : "wasmtime-spin-v2";
  if (runtimeName !== rn) report("runtime.name", `${show(rn)} is not a RuntimeClass name: use a DNS label`);
  const nodeSelector = labels(report, "runtime.nodeSelector", rtIn.nodeSelector ?? { spin: "true" });
  const sel = rtIn.labelNodes;
  const labelNodes = typeof sel === "string" && /^[A-Za-z0-9][A-Za-z0-9./_=!,-]{0,316}$/.test(sel) ? sel : undefined;
  if (sel !== undefined && labelNodes === undefined) report("runtime.labelNodes", `${show(sel)} is not a label selector: use key[=value] terms joined by ',' (letters, digits, . / _ - = !)`);
  const sha = obj<Record<string, unknown>>(report, "runtime.sha256", rtIn.sha256);
  if (sha) for (const [k, v] of Object.entries(sha)) if (!["x86_64", "aarch64"].includes(k) || typeof v !== "string" || !/^[a-f0-9]{64}$/.test(v)) report(`runtime.sha256.${k}`, `${show(v)} is not a sha256 for x86_64 or aarch64`);
  const shimVersion = typeof rtIn.shimVersion === "string" ? rtIn.shimVersion : SPINKUBE_VERSIONS.containerdShimSpin;
  const sv = shimVersionProblem(rtIn.shimVersion ?? shimVersion);
  if (sv) report("runtime.shimVersion", sv);
  const sha256: { x86_64: string; aarch64: string } = { x86_64: "", aarch64: "", ...SHIM_SHA256[shimVersion], ...(sha as Record<string, string> | undefined) };
  for (const arch of ["x86_64", "aarch64"] as const) if (!sv && !sha256[arch]) report(`runtime.sha256.${arch}`, `no sha256 on record for containerd-shim-spin ${shimVersion} ${arch}: give the tarball's sha256 (release page or sha256sum), since every node installs it as containerd's runtime`);
  const ex = obj<NonNullable<SpinKubeClusterProps["executor"]>>(report, "executor", p.executor ?? { runtimeClassName: runtimeName }) ?? {};
  const hasRc = typeof ex.runtimeClassName === "string", hasImage = typeof ex.spinImage === "string";
  if (hasRc === hasImage) report("executor", "set exactly one of runtimeClassName and spinImage (the SpinAppExecutor webhook refuses both and neither)");
  if (hasImage) resolveImage(report, warn, "executor.spinImage", ex.spinImage);
  if (hasRc && ex.runtimeClassName !== runtimeName) report("executor.runtimeClassName", `${show(ex.runtimeClassName)} is not the RuntimeClass this cluster sets up (${runtimeName})`);
  const executorMode: ResolvedSpinKubeCluster["executorMode"] = hasImage ? { spinImage: asString(ex.spinImage) } : { runtimeClassName: runtimeName };
  const givenKeys = Array.isArray(p.cosignPublicKeys) ? p.cosignPublicKeys : [];
  if (givenKeys.length === 0) report("cosignPublicKeys", "name at least one cosign public key: only images signed with the grid's keys are admitted (cosign generate-key-pair; the pipelines sign with the private key)");
  givenKeys.forEach((k, i) => {
    if (typeof k !== "string" || !PEM_KEY.test(k.trim() + "\n")) report(`cosignPublicKeys[${i}]`, "must be a PEM public key (-----BEGIN PUBLIC KEY----- …), as cosign.pub holds it");
  });
  const keys = givenKeys.map((k) => `${asString(k).trim()}\n`);
  const givenApps = Array.isArray(p.spinApps) ? p.spinApps : p.spinApps === undefined ? [] : (report("spinApps", `must be a list, got ${show(p.spinApps)}`), []);
  const apps = givenApps.map((a, i) => resolveSpinApp(a, `spinApps[${i}]`, report, warn));
  const seen = new Map<string, number>();
  apps.forEach((a, i) => {
    const k = `${a.namespace}/${a.name}`;
    if (seen.has(k)) report(`spinApps[${i}].name`, `app ${k} is already declared by spinApps[${seen.get(k)}]`);
    seen.set(k, i);
  });
  if (p.wasmcloud !== undefined && (typeof p.wasmcloud !== "object" || p.wasmcloud === null)) report("wasmcloud", `must be an object ({ namespace?, hostGroups? }), got ${show(p.wasmcloud)}`);
  let wasmcloudNamespace: string | undefined;
  let hostGroups: readonly HostGroupSpec[] = [];
  if (p.wasmcloud && typeof p.wasmcloud === "object") {
    if (latticeWasmcloud !== undefined && latticeWasmcloud !== "v2") report("wasmcloud", "wasmCloud on Kubernetes here is v2 (runtime-operator); this lattice is v1");
    const ns: unknown = p.wasmcloud.namespace ?? "wasmcloud";
    wasmcloudNamespace = typeof ns === "string" && ID_PATTERN.test(ns) ? ns : "wasmcloud";
    if (wasmcloudNamespace !== ns) report("wasmcloud.namespace", `${show(ns)} is not a namespace name`);
    const rawGroups: unknown = p.wasmcloud.hostGroups ?? [{ name: "default", replicas: 1 }];
    if (!Array.isArray(rawGroups)) report("wasmcloud.hostGroups", `must be a list of { name, replicas }, got ${show(rawGroups)}`);
    const groups = (Array.isArray(rawGroups) ? rawGroups : []) as { name?: unknown; replicas?: unknown }[];
    hostGroups = groups.map((g, i) => {
      if (typeof g?.name !== "string" || !ID_PATTERN.test(g.name)) report(`wasmcloud.hostGroups[${i}].name`, `${show(g?.name)} is not a host group name: use a DNS label`);
      const r = g?.replicas ?? 1;
      if (!Number.isInteger(r) || (r as number) < 1 || (r as number) > MAX_REPLICAS) report(`wasmcloud.hostGroups[${i}].replicas`, `${show(r)} is not allowed: use an integer from 1 to ${MAX_REPLICAS}`);
      return { name: asString(g?.name), replicas: asNumber(r, 1) };
    });
  }
  return { install, runtimeName, nodeSelector, labelNodes, shimVersion, sha256, executorMode, keys, apps, wasmcloudNamespace, hostGroups };
}

function labels(report: Report, field: string, v: unknown): Record<string, string> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    report(field, `must be an object of label → value, got ${show(v)}`);
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (!/^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/.test(k) || typeof x !== "string") report(`${field}.${k}`, `${show(k)}: ${show(x)} is not a Kubernetes label`);
    else out[k] = x;
  }
  return out;
}

/** `v` as an object; anything else (but undefined) is a problem and becomes undefined. */
function obj<T extends object>(report: Report, field: string, v: unknown): T | undefined {
  if (v === undefined) return undefined;
  if (typeof v === "object" && v !== null && !Array.isArray(v)) return v as T;
  report(field, `must be an object, got ${show(v)}`);
  return undefined;
}

function resolveSpinApp(raw: SpinAppProps, f: string, report: Report, warn: Report): SpinAppSpec {
  const a = obj<SpinAppProps>(report, f, raw) ?? ({} as SpinAppProps);
  const autoscalingIn = obj<NonNullable<SpinAppProps["autoscaling"]>>(report, `${f}.autoscaling`, a.autoscaling);
  const resIn = obj<NonNullable<SpinAppProps["resources"]>>(report, `${f}.resources`, a.resources);
  const varsIn = obj<NonNullable<SpinAppProps["variables"]>>(report, `${f}.variables`, a.variables);
  const checksIn = obj<NonNullable<SpinAppProps["checks"]>>(report, `${f}.checks`, a.checks);
  if (checksIn) for (const k of ["readiness", "liveness"] as const) if (checksIn[k] !== undefined && (typeof checksIn[k] !== "string" || !checksIn[k]!.startsWith("/"))) report(`${f}.checks.${k}`, `${show(checksIn[k])} is not an HTTP path`);
  if (a.runtimeConfigSecret !== undefined && (typeof a.runtimeConfigSecret !== "string" || !ID_PATTERN.test(a.runtimeConfigSecret))) report(`${f}.runtimeConfigSecret`, `${show(a.runtimeConfigSecret)} is not a Secret name`);
  const name = asString(a?.name);
  if (!ID_PATTERN.test(name)) report(`${f}.name`, `${show(a?.name)} is not an app name: use a DNS label`);
  const namespace = a?.namespace ?? "apps";
  if (!ID_PATTERN.test(namespace)) report(`${f}.namespace`, `${show(namespace)} is not a namespace name`);
  const image = resolveImage(report, warn, `${f}.image`, a?.image);
  if (a?.replicas !== undefined && autoscalingIn !== undefined) report(`${f}.replicas`, "replicas cannot be set when autoscaling is enabled (SpinApp webhook): drop one of them");
  if (a?.replicas !== undefined && !(Number.isInteger(a.replicas) && a.replicas >= 1 && a.replicas <= MAX_REPLICAS)) report(`${f}.replicas`, `${show(a.replicas)} is not allowed: use an integer from 1 to ${MAX_REPLICAS}`);
  const res = resIn;
  const q = (field: string, v: unknown, parse: (x: string) => { toString(): string }) => {
    if (v === undefined) return undefined;
    try {
      return parse(asString(v)).toString();
    } catch (e) {
      report(`${f}.resources.${field}`, (e as Error).message);
      return undefined;
    }
  };
  const cpu = q("cpu", res?.cpu, (x) => Cpu.parse(x)), memory = q("memory", res?.memory, (x) => Memory.parse(x));
  const cpuReq = q("cpuRequest", res?.cpuRequest, (x) => Cpu.parse(x)) ?? cpu, memReq = q("memoryRequest", res?.memoryRequest, (x) => Memory.parse(x)) ?? memory;
  let autoscaling: SpinAppSpec["autoscaling"];
  if (autoscalingIn !== undefined) {
    const s = autoscalingIn;
    const kind = s.kind ?? "hpa";
    if (kind !== "hpa" && kind !== "keda") report(`${f}.autoscaling.kind`, `${show(kind)} is not allowed: use "hpa" or "keda"`);
    if (!(Number.isInteger(s.min) && s.min >= 1)) report(`${f}.autoscaling.min`, `${show(s.min)} is not allowed: use an integer ≥ 1`);
    if (!(Number.isInteger(s.max) && s.max >= s.min && s.max <= 10_000)) report(`${f}.autoscaling.max`, `${show(s.max)} is not allowed: use an integer from min to 10000`);
    for (const k of ["cpuUtilization", "memoryUtilization"] as const) {
      const v = s[k] ?? 60;
      if (!(Number.isInteger(v) && v >= 1 && v <= 100)) report(`${f}.autoscaling.${k}`, `${show(v)} is not a percentage from 1 to 100`);
    }
    if (!cpu || !memory) report(`${f}.resources`, "autoscaling on utilization needs resources.cpu and resources.memory limits");
    autoscaling = { kind: kind === "keda" ? "keda" : "hpa", min: asNumber(s.min, 1), max: asNumber(s.max, 1), cpu: asNumber(s.cpuUtilization ?? 60, 1), memory: asNumber(s.memoryUtilization ?? 60, 1) };
  }
  const variables: SpinAppSpec["variables"][number][] = [];
  for (const [k, v] of Object.entries(varsIn ?? {})) {
    if (!/^[a-z][a-z0-9_]*$/.test(k)) report(`${f}.variables.${k}`, `${show(k)} is not a Spin variable name: lowercase letters, digits and '_'`);
    else if (typeof v === "string") variables.push({ name: k, value: v });
    else if (v && typeof v === "object" && ID_PATTERN.test(asString(v.secret)) && typeof v.key === "string") variables.push({ name: k, secret: v.secret, key: v.key });
    else report(`${f}.variables.${k}`, `${show(v)} is not a value or { secret, key }`);
  }
  let invocationMemory: string | undefined;
  if (a?.invocationMemoryLimit !== undefined) {
    try {
      const m = Memory.parse(a.invocationMemoryLimit as string);
      const cap = memory ? Memory.parse(memory) : undefined;
      if (!cap) report(`${f}.invocationMemoryLimit`, "needs resources.memory: the invocation limit must not exceed the memory limit");
      else if (m.bytes > cap.bytes) report(`${f}.invocationMemoryLimit`, `${show(a.invocationMemoryLimit)} exceeds the memory limit ${memory}`);
      invocationMemory = asString(m.bytes);
    } catch (e) {
      report(`${f}.invocationMemoryLimit`, (e as Error).message);
    }
  }
  const executor = a?.executor ?? "containerd-shim-spin";
  if (executor !== "containerd-shim-spin") report(`${f}.executor`, `${show(executor)} does not exist in namespace ${namespace}: this cluster creates "containerd-shim-spin" there (the SpinApp webhook looks the executor up in the app's namespace)`);
  for (const [k, list] of [["imagePullSecrets", a?.imagePullSecrets], ["components", a?.components]] as const) {
    if (list !== undefined && (!Array.isArray(list) || list.some((x) => typeof x !== "string" || x === ""))) report(`${f}.${k}`, `${show(list)} is not a list of names`);
  }
  if (Array.isArray(a?.components) && a.components.length === 0) report(`${f}.components`, "an empty list deploys nothing: omit it to run every component");
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
