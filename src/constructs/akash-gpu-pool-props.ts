/** Props of an {@link AkashGpuPool}. */
import type { EnvValue } from "../akash/env.js";
import type { AkashPlacementProps, AkashPricingProps } from "./akash-props.js";

/** The GPUs of one replica. */
export interface GpuProps {
  /** Model slug (`h100`, `a100`, `h200`, …) or a list meaning "any of these". */
  readonly model: string | readonly string[];
  /** GPU memory, e.g. `"80Gi"`. @default any */
  readonly ram?: string;
  /** @default any */
  readonly interface?: "pcie" | "sxm";
  /** GPUs per replica, 1–24. */
  readonly units: number;
}

/** Props of an {@link AkashGpuPool}. */
export interface AkashGpuPoolProps {
  /** GPUs per replica. @see https://akash.network/docs/network-features/stack-definition-language/#gpu */
  readonly gpu: GpuProps;
  /** Replicas, 1–50. @default 1 */
  readonly count?: number;
  /**
   * CPU, memory and ephemeral storage of the inference service.
   * @default { cpu: "16", memory: "128Gi", ephemeralStorage: "100Gi" }
   */
  readonly resources?: { readonly cpu?: string | number; readonly memory?: string; readonly ephemeralStorage?: string };
  /**
   * The persistent model cache, mounted into the inference server (never `ram`).
   * @default { size: "500Gi", class: "beta3", mount: "/models" }
   */
  readonly modelCache?: { readonly size?: string; readonly class?: string; readonly mount?: string; readonly persistent?: boolean };
  /** More persistent volumes of the inference service. @default none */
  readonly volumes?: readonly { readonly name: string; readonly size: string; readonly class?: string; readonly mount: string }[];
  /**
   * The inference server: vLLM's OpenAI-compatible server by default.
   * @see https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
   */
  readonly inference: {
    /** Model id, e.g. `"moonshotai/Kimi-K2-Instruct"`. */
    readonly model: string;
    /** @default DEFAULT_IMAGES.vllm */
    readonly image?: string;
    /** Extra server arguments. @default none */
    readonly args?: readonly string[];
    /** @default 8000 */
    readonly port?: number;
    /**
     * Environment of the inference server. Credentials go as `{ secret: "…" }` (e.g.
     * `HF_TOKEN: { secret: process.env.HF_TOKEN }`): only the deployable SDL under `secrets/` holds
     * them; names like `*_TOKEN`, `*_KEY`, `*_SECRET`, `PASSWORD` given as plain strings are refused.
     * The Akash provider can read every env value of its lease.
     * @default none
     * @see https://akash.network/docs/network-features/environment-variables/
     */
    readonly env?: Readonly<Record<string, EnvValue>>;
  };
  /** Expose the inference port to the internet (`global: true`). @default false: only the pool's host reaches it */
  readonly public?: boolean;
  readonly placement?: AkashPlacementProps;
  readonly pricing: AkashPricingProps;
  /** @default { nats: DEFAULT_IMAGES.nats, host: the lattice's host image } */
  readonly images?: { readonly nats?: string; readonly host?: string };
}
