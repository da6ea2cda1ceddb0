// A team's own Pulumi program: one GPU pool and one SpinKube cluster that join the platform's
// lattice, defined here — without the platform's master seed. The platform's grid delegates the
// roles (`teams: { ml: ["ai-pool", "k8s-leaf"] }` on its Lattice) and its program exports them:
//   export const mlLattice = tlos.teams["tlos/lattice"]!["ml"]!.lattice;            // public
//   export const mlSigningKeys = tlos.teams["tlos/lattice"]!["ml"]!.signingKeySeeds; // secret
// This stack's config holds only what is the team's own:
//   pulumi config set --secret tlos:teamSeed "$(openssl rand -hex 32)"
//   pulumi config set --secret tlos:akashMnemonic "word word …"
//   pulumi config set --path 'tlos:deploy[0]' akash; pulumi config set --path 'tlos:deploy[1]' kubernetes
//   pulumi config set --path tlos:akash.deposit.denom uact; pulumi config set --path tlos:akash.deposit.amount 5000000
import * as pulumi from "@pulumi/pulumi";
import { AkashGpuPool, SpinKubeCluster, joinLattice } from "@tlos/grid/pulumi";

const platform = new pulumi.StackReference("acme/tlos-grid/prod");
const lattice = await joinLattice(platform, "mlLattice", "mlSigningKeys");

const pool = new AkashGpuPool("qwen", {
  lattice,
  gpu: { model: "h100", units: 1 },
  inference: {
    model: "Qwen/Qwen3-8B",
    image: "docker.io/vllm/vllm-openai:v0.10.2@sha256:0000000000000000000000000000000000000000000000000000000000000001",
    weights: { parameters: 8, precision: "bf16" },
  },
  pricing: { denom: "uact", amount: 10_000 },
});

const cluster = new SpinKubeCluster("ml-k8s", {
  lattice,
  cosignPublicKeys: ["-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPLACEHOLDERreplaceWITHtheTEAMScosignKEY0000000000000000000000000000000000000==\n-----END PUBLIC KEY-----\n"],
  wasmcloud: {},
});

export const poolFiles = pool.files;
export const poolServices = pool.deployment?.services;
export const clusterFiles = cluster.files;
