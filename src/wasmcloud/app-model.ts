/**
 * The plain description of an application on the lattice, from which both wasmCloud generations
 * are rendered: a wadm OAM manifest (v1) and a `WorkloadDeployment` (v2).
 */

/** A placement rule: hosts whose labels match `requirements`, weighted. */
export interface Spread {
  readonly name: string;
  readonly requirements: Readonly<Record<string, string>>;
  readonly weight?: number;
}

/** How many instances run and where. */
export type Scaling =
  | { readonly kind: "spread"; readonly instances: number; readonly spread: readonly Spread[] }
  | { readonly kind: "perHost"; readonly instances: number; readonly requirements: Readonly<Record<string, string>> };

/** A reference to a secret held by the lattice's secrets backend (v1) or a Kubernetes Secret (v2). */
export interface SecretRef {
  readonly name: string;
  readonly key: string;
  readonly field?: string;
}

export interface ComponentSpec {
  readonly name: string;
  readonly image: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secrets: readonly SecretRef[];
  readonly scaling: Scaling;
}

export interface ProviderSpec {
  readonly name: string;
  readonly image: string;
  readonly config: Readonly<Record<string, string>>;
  readonly scaling: Scaling;
}

/** Interfaces of one WIT package, e.g. `wasi:keyvalue/{atomics,store}`. */
export interface WitInterfaces {
  /** WIT namespace, e.g. `wasi`. */
  readonly namespace: string;
  /** WIT package, e.g. `keyvalue`. */
  readonly package: string;
  /** WIT interfaces, e.g. `["atomics", "store"]`. */
  readonly interfaces: readonly string[];
}

/** A link from a component to a component or provider over a WIT interface. */
export interface LinkSpec extends WitInterfaces {
  readonly from: string;
  readonly to: string;
  readonly name?: string;
  readonly targetConfig: Readonly<Record<string, string>>;
  readonly sourceConfig: Readonly<Record<string, string>>;
}

/** A host-provided interface a v2 workload needs, e.g. `wasi:http/incoming-handler`. */
export interface HostInterfaceSpec extends WitInterfaces {
  readonly version?: string;
  readonly config: Readonly<Record<string, string>>;
}

export interface AppSpec {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly components: readonly ComponentSpec[];
  readonly providers: readonly ProviderSpec[];
  readonly links: readonly LinkSpec[];
  readonly hostInterfaces: readonly HostInterfaceSpec[];
  /** v2: Kubernetes namespace of the WorkloadDeployment. */
  readonly namespace: string;
  /** v2: workload replicas. */
  readonly replicas: number;
  /** v2: host labels the workload is scheduled onto. */
  readonly hostSelector: Readonly<Record<string, string>>;
}
