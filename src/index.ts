/**
 * `@tlos/grid`: one typed grid definition for The Last OS. Constructs first; the Pulumi adapter
 * lives in `@tlos/grid/pulumi` so that synth never loads a Pulumi package.
 */
export { Grid, type GridProps, type SynthOptions } from "./synth/grid.js";
export { Lattice, type LatticeProps, type HubProps, type ResolvedHub } from "./constructs/lattice.js";
export { JoinedLattice, type LatticeReference } from "./constructs/joined-lattice.js";
export { DELEGABLE_ROLES, type DelegableRole } from "./nats/scoped-keys.js";
export { TlosNode, type TlosNodeProps, type PodmanNodeProps, type AkashNodeTargetProps, type TlosNodeCommonProps, type PodmanProps, type PublishPortProps, type NodeTarget, type AkashNodeProps } from "./constructs/tlos-node.js";
export { App, type AppProps, type AppComponentProps, type AppProviderProps, type AppLinkProps, type HostInterfaceProps, type SpreadProps } from "./constructs/app.js";
export type { WitInterfaces } from "./wasmcloud/app-model.js";
export { AkashGpuPool, type AkashGpuPoolProps, type GpuProps } from "./constructs/akash-gpu-pool.js";
export type { AkashPricingProps, AkashPlacementProps } from "./constructs/akash-props.js";
export { monthlyCost, BLOCKS_PER_MONTH, type MonthlyCost } from "./akash/cost.js";
export { SpinKubeCluster, type SpinKubeClusterProps, type SpinAppProps } from "./constructs/spinkube-cluster.js";
export { TurnRelay, DEFAULT_TURN_IMAGE, type TurnRelayProps, type CoturnProps, type CloudflareTurnProps } from "./constructs/turn-relay.js";
export { turnRestCredentials, DENIED_PEER_RANGES } from "./turn/coturn.js";
export { mintCloudflareIceServers } from "./turn/cloudflare.js";
export { R2Backup, DEFAULT_RESTIC_IMAGE, DEFAULT_NODE_IMAGE, type R2BackupProps } from "./constructs/r2-backup.js";
export { Registry, DEFAULT_REGISTRY_IMAGE, PUSH_USER, type RegistryProps, type RegistryStorageProps, type RegistryS3Credentials } from "./constructs/registry.js";
export { AiGateway, type AiGatewayProps } from "./constructs/ai-gateway.js";
export { chooseRoute, type AiRouting, type AiRoute } from "./ai/routing.js";
export { MasterSeed } from "./core/seed.js";
export { Cpu, Memory } from "./core/quantity.js";
export { ImageRef } from "./core/image.js";
export { DEFAULT_IMAGES } from "./core/images.js";
export { TlosError, ValidationError, QuadletKeyVersionError, formatProblem, type Problem } from "./core/errors.js";
export type { Warning } from "./core/construct.js";
export type { Artifact, ArtifactKind, ArtifactTarget, StreamedArtifact, SynthResult } from "./synth/artifact.js";
export { writeOutput, openOutput, type OutputWriter, type WriteReport } from "./synth/write.js";
export type { GenerationOptions } from "./synth/generation.js";
export { synthToOutput, type OutputSynth } from "./synth/synth-output.js";
export { buildManifest, type Manifest, type ManifestEntry } from "./synth/manifest.js";
export type { WasmCloudVersion } from "./wasmcloud/host.js";
export { WASMCLOUD_OFFICIAL_ISSUER } from "./wasmcloud/issuers.js";
export { AKASH_AUDITOR } from "./constructs/akash-gpu-sizing.js";
export type { AccountLimits } from "./nats/jwt.js";
export type { EnvValue } from "./akash/env.js";
export { exampleRoles, rolesMarkdown } from "./nats/roles-table.js";
export { aiPoolRole, aiRouterRole, aiInboxPrefix, enforcesLeafPermissions, type Role, type Trust } from "./nats/roles.js";
export { backupInboxPrefix } from "./nats/backup-roles.js";
export { leafFindings, type Leafz, type LeafFinding } from "./nats/leaf-check.js";
