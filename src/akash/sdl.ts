/**
 * The Akash SDL document model (version "2.0"), spelled as the SDL spells it, and its renderer.
 * @see https://akash.network/docs/network-features/stack-definition-language/
 * @see https://github.com/akash-network/chain-sdk/tree/main/go/sdl (the authoritative parser)
 */
import { renderYaml } from "../core/yaml.js";

export type Denom = "uakt" | "uact";
export const DENOMS: readonly Denom[] = ["uakt", "uact"];
export type StorageClass = "default" | "beta1" | "beta2" | "beta3" | "ram";
export const STORAGE_CLASSES: readonly StorageClass[] = ["default", "beta1", "beta2", "beta3", "ram"];

export interface SdlExpose {
  port: number;
  as?: number;
  proto?: "TCP" | "UDP";
  to: { service?: string; global?: boolean; ip?: string }[];
}

export interface SdlService {
  image: string;
  command?: string[];
  args?: string[];
  env?: string[];
  expose?: SdlExpose[];
  params?: { storage?: Record<string, { mount: string; readOnly?: boolean }> };
}

export interface SdlStorage {
  name?: string;
  size: string;
  attributes?: { persistent?: boolean; class?: string };
}

export interface SdlGpu {
  units: number;
  attributes?: { vendor: { nvidia?: { model: string; ram?: string; interface?: string }[] | null } };
}

export interface SdlCompute {
  resources: {
    cpu: { units: number | string };
    memory: { size: string };
    storage: SdlStorage | SdlStorage[];
    gpu?: SdlGpu;
  };
}

export interface SdlPlacement {
  attributes?: Record<string, string>;
  signedBy?: { anyOf?: string[]; allOf?: string[] };
  pricing: Record<string, { denom: string; amount: number }>;
}

export interface Sdl {
  version: "2.0";
  services: Record<string, SdlService>;
  profiles: { compute: Record<string, SdlCompute>; placement: Record<string, SdlPlacement> };
  deployment: Record<string, Record<string, { profile: string; count: number }>>;
  endpoints?: Record<string, { kind: "ip" }>;
}

/** The SDL as YAML (sorted keys, `version` first). */
export function renderSdl(sdl: Sdl, header: readonly string[] = []): string {
  return renderYaml(sdl, { header });
}
