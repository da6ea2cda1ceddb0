// Every construct of a tLOS grid, both wasmCloud generations from one definition:
// a v2 lattice (default) and a v1.9 lattice for existing deployments, with apps on each.
// Later issues add Akash GPU pools, a SpinKube cluster, R2 backups, TURN relays and an AI gateway.
//   npx tlos synth examples/full-grid/grid.ts --out dist/full-grid
import { AiGateway, AkashGpuPool, App, Grid, Lattice, R2Backup, SpinKubeCluster, TlosNode, TurnRelay } from "@tlos/grid";

// Placeholder digests: pin your own images (the CI workflows tlos emits print the digest to pin).
const pin = (ref: string, n: number) => `${ref}@sha256:${n.toString(16).repeat(64).slice(0, 64)}`;

const grid = new Grid("tlos");

// ---- wasmCloud v2 lattice -------------------------------------------------------------
const lattice = new Lattice(grid, "lattice", {
  name: "tlos",
  jetstreamDomain: "hub",
  wasmcloud: "v2",
  hubs: [
    { id: "hub-1", host: "hub-1.grid.example.net", jetstream: { maxMemory: "2Gi", maxFile: "50Gi" } },
    { id: "hub-2", host: "hub-2.grid.example.net", jetstream: { maxMemory: "2Gi", maxFile: "50Gi" } },
    { id: "hub-3", host: "hub-3.grid.example.net", jetstream: { maxMemory: "2Gi", maxFile: "50Gi" } },
  ],
  // a ceiling per account; every other JWT limit stays unlimited
  limits: { conn: 1000, leaf: 64 },
});

new TlosNode(lattice, "home-1", {
  target: "podman",
  resources: { cpu: "2", memory: "2Gi" },
  labels: { zone: "home", arch: "amd64" },
});

new TlosNode(lattice, "home-2", {
  target: "podman",
  podman: { version: "5.4", userNS: "keep-id" },
  resources: { cpu: "500m", memory: "1Gi" },
  labels: { zone: "home", arch: "arm64" },
});

// a node that serves HTTP components to the LAN: the only published port, asked for explicitly
new TlosNode(lattice, "edge-1", {
  target: "podman",
  podman: { version: "5.3" },
  labels: { zone: "edge" },
  publishPorts: [{ host: 8080, container: 8080, hostIp: "192.0.2.10" }],
});

// an HTTP app on v2: the host provides wasi:http, three replicas on home hosts
new App(lattice, "hello", {
  version: "0.3.0",
  description: "hello over HTTP",
  components: [{ name: "hello", image: pin("ghcr.io/the-last-os/hello:0.3.0", 1), config: { greeting: "hi" } }],
  hostInterfaces: [{ namespace: "wasi", package: "http", interfaces: ["incoming-handler"], version: "0.2.0", config: { host: "hello.grid.example.net" } }],
  replicas: 3,
  hostSelector: { zone: "home" },
  namespace: "apps",
});

// an H100 pool on Akash for a Kimi-K2.5-class model (1T-parameter MoE, INT4 weights ≈ 600 GB):
// 8 × H100 80Gi SXM per replica, tensor parallel across them, a 2Ti model cache that survives
// restarts; only the pool's own wasmCloud host reaches the inference port
new AkashGpuPool(lattice, "kimi", {
  gpu: { model: "h100", ram: "80Gi", interface: "sxm", units: 8 },
  count: 1,
  resources: { cpu: 64, memory: "1Ti", ephemeralStorage: "200Gi" },
  modelCache: { size: "2Ti", class: "beta3" },
  inference: {
    model: "moonshotai/Kimi-K2-Thinking",
    image: pin("docker.io/vllm/vllm-openai:v0.10.2", 6),
    args: ["--trust-remote-code", "--max-model-len", "131072", "--gpu-memory-utilization", "0.92"],
  },
  placement: { attributes: { "capabilities/gpu": "nvidia" } },
  // at most 30,000 uact (0.03 ACT ≈ $0.03) per block for the GPUs
  pricing: { denom: "uact", amount: 30_000 },
});

// a tLOS node on Akash: the kernel beside its leaf and host
new TlosNode(lattice, "cloud-1", {
  target: "akash",
  labels: { zone: "cloud" },
  akash: {
    pricing: { denom: "uact", amount: 2_000 },
    kernel: { image: pin("ghcr.io/the-last-os/kernel:0.1.0", 7), cpu: 2, memory: "4Gi", storage: "20Gi" },
  },
});

// a Kubernetes cluster: SpinKube for two Spin apps (one autoscaled), wasmCloud v2 host groups
// that run the lattice's apps (hello above) and join the lattice through an in-cluster leaf;
// only images signed with the grid's cosign key are admitted
new SpinKubeCluster(lattice, "k8s", {
  cosignPublicKeys: [
    "-----BEGIN PUBLIC KEY-----\n" +
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPLACEHOLDERcosignpubkeyREPLACEwithYOURcosign0pubAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n" +
      "-----END PUBLIC KEY-----\n",
  ],
  spinApps: [
    { name: "hello-spin", image: pin("ghcr.io/the-last-os/hello-spin:1.0.0", 8), replicas: 2, checks: { readiness: "/healthz" } },
    {
      name: "api",
      namespace: "api",
      image: pin("ghcr.io/the-last-os/api:2.0.0", 9),
      autoscaling: { kind: "hpa", min: 2, max: 10, cpuUtilization: 70 },
      resources: { cpu: "500m", memory: "256Mi" },
      variables: { log_level: "info", db_token: { secret: "api-secrets", key: "db-token" } },
      invocationMemoryLimit: "128Mi",
    },
  ],
  wasmcloud: { hostGroups: [{ name: "default", replicas: 2 }] },
});

// Cloudflare: nightly encrypted backups of the hubs' JetStream to R2 (EU jurisdiction), an AI
// Gateway the lattice falls back to when the GPU pool is down, and TURN for peers behind hard NATs
const CLOUDFLARE_ACCOUNT = "0123456789abcdef0123456789abcdef"; // replace with your account id
new R2Backup(lattice, "nightly", { accountId: CLOUDFLARE_ACCOUNT, bucket: { jurisdiction: "eu", location: "weur" }, retentionDays: 90, keep: { daily: 7, weekly: 4, monthly: 6 } });
new AiGateway(lattice, "ai", {
  accountId: CLOUDFLARE_ACCOUNT,
  cache: { ttlSeconds: 600 },
  rateLimit: { limit: 300, intervalSeconds: 60 },
  fallbacks: [{ provider: "workers-ai", model: "@cf/meta/llama-3.3-70b-instruct-fp8-fast" }, { provider: "openai", model: "gpt-4o-mini" }],
});
new TurnRelay(grid, "turn", { provider: "cloudflare", accountId: CLOUDFLARE_ACCOUNT });
new TurnRelay(grid, "turn-home", { provider: "coturn", realm: "turn.grid.example.net", externalIp: "203.0.113.7", host: "relay-1" });

// ---- wasmCloud v1.9 lattice (existing deployments): wadm, policy responder, providers ----
const legacy = new Lattice(grid, "legacy", {
  name: "legacy",
  wasmcloud: "v1",
  hubs: [
    { id: "legacy-hub-1", host: "legacy-1.grid.example.net" },
    { id: "legacy-hub-2", host: "legacy-2.grid.example.net" },
    { id: "legacy-hub-3", host: "legacy-3.grid.example.net" },
  ],
});

new TlosNode(legacy, "legacy-home-1", { target: "podman", labels: { zone: "home" } });
new TlosNode(legacy, "legacy-edge-1", { target: "podman", labels: { zone: "edge" } });

// an HTTP app: the component spread 80/20 over home and edge, the http-server provider on edge
new App(legacy, "hello", {
  version: "0.3.0",
  components: [{
    name: "hello",
    image: pin("ghcr.io/the-last-os/hello:0.3.0", 2),
    instances: 4,
    spread: [
      { name: "home", requirements: { zone: "home" }, weight: 80 },
      { name: "edge", requirements: { zone: "edge" }, weight: 20 },
    ],
  }],
  providers: [{ name: "http-server", image: pin("ghcr.io/wasmcloud/http-server:0.27.0", 3), requirements: { zone: "edge" } }],
  links: [{ from: "http-server", to: "hello", namespace: "wasi", package: "http", interfaces: ["incoming-handler"], sourceConfig: { address: "0.0.0.0:8080" } }],
});

// a key-value app linked to the NATS key-value provider, one instance on every home host
new App(legacy, "counter", {
  version: "1.0.0",
  components: [{ name: "counter", image: pin("ghcr.io/the-last-os/counter:1.0.0", 4), perHost: { requirements: { zone: "home" } } }],
  providers: [{ name: "kv-nats", image: pin("ghcr.io/wasmcloud/keyvalue-nats:0.3.1", 5) }],
  links: [{ from: "counter", to: "kv-nats", namespace: "wasi", package: "keyvalue", interfaces: ["atomics", "store"], targetConfig: { bucket: "counter" } }],
});

export default grid;
