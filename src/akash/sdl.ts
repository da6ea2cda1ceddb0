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
  /** Registry credentials for this service's image (`host`, `username`, `password`). */
  credentials?: { host: string; username: string; password: string };
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

/**
 * The port a private deployment exposes globally so Akash accepts it: `Manifest.Validate` refuses
 * a manifest with zero global services (`zero global services`, chain-sdk go/manifest/v2beta3/
 * groups.go, run by `sdl.Read` and by providers on every manifest). Port 9 is RFC 863 "discard":
 * no service of a tLOS deployment listens on it (the leaf serves 4222 to its host only, the host
 * opens no listener), so the provider's port mapping leads nowhere.
 */
export const GLOBAL_ANCHOR_PORT = 9;

/** The SDL with a never-listening global expose on `service` when no expose is global yet. */
export function withGlobalAnchor(sdl: Sdl, service: string): Sdl {
  const hasGlobal = Object.values(sdl.services).some((s) => (s.expose ?? []).some((x) => x.to.some((t) => t.global === true)));
  const svc = sdl.services[service];
  if (hasGlobal || !svc) return sdl;
  const anchor: SdlExpose = { port: GLOBAL_ANCHOR_PORT, as: GLOBAL_ANCHOR_PORT, proto: "TCP", to: [{ global: true }] };
  return { ...sdl, services: { ...sdl.services, [service]: { ...svc, expose: [...(svc.expose ?? []), anchor] } } };
}
