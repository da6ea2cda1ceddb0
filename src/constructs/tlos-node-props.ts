/** Props of a {@link TlosNode}. */

import type { EnvValue } from "../akash/env.js";
import type { AkashPlacementProps, AkashPricingProps } from "./akash-props.js";

/** Where a node runs: a rootless Podman pod, or an Akash deployment. */
export type NodeTarget = "podman" | "akash";

/** A tLOS node on Akash: the tLOS kernel next to the leaf and host, each in its own compute profile. */
export interface AkashNodeProps {
  readonly pricing: AkashPricingProps;
  readonly placement?: AkashPlacementProps;
  /**
   * The tLOS kernel service.
   * @default { image: AKASH_IMAGES.kernel, cpu: "2", memory: "4Gi", storage: "20Gi" }
   */
  readonly kernel?: { readonly image?: string; readonly cpu?: string | number; readonly memory?: string; readonly storage?: string; readonly env?: Readonly<Record<string, EnvValue>> };
}

/** A port published on the node's host (the default is none: nodes dial out). */
export interface PublishPortProps {
  /** Port on the host. */
  readonly host: number;
  /** Port inside the pod. */
  readonly container: number;
  /**
   * Host address to bind, e.g. "127.0.0.1" to stay local.
   * @default all addresses
   */
  readonly hostIp?: string;
  /** @default "tcp" */
  readonly protocol?: "tcp" | "udp";
}

/** Podman settings of a node. */
export interface PodmanProps {
  /**
   * Podman version the Quadlet units target. A key the version lacks is rewritten into an
   * equivalent `PodmanArgs=` flag where one exists, otherwise refused naming the first version
   * that has it.
   * @default "5.0"
   * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
   */
  readonly version?: string;
  /**
   * User namespace of the pod (`--userns`): the pod's root is never the host user.
   * @default "auto"
   * @see https://docs.podman.io/en/latest/markdown/podman-pod-create.1.html#userns-mode
   */
  readonly userNS?: string;
  /**
   * `AutoUpdate=` policy of the containers (`podman auto-update`). The default is the grid's one
   * update policy: images pinned by digest, updated by moving the pin (`tlos images --pin`) and
   * re-installing the bundle. `"registry"` is refused on a digest-pinned image (a no-op there);
   * on a tag without a digest it opts out of pinning.
   * @default false
   * @see https://docs.podman.io/en/latest/markdown/podman-auto-update.1.html
   */
  readonly autoUpdate?: "registry" | "local" | false;
  /**
   * Extra Quadlet keys per unit, appended after ours (escape hatch). Each key is checked
   * against `version`; values are literal (`%` and `$` are escaped). A key that weakens a default
   * (`PublishPort`, `Network`, `PodmanArgs`, `AddCapability`, `ReadOnly`, `Volume`, … — see
   * `WEAKENING_KEYS`) is refused unless `allowInsecure` lists it; an unknown unit is an error.
   * @default none
   * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
   */
  readonly extraKeys?: {
    readonly pod?: Readonly<Record<string, string | readonly string[]>>;
    readonly nats?: Readonly<Record<string, string | readonly string[]>>;
    readonly host?: Readonly<Record<string, string | readonly string[]>>;
  };
  /**
   * Quadlet keys of `extraKeys` that weaken a default and are accepted anyway, each with a
   * warning, e.g. `["PublishPort"]`.
   * @default []
   */
  readonly allowInsecure?: readonly string[];
}

/** Props of a {@link TlosNode}: a discriminated union on `target` (as `TurnRelayProps` is on `provider`). */
export type TlosNodeProps = PodmanNodeProps | AkashNodeTargetProps;

/** A node on a machine of yours: rootless Podman Quadlet units. */
export interface PodmanNodeProps extends TlosNodeCommonProps {
  /** Where the node runs. */
  readonly target: "podman";
  /** Podman settings. @default see {@link PodmanProps} */
  readonly podman?: PodmanProps;
  readonly akash?: never;
}

/** A node leased on Akash: the kernel next to the lattice leaf and host, one deployment. */
export interface AkashNodeTargetProps extends TlosNodeCommonProps {
  /** Where the node runs. */
  readonly target: "akash";
  /** Akash settings (required). */
  readonly akash: AkashNodeProps;
  readonly podman?: never;
}

/** Props every {@link TlosNode} takes, whatever its target. */
export interface TlosNodeCommonProps {
  /**
   * CPU and memory limits of the wasmCloud host container.
   * @default no limit
   * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
   */
  readonly resources?: { readonly cpu?: string | number; readonly memory?: string };
  /**
   * Host labels (wasmCloud v1 `WASMCLOUD_LABEL_*`) and container labels; `hostcore.*` is reserved.
   * @default none
   */
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Images; pin them by digest (`:latest` is refused, a tag alone warns).
   * @default { nats: DEFAULT_IMAGES.nats, host: DEFAULT_IMAGES.washHost (v2) or DEFAULT_IMAGES.wasmcloudV1 (v1) }
   */
  readonly images?: { readonly nats?: string; readonly host?: string };
  /**
   * The node's NATS leaf.
   * @default { clientPort: 4222, monitorPort: 8222, storeDir: "/data", configDir: "/etc/nats", jetstream: { maxMemory: "256Mi", maxFile: "4Gi" } }
   * @see https://docs.nats.io/running-a-nats-service/configuration/leafnodes
   */
  readonly nats?: {
    readonly clientPort?: number;
    readonly monitorPort?: number;
    readonly storeDir?: string;
    readonly configDir?: string;
    readonly jetstream?: { readonly maxMemory?: string; readonly maxFile?: string };
  };
  /**
   * Ports published on the host. None by default: a node dials out and opens no inbound port.
   * @default []
   */
  readonly publishPorts?: readonly PublishPortProps[];
}
