/** Props of a {@link SpinKubeCluster}. */

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
   * @default { name: "wasmtime-spin-v2", nodeSelector: { spin: "true" } }
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
