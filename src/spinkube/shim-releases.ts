/**
 * containerd-shim-spin releases and the tarball digests upstream publishes. A `Shim` makes
 * runtime-class-manager download the tarball onto every selected node and install it as
 * containerd's runtime, so it is pinned by sha256 (the node installer checks `SHIM_SHA256`).
 * @see https://github.com/spinframework/containerd-shim-spin/releases
 * @see https://github.com/spinframework/runtime-class-manager/blob/main/api/v1alpha1/shim_types.go (PlatformArtifact.SHA256)
 */
import { didYouMean } from "../core/suggest.js";

/** Release tags of spinframework/containerd-shim-spin (git tags at 5611018, 2026-05-12; release candidates left out). */
export const SHIM_RELEASES: readonly string[] = [
  "v0.12.0", "v0.13.0", "v0.13.1", "v0.14.0", "v0.14.1", "v0.15.0", "v0.15.1", "v0.16.0", "v0.17.0", "v0.18.0",
  "v0.19.0", "v0.20.0", "v0.21.0", "v0.22.0", "v0.23.0", "v0.24.0",
];

export type ShimArch = "x86_64" | "aarch64";

/**
 * sha256 of `containerd-shim-spin-v2-linux-<arch>.tar.gz` per release, as upstream states them:
 * v0.23.0 from runtime-class-manager v0.2.0 `config/samples/sample_shim_spin.yaml` (commit 114a365,
 * "bump containerd-shim-spin to v0.23.0"). No upstream file states v0.24.0's digests, so using it
 * needs `runtime.sha256` from the release page.
 */
export const SHIM_SHA256: Readonly<Record<string, Readonly<Record<ShimArch, string>>>> = {
  "v0.23.0": {
    x86_64: "eec8df96fa3a4fe5dbc57ffb706461692c055299dd6d22dff9444863a2a12281",
    aarch64: "a923f08d91c110d2cda29fbc380273e6d0a97aa0bab455c55f613c8d5a8bfbe4",
  },
};

/** Why `version` cannot be installed with these digests, or undefined. */
export function shimVersionProblem(version: unknown): string | undefined {
  if (typeof version === "string" && SHIM_RELEASES.includes(version)) return undefined;
  return `${JSON.stringify(version)} is not a containerd-shim-spin release (${SHIM_RELEASES[0]} … ${SHIM_RELEASES[SHIM_RELEASES.length - 1]})${typeof version === "string" ? didYouMean(version, SHIM_RELEASES) : ""}`;
}
