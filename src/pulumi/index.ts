/**
 * `@tlos/grid/pulumi`: the Pulumi adapter, the only module that imports `@pulumi/*`.
 * `new TlosGrid("tlos", { grid })` registers one component per construct (`tlos:index:Grid`,
 * `tlos:nats:Lattice`, `tlos:podman:TlosNode`) with the rendered artifacts as inputs and outputs,
 * and the real resources of every target the stack config (`tlos:deploy`) names.
 */
export { TlosGrid, TlosConstructResource, TYPE_TOKENS, type TlosGridArgs, type TlosConstructInputs, type Files } from "./components.js";
export { DEPLOY_TARGETS, readStackConfig, type DeployTarget, type AkashStackConfig, type KubernetesStackConfig, type GridStackConfig } from "./config.js";
export { AKASH_READY_TIMEOUT_MS, type CloudflareResources } from "./targets.js";
export type { R2BackupResources, TurnResources, AiGatewayResources } from "./cloudflare/resources.js";
export { AkashDeployment, AkashDeploymentProvider, type AkashDeploymentArgs, type AkashClients } from "./akash/deployment.js";
export { bundleHosts, type HostResources } from "./hosts.js";
export type { HostConnectionConfig, LatticeStackConfig } from "./config.js";
export { AkashGpuPool, SpinKubeCluster, type AkashGpuPoolArgs, type SpinKubeClusterArgs, type TeamMemberArgs } from "./team-components.js";
export { joinLattice, type TeamLattice, type TeamExport, type LatticeReference } from "./team.js";
