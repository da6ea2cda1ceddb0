/**
 * `@tlos/grid/pulumi`: the Pulumi adapter, the only module that imports `@pulumi/*`.
 * `new TlosGrid("tlos", { grid })` registers one component per construct (`tlos:index:Grid`,
 * `tlos:nats:Lattice`, `tlos:podman:TlosNode`) with the rendered artifacts as outputs.
 */
export { TlosGrid, TlosConstructResource, type TlosGridArgs } from "./components.js";
export { AkashDeployment, AkashDeploymentProvider, type AkashDeploymentArgs, type AkashClients } from "./akash/deployment.js";
