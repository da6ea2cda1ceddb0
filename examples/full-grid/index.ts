// The Pulumi program of the full grid (Pulumi.yaml at the repository root runs it):
//   pulumi login --local && pulumi stack init dev
//   pulumi config set --secret tlos:masterSeed "$(openssl rand -hex 32)"
//   pulumi up
// The same grid object `tlos synth` loads; every construct becomes a component whose inputs and
// outputs are its rendered artifacts (secret files as secrets). Which targets deploy, the Akash
// wallet and deposit, the Kubernetes contexts and the Cloudflare token all come from stack config
// (`tlos:deploy`, `tlos:akash`, `tlos:akashMnemonic`, `tlos:kubernetes`, `tlos:kubeconfig`,
// `cloudflare:apiToken`): see the README's `Pulumi.<stack>.yaml`.
import { TlosGrid } from "@tlos/grid/pulumi";
import grid from "./grid.js";

const tlos = new TlosGrid("tlos", { grid });

export const manifest = tlos.manifest;
export const nodeUnits = tlos.components["tlos/lattice/home-1"]?.files;
export const kimi = tlos.deployments["tlos/lattice/kimi"]?.services;
