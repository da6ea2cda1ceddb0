/** Props of an {@link App}. */
import type { WitInterfaces } from "../wasmcloud/app-model.js";

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
