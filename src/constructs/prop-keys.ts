/**
 * The keys of every construct's props, for the unknown-prop check (`checkKnownKeys` in
 * src/core/known-keys.ts). `KeysOf<T>` makes the compiler hold each schema to its props type;
 * nested objects list their keys too, free-form maps (labels, env, config) are leaves.
 */
import type { KeySchema, KeysOf } from "../core/known-keys.js";
import type { AkashGpuPoolProps, GpuProps } from "./akash-gpu-pool-props.js";
import type { AkashPlacementProps, AkashPricingProps } from "./akash-props.js";
import type { AppComponentProps, AppLinkProps, AppProps, AppProviderProps, HostInterfaceProps, SpreadProps } from "./app-props.js";
import type { HubProps, LatticeProps } from "./lattice-props.js";
import type { SpinAppProps, SpinKubeClusterProps } from "./spinkube-props.js";
import type { AkashNodeProps, PodmanProps, PublishPortProps, TlosNodeProps } from "./tlos-node-props.js";
import type { AiGatewayProps } from "./ai-gateway-props.js";
import type { CloudflareTurnProps, CoturnProps } from "./turn-relay-props.js";
import type { R2BackupProps } from "./r2-backup-props.js";
import type { RegistryProps } from "./registry-props.js";

const PRICING: KeysOf<AkashPricingProps> = { denom: true, amount: true, sidecarAmount: true };
const PLACEMENT: KeysOf<AkashPlacementProps> = { attributes: true, signedBy: { anyOf: true, allOf: true } };
const GPU: KeysOf<GpuProps> = { model: true, ram: true, interface: true, units: true };

export const POOL_KEYS: KeysOf<AkashGpuPoolProps> = {
  gpu: GPU, count: true, resources: { cpu: true, memory: true, ephemeralStorage: true },
  modelCache: { size: true, class: true, mount: true, persistent: true },
  volumes: { list: { name: true, size: true, class: true, mount: true } },
  inference: { model: true, image: true, args: true, port: true, env: true, maxInFlight: true, weights: { size: true, parameters: true, precision: true } },
  shm: true, audited: true, public: true, placement: PLACEMENT, pricing: PRICING, images: { nats: true, host: true, ai: true },
};

const WIT = { namespace: true, package: true, interfaces: true } as const;
const SPREAD: KeysOf<SpreadProps> = { name: true, requirements: true, weight: true };
const COMPONENT: KeysOf<AppComponentProps> = {
  name: true, image: true, instances: true, spread: { list: SPREAD }, perHost: { requirements: true }, config: true,
  secrets: { list: { name: true, key: true, field: true } }, build: { crate: true, claimsExpireDays: true },
};
const PROVIDER: KeysOf<AppProviderProps> = { name: true, image: true, instances: true, requirements: true, config: true };
const LINK: KeysOf<AppLinkProps> = { ...WIT, from: true, to: true, name: true, targetConfig: true, sourceConfig: true };
const HOST_INTERFACE: KeysOf<HostInterfaceProps> = { ...WIT, version: true, config: true };
export const APP_KEYS: KeysOf<AppProps> = {
  version: true, description: true, components: { list: COMPONENT }, providers: { list: PROVIDER }, links: { list: LINK },
  hostInterfaces: { list: HOST_INTERFACE }, namespace: true, replicas: true, hostSelector: true,
};

const HUB: KeysOf<HubProps> = { id: true, host: true, bind: true, ports: true /* checked by Lattice, naming the ports */, storeDir: true, configDir: true, jetstream: { maxMemory: true, maxFile: true } };
export const LATTICE_KEYS: KeysOf<LatticeProps> = {
  name: true, jetstreamDomain: true, hubs: { list: HUB }, wasmcloud: true, limits: true, revokedNodes: true,
  images: { nats: true, wadm: true }, trustedIssuers: true, caCertificate: true, podman: { version: true, userNS: true, autoUpdate: true }, credentialLifetimeDays: true,
  mode: true, teams: true, tls: { epoch: true, validityDays: true },
};

const PODMAN: KeysOf<PodmanProps> = { version: true, userNS: true, autoUpdate: true, extraKeys: { pod: true, nats: true, host: true }, allowInsecure: true };
const AKASH_NODE: KeysOf<AkashNodeProps> = { pricing: PRICING, placement: PLACEMENT, kernel: { image: true, cpu: true, memory: true, storage: true, env: true } };
const PUBLISH: KeysOf<PublishPortProps> = { host: true, container: true, hostIp: true, protocol: true };
export const NODE_KEYS: KeysOf<TlosNodeProps> = {
  target: true, podman: PODMAN, akash: AKASH_NODE, resources: { cpu: true, memory: true }, labels: true, images: { nats: true, host: true },
  nats: { clientPort: true, monitorPort: true, storeDir: true, configDir: true, jetstream: { maxMemory: true, maxFile: true } }, publishPorts: { list: PUBLISH },
};

const SPIN_APP: KeysOf<SpinAppProps> = {
  name: true, namespace: true, image: true, replicas: true, autoscaling: { kind: true, min: true, max: true, cpuUtilization: true, memoryUtilization: true },
  resources: { cpu: true, memory: true, cpuRequest: true, memoryRequest: true }, variables: true, runtimeConfigSecret: true,
  checks: { readiness: true, liveness: true }, imagePullSecrets: true, components: true, invocationMemoryLimit: true, executor: true,
};
export const SPINKUBE_KEYS: KeysOf<SpinKubeClusterProps> = {
  install: { certManager: true, runtimeClassManager: true, spinCrds: true, spinOperator: true, admission: true, wasmcloudOperator: true },
  runtime: { name: true, nodeSelector: true, labelNodes: true, shimVersion: true, sha256: { x86_64: true, aarch64: true } },
  executor: { runtimeClassName: true, spinImage: true }, spinApps: { list: SPIN_APP }, cosignPublicKeys: true,
  wasmcloud: { namespace: true, hostGroups: { list: { name: true, replicas: true } } },
};

export const R2_KEYS: KeysOf<R2BackupProps> = {
  accountId: true, bucket: { location: true, jurisdiction: true, storageClass: true }, retentionDays: true, abortMultipartDays: true,
  at: true, keep: { daily: true, weekly: true, monthly: true }, endpoint: true, images: { restic: true, node: true }, runOn: true, streams: true,
};

export const AI_GATEWAY_KEYS: KeysOf<AiGatewayProps> = {
  accountId: true, cache: { ttlSeconds: true, invalidateOnUpdate: true }, rateLimit: { limit: true, intervalSeconds: true, technique: true },
  collectLogs: true, authentication: true, fallbacks: { list: { provider: true, model: true } }, allowPlaintext: true,
};

const CLOUDFLARE_TURN: KeysOf<CloudflareTurnProps> = { provider: true, accountId: true, ttlSeconds: true };
const COTURN: KeysOf<CoturnProps> = {
  provider: true, realm: true, externalIp: true, ports: { turn: true, tls: true }, relayPorts: { min: true, max: true }, image: true,
  ttlSeconds: true, podmanVersion: true, target: true, akash: { pricing: PRICING }, host: true,
};
/** The keys of a TurnRelay's props, by its provider. */
export function turnKeys(props: unknown): KeySchema {
  return (props as { provider?: unknown } | undefined)?.provider === "cloudflare" ? CLOUDFLARE_TURN : COTURN;
}

export const REGISTRY_KEYS: KeysOf<RegistryProps> = {
  host: true, address: true, ports: { pull: true, push: true }, bindIp: true,
  storage: { driver: true, accountId: true, bucket: true, endpoint: true, region: true, rootDirectory: true, credentials: { accessKeyId: true, secretAccessKey: true } },
  gc: { day: true, at: true }, mirrors: true, image: true, publicEndpoint: true,
  kubernetes: { namespace: true, serviceType: true, storageSize: true, storageClassName: true, pullFrom: true, pushFrom: true },
};
