// The Pulumi program of the full grid (Pulumi.yaml at the repository root runs it):
//   pulumi login --local && pulumi stack init dev
//   pulumi config set --secret tlos:masterSeed "$(openssl rand -hex 32)"
//   pulumi up
// The same grid object `tlos synth` loads; every construct becomes a component whose outputs
// are its rendered artifacts (secret files as secret outputs).
import { TlosGrid } from "@tlos/grid/pulumi";
import grid from "./grid.js";

// Akash deployments need a funded wallet: pulumi config set --secret tlos:akashMnemonic "…"
// and TLOS_AKASH_DEPLOY=1; without it the Akash constructs only carry their SDLs as outputs.
// Kubernetes objects need a cluster: TLOS_KUBERNETES=1 uses the default kubeconfig provider.
const tlos = new TlosGrid("tlos", {
  grid,
  ...(process.env["TLOS_KUBERNETES"] ? { kubernetes: {} } : {}),
  // Cloudflare resources need an API token: pulumi config set --secret cloudflare:apiToken "…"
  ...(process.env["TLOS_CLOUDFLARE"] ? { cloudflare: {} } : {}),
  ...(process.env["TLOS_AKASH_DEPLOY"] ? { akash: { deposit: { denom: "uact", amount: "5000000" } } } : {}),
});

export const manifest = tlos.manifest;
export const nodeUnits = tlos.components["tlos/lattice/home-1"]?.files;
export const kimi = tlos.deployments["tlos/lattice/kimi"]?.services;
