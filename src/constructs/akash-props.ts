/** Props shared by the Akash constructs ({@link AkashGpuPool}, `TlosNode` with target `akash`). */
import type { Denom } from "../akash/sdl.js";

/**
 * What the deployment pays per block; one denom per deployment.
 * @see https://akash.network/docs/network-features/stack-definition-language/#profilesplacementpricing
 */
export interface AkashPricingProps {
  /** `uakt` or `uact` (ACT, the USD-pegged credit). */
  readonly denom: Denom;
  /** Most the main service may cost per block, in micro-denom (> 0, ≤ 10,000,000). */
  readonly amount: number;
  /**
   * Most the NATS leaf and the wasmCloud host may each cost per block.
   * @default 1000
   */
  readonly sidecarAmount?: number;
}

/** Which providers may bid. */
export interface AkashPlacementProps {
  /** Provider attributes that must match, e.g. `{ region: "us-west" }`. @default none */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Auditors (akash1… addresses) whose signatures a provider needs. @default none */
  readonly signedBy?: { readonly anyOf?: readonly string[]; readonly allOf?: readonly string[] };
}
