/**
 * What a `TurnRelay` takes: Cloudflare Realtime TURN or a self-hosted coturn.
 * @see https://developers.cloudflare.com/realtime/turn/
 * @see https://github.com/coturn/coturn/blob/master/docs/Configuration.md
 */
import type { AkashPricingProps } from "./akash-props.js";

/** Props of a `TurnRelay`: one shape per provider. */
export type TurnRelayProps = CloudflareTurnProps | CoturnProps;

export interface CloudflareTurnProps {
  readonly provider: "cloudflare";
  /** Cloudflare account id (32 hex digits). */
  readonly accountId: string;
  /** Lifetime of the ICE credentials hosts mint. @default 86400 */
  readonly ttlSeconds?: number;
}

export interface CoturnProps {
  readonly provider: "coturn";
  /** Public host name peers reach the relay at (also the TURN realm). */
  readonly realm: string;
  /** Public IP when the host is behind NAT (`external-ip`). @default none */
  readonly externalIp?: string;
  /** @default { turn: 3478, tls: 5349 } */
  readonly ports?: { readonly turn?: number; readonly tls?: number };
  /** Relay ports (UDP), at most 16384 of them. @default { min: 49152, max: 49407 } */
  readonly relayPorts?: { readonly min: number; readonly max: number };
  /** @default DEFAULT_TURN_IMAGE */
  readonly image?: string;
  /** @default 86400 */
  readonly ttlSeconds?: number;
  /** Podman version of the unit. @default "5.0" */
  readonly podmanVersion?: string;
  /**
   * The machine that runs the relay (target `podman`, required there): a lowercase DNS label. Its
   * bundle is `hosts/<host>/`; the id of a hub or node puts the relay beside it on that machine.
   */
  readonly host?: string;
  /**
   * Where coturn runs: a rootless Podman unit, a Kubernetes Deployment on host networking (nodes
   * labelled `tlos.grid/turn=true`), or an Akash deployment with a leased IP (then the relay range
   * is at most 64 ports, each exposed).
   * @default "podman"
   */
  readonly target?: "podman" | "kubernetes" | "akash";
  /** Akash pricing (target `akash`). */
  readonly akash?: { readonly pricing: AkashPricingProps };
}
