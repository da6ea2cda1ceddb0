/** Props of an {@link App}, and what they resolve to ({@link resolveApp}). */
import { asString, show } from "../core/errors.js";
import { resolveImage } from "../core/image.js";
import { ID_PATTERN } from "../core/names.js";
import type { AppSpec, ComponentSpec, HostInterfaceSpec, LinkSpec, ProviderSpec, Scaling, WitInterfaces } from "../wasmcloud/app-model.js";
import { wadmProblems } from "../wasmcloud/wadm-rules.js";
import { asNumber, type Report } from "./validate.js";

/** Hosts whose labels match `requirements` get a `weight` share of the instances. */
export interface SpreadProps {
  /** Name of this placement. */
  readonly name: string;
  /** Host labels that must match, e.g. `{ zone: "home" }`. */
  readonly requirements: Readonly<Record<string, string>>;
  /**
   * Relative share of the instances.
   * @default 100
   */
  readonly weight?: number;
}

/** A WebAssembly component of the app. */
export interface AppComponentProps {
  /** Name, unique in the app (letters, digits, `_`, `-`). */
  readonly name: string;
  /** OCI image, pinned by digest (`:latest` is refused, a tag alone warns). */
  readonly image: string;
  /**
   * Instances: spread over matching hosts, or on every matching host with `perHost`.
   * @default 1
   */
  readonly instances?: number;
  /**
   * Placement by host labels (wadm `spreadscaler`).
   * @default anywhere
   * @see https://wasmcloud.com/docs/v1/ecosystem/wadm/model#spreadscaler
   */
  readonly spread?: readonly SpreadProps[];
  /**
   * Run `instances` on every host whose labels match (wadm `daemonscaler`) instead of a spread.
   * @default false
   */
  readonly perHost?: boolean | { readonly requirements: Readonly<Record<string, string>> };
  /** Named configuration values. @default none */
  readonly config?: Readonly<Record<string, string>>;
  /**
   * Secret references: v1 through the lattice's `nats-kv` secrets backend, v2 as Kubernetes Secrets.
   * @default none
   */
  readonly secrets?: readonly { readonly name: string; readonly key: string; readonly field?: string }[];
  /**
   * How the component's repository builds it: the emitted CI workflow builds this Cargo package
   * for `wasm32-wasip2`, signs it and pushes it to the image's repository.
   * @default { crate: name, claimsExpireDays: 365 }
   */
  readonly build?: { readonly crate?: string; readonly claimsExpireDays?: number };
}

/** A capability provider (wasmCloud v1 only; v2 hosts provide interfaces themselves). */
export interface AppProviderProps {
  /** Provider name, unique in the app; links name it in `from`/`to`. */
  readonly name: string;
  /** OCI reference, `registry/repo:tag@sha256:…`; a tag without a digest warns, `:latest` is refused. */
  readonly image: string;
  /** @default 1 per matching host */
  readonly instances?: number;
  /** @default every host */
  readonly requirements?: Readonly<Record<string, string>>;
  /** @default none */
  readonly config?: Readonly<Record<string, string>>;
}

/** A link over a WIT interface, e.g. `wasi:keyvalue/atomics`. */
export interface AppLinkProps extends WitInterfaces {
  /** Source component or provider. */
  readonly from: string;
  /** Target component or provider. */
  readonly to: string;
  /** @default "default" */
  readonly name?: string;
  /** Config given to the target for this link. @default none */
  readonly targetConfig?: Readonly<Record<string, string>>;
  /** Config given to the source for this link. @default none */
  readonly sourceConfig?: Readonly<Record<string, string>>;
}

/** A host interface a v2 workload needs, e.g. `wasi:http/incoming-handler`. */
export interface HostInterfaceProps extends WitInterfaces {
  /** @default unversioned */
  readonly version?: string;
  /** e.g. `{ host: "hello.example.net" }` for `wasi:http`. @default none */
  readonly config?: Readonly<Record<string, string>>;
}

/** Props of an {@link App}. */
export interface AppProps {
  /** Release version; `latest` is refused (wadm rule). */
  readonly version: string;
  /** @default none */
  readonly description?: string;
  readonly components: readonly AppComponentProps[];
  /** v1 only. @default none */
  readonly providers?: readonly AppProviderProps[];
  /** @default none */
  readonly links?: readonly AppLinkProps[];
  /** v2 only. @default none */
  readonly hostInterfaces?: readonly HostInterfaceProps[];
  /** v2: namespace of the WorkloadDeployment. @default "default" */
  readonly namespace?: string;
  /** v2: workload replicas. @default 1 */
  readonly replicas?: number;
  /** v2: host labels the workload is scheduled onto. @default any host */
  readonly hostSelector?: Readonly<Record<string, string>>;
}

const WIT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

/** The most replicas of a workload (a Kubernetes int32 would allow more; no grid needs them). */
const MAX_REPLICAS = 10_000;

/**
 * Resolves an App's props (a plain copy) into the description both renderers use and each
 * component's build settings: problems to `report`, warnings (image tags) to `warn`. `v2`: the
 * lattice runs wasmCloud v2 (host interfaces, no providers).
 */
export function resolveApp(p: Partial<AppProps>, name: string, v2: boolean, report: Report, warn: Report): { spec: AppSpec; builds: Map<string, { crate: string; claimsExpireDays: number }> } {
  const builds = new Map<string, { crate: string; claimsExpireDays: number }>();
  const image = (field: string, ref: unknown) => resolveImage(report, warn, field, ref);
  function labels(field: string, v: unknown): Record<string, string> {
    if (v === undefined) return {};
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      report(field, `must be an object of label → value, got ${show(v)}`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!LABEL.test(k) || typeof x !== "string") report(`${field}.${k}`, `${show(k)}: ${show(x)} is not a label: use a key of letters, digits, '.', '_', '-', '/' and a string value`);
      else out[k] = x;
    }
    return out;
  }

  function count(field: string, v: unknown): number {
    if (v === undefined) return 1;
    if (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10_000) return v as number;
    report(field, `${show(v)} is not allowed: use an integer from 1 to 10000`);
    return 1;
  }

  function scaling(c: Partial<AppComponentProps>, f: string): Scaling {
    const instances = count(`${f}.instances`, c.instances);
    if (c.perHost) {
      if (c.spread !== undefined) report(`${f}.perHost`, "perHost and spread exclude each other: perHost runs on every matching host");
      const req = typeof c.perHost === "object" ? labels(`${f}.perHost.requirements`, c.perHost.requirements) : {};
      return { kind: "perHost", instances, requirements: req };
    }
    const spread = c.spread === undefined ? [] : Array.isArray(c.spread) ? c.spread : (report(`${f}.spread`, `must be a list, got ${show(c.spread)}`), []);
    return {
      kind: "spread",
      instances,
      spread: spread.map((s, j) => {
        const sf = `${f}.spread[${j}]`;
        if (typeof s?.name !== "string" || !/^[-\w]+$/.test(s.name)) report(`${sf}.name`, `${show(s?.name)} is not a spread name: use letters, digits, '_' and '-'`);
        if (s?.weight !== undefined && !(Number.isInteger(s.weight) && s.weight >= 0 && s.weight <= 100)) report(`${sf}.weight`, `${show(s.weight)} is not a weight: use an integer from 0 to 100`);
        return { name: asString(s?.name), requirements: labels(`${sf}.requirements`, s?.requirements ?? {}), ...(s?.weight !== undefined ? { weight: s.weight } : {}) };
      }),
    };
  }

  function component(c: AppComponentProps, f: string): ComponentSpec {
    const crate = c?.build?.crate ?? asString(c?.name);
    if (typeof crate !== "string" || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(crate)) report(`${f}.build.crate`, `${show(crate)} is not a Cargo package name`);
    const days = c?.build?.claimsExpireDays ?? 365;
    if (!Number.isInteger(days) || days < 1 || days > 3650) report(`${f}.build.claimsExpireDays`, `${show(days)} is not allowed: use whole days from 1 to 3650`);
    builds.set(asString(c?.name), { crate, claimsExpireDays: days });
    const secrets = c?.secrets === undefined ? [] : Array.isArray(c.secrets) ? c.secrets : (report(`${f}.secrets`, `must be a list, got ${show(c.secrets)}`), []);
    secrets.forEach((s, j) => {
      if (typeof s?.name !== "string" || !ID_PATTERN.test(s.name)) report(`${f}.secrets[${j}].name`, `${show(s?.name)} is not a secret name: use a lowercase DNS label`);
      if (typeof s?.key !== "string" || s.key === "") report(`${f}.secrets[${j}].key`, `${show(s?.key)} is not a secret key`);
    });
    return {
      name: asString(c?.name),
      image: image(`${f}.image`, c?.image),
      config: labels(`${f}.config`, c?.config),
      secrets: secrets.map((s) => ({ name: asString(s?.name), key: asString(s?.key), ...(s?.field ? { field: asString(s.field) } : {}) })),
      scaling: scaling(c ?? {}, f),
    };
  }

  function provider(p: AppProviderProps, f: string): ProviderSpec {
    return {
      name: asString(p?.name),
      image: image(`${f}.image`, p?.image),
      config: labels(`${f}.config`, p?.config),
      scaling: { kind: "perHost", instances: count(`${f}.instances`, p?.instances), requirements: labels(`${f}.requirements`, p?.requirements) },
    };
  }

  function wit(f: string, l: { namespace?: unknown; package?: unknown; interfaces?: unknown }): { namespace: string; package: string; interfaces: string[] } {
    for (const k of ["namespace", "package"] as const) {
      if (typeof l?.[k] !== "string" || !WIT_NAME.test(l[k] as string)) report(`${f}.${k}`, `${show(l?.[k])} is not a WIT ${k}: use lowercase words joined by '-', e.g. "wasi", "keyvalue"`);
    }
    const ifs = Array.isArray(l?.interfaces) ? (l.interfaces as unknown[]) : [];
    if (ifs.length === 0) report(`${f}.interfaces`, `${show(l?.interfaces)} is not allowed: name at least one WIT interface, e.g. ["atomics"]`);
    ifs.forEach((x, j) => {
      if (typeof x !== "string" || !WIT_NAME.test(x)) report(`${f}.interfaces[${j}]`, `${show(x)} is not a WIT interface name`);
    });
    return { namespace: asString(l?.namespace), package: asString(l?.package), interfaces: ifs.map((x: unknown) => asString(x)) };
  }

  function link(l: AppLinkProps, f: string): LinkSpec {
    if (l?.name !== undefined && (typeof l.name !== "string" || !/^[-\w]+$/.test(l.name))) report(`${f}.name`, `${show(l.name)} is not a link name`);
    if (typeof l?.from === "string" && l.from === l.to) report(`${f}.to`, `${show(l.to)} links to itself: a link joins a component to another component or a provider (wadm would dispatch the call back into its caller)`);
    return {
      from: asString(l?.from),
      to: asString(l?.to),
      ...wit(f, l ?? {}),
      ...(l?.name ? { name: l.name } : {}),
      targetConfig: labels(`${f}.targetConfig`, l?.targetConfig),
      sourceConfig: labels(`${f}.sourceConfig`, l?.sourceConfig),
    };
  }

  function hostInterface(h: HostInterfaceProps, f: string): HostInterfaceSpec {
    return { ...wit(f, h ?? {}), ...(typeof h?.version === "string" ? { version: h.version } : {}), config: labels(`${f}.config`, h?.config) };
  }

  const version = typeof p.version === "string" && p.version.trim() !== "" ? p.version : "";
  if (!version) report("version", `${show(p.version)} is not a version: use a release version like "1.2.0"`);
  const list = <T>(field: string, v: unknown, required = false): T[] => {
    if (v === undefined && !required) return [];
    if (Array.isArray(v) && (!required || v.length > 0)) return v as T[];
    report(field, `must be a ${required ? "non-empty " : ""}list, got ${show(v)}`);
    return [];
  };
  const providers = list<AppProviderProps>("providers", p.providers);
  if (v2 && providers.length > 0) report("providers", "capability providers are a wasmCloud v1 concept: on a v2 lattice use hostInterfaces (the host provides them)");
  const hostInterfaces = list<HostInterfaceProps>("hostInterfaces", p.hostInterfaces);
  if (!v2 && hostInterfaces.length > 0) report("hostInterfaces", "host interfaces are a wasmCloud v2 concept: on a v1 lattice link to a capability provider");
  const namespace = p.namespace ?? "default";
  if (typeof namespace !== "string" || !ID_PATTERN.test(namespace)) report("namespace", `${show(namespace)} is not a Kubernetes namespace: use a lowercase DNS label`);
  const replicas = p.replicas ?? 1;
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) report("replicas", `${show(replicas)} is not allowed: use an integer from 1 to ${MAX_REPLICAS}`);
  const spec: AppSpec = {
    name: name,
    version,
    ...(typeof p.description === "string" ? { description: p.description } : {}),
    components: list<AppComponentProps>("components", p.components, true).map((c, i) => component(c, `components[${i}]`)),
    providers: providers.map((c, i) => provider(c, `providers[${i}]`)),
    links: list<AppLinkProps>("links", p.links).map((l, i) => link(l, `links[${i}]`)),
    hostInterfaces: hostInterfaces.map((h, i) => hostInterface(h, `hostInterfaces[${i}]`)),
    namespace: asString(namespace),
    replicas: asNumber(replicas, 1),
    hostSelector: labels("hostSelector", p.hostSelector),
  };
  for (const rp of wadmProblems(spec)) if (rp.field !== "id") report(rp.field, rp.message);
  return { spec, builds };
}
