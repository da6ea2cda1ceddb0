/**
 * Issuers (account public keys) of publishers whose signed wasmCloud artifacts a lattice may run.
 */

/**
 * wasmCloud's official issuer: the account that signs wasmCloud's first-party capability
 * providers (`ghcr.io/wasmcloud/http-server`, `http-client`, `keyvalue-nats`, …). Upstream's own
 * policy example trusts exactly this key (`issued_by_wasmcloud`, wasmCloud v1.9.2
 * `examples/security/opa/policy.rego`), and wash's tests expect it as the issuer of
 * `ghcr.io/wasmcloud/http-client:0.13.0` (v1.9.2 `crates/wash/tests/wash_inspect.rs`, `HTTP_ISSUER`).
 * @see https://github.com/wasmCloud/wasmCloud/blob/v1.9.2/examples/security/opa/policy.rego
 */
export const WASMCLOUD_OFFICIAL_ISSUER = "ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BEJWGVAOOQHZMCW";

const PUBLISHERS: readonly { prefix: string; name: string; issuer: string; constant: string }[] = [
  { prefix: "ghcr.io/wasmcloud/", name: "wasmCloud", issuer: WASMCLOUD_OFFICIAL_ISSUER, constant: "WASMCLOUD_OFFICIAL_ISSUER" },
];

/** The known publisher of an image reference and its issuer, or undefined. */
export function publisherIssuer(image: string): { name: string; issuer: string; constant: string } | undefined {
  return PUBLISHERS.find((p) => image.startsWith(p.prefix));
}
