/**
 * Default images. NATS and Node are pinned by digest. The wasmCloud images (wash, wasmcloud, wadm)
 * carry a version tag only: no registry is reachable from here and no public source pinning
 * these tags by digest was found, so synth warns until the grid pins one — resolve it with
 * `skopeo inspect --format '{{.Digest}}' docker://<image>`.
 */
export const DEFAULT_IMAGES = {
  /** nats-server 2.11 on Alpine (has `wget` for health checks; the scratch image has no shell). */
  nats: "docker.io/library/nats:2.11.16-alpine@sha256:47169454fd238c3bd104f9947a6f84c1fb4713cd89ebf29da541ce53358fc298",
  /**
   * wasmCloud v2 host: `wash host`. 2.7.0 is the newest release we can cite: git tag `v2.7.0` of
   * wasmCloud/wasmCloud (tagged 2026-08-11, commit in that repository's history), whose
   * `.github/workflows/release-tag.yml` publishes `ghcr.io/wasmcloud/wash` tagged without the
   * "v". (A 2.8.0 appeared here before with no source; none could be found.)
   * @see https://github.com/wasmCloud/wasmCloud/releases/tag/v2.7.0
   */
  washHost: "ghcr.io/wasmcloud/wash:2.7.0",
  /** wasmCloud v1.9 host. @see https://github.com/wasmCloud/wasmCloud/tree/release-1.9.x */
  wasmcloudV1: "ghcr.io/wasmcloud/wasmcloud:1.9.2",
  /** wadm 0.21 for v1 lattices. @see https://github.com/wasmCloud/wadm/pkgs/container/wadm */
  wadm: "ghcr.io/wasmcloud/wadm:0.21.1",
} as const;

/**
 * Node.js for the jobs that run the tlos CLI (policy responder, JetStream snapshots, a GPU pool's
 * AI service) in containers. Digest as GoogleCloudPlatform/microservices-demo pins this tag (its
 * multi-platform builder image, `src/currencyservice/Dockerfile` and `src/paymentservice/Dockerfile`
 * at commit 34ffea9, kept current by Renovate): `node:20.20.2-alpine@sha256:fb4cd12c…`.
 * @see https://hub.docker.com/_/node
 */
export const DEFAULT_NODE_IMAGE = "docker.io/library/node:20.20.2-alpine@sha256:fb4cd12c85ee03686f6af5362a0b0d56d50c58a04632e6c0fb8363f609372293";

/** Further defaults for the Akash target (tags only: pin digests in your grid). */
export const AKASH_IMAGES = {
  /** vLLM's OpenAI-compatible server. @see https://hub.docker.com/r/vllm/vllm-openai */
  vllm: "docker.io/vllm/vllm-openai:v0.10.2",
  /** The tLOS kernel. */
  kernel: "ghcr.io/the-last-os/kernel:0.1.0",
} as const;
