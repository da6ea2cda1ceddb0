/** Pinned versions of everything the SpinKube stack installs (spinkube-docs, 2026-04). */
export const SPINKUBE_VERSIONS = {
  certManager: "v1.20.0",
  runtimeClassManager: "0.2.0",
  spinOperator: "0.6.1",
  /**
   * The newest release whose tarball digests upstream states (SHIM_SHA256; the one
   * runtime-class-manager 0.2.0's sample installs). v0.24.0 (2026-04-11) is newer: set
   * `runtime.shimVersion` and `runtime.sha256` to use it.
   */
  containerdShimSpin: "v0.23.0",
  /** wasmCloud v2 runtime-operator chart (tags without "v"). */
  wasmcloudOperator: "2.7.0",
  /** sigstore policy-controller chart. */
  policyController: "0.10.5",
} as const;

/** The RuntimeClass handler each installer registers (spinkube reference §2). */
export const SHIM_HANDLER = { runtimeClassManager: "spin-v2", manual: "spin" } as const;
