/**
 * Signed images only, on Kubernetes: a sigstore policy-controller `ClusterImagePolicy` that
 * admits an image in the grid's namespaces only if it carries a cosign signature from one of the
 * grid's keys.
 *
 * Why policy-controller rather than Kyverno: it does one job — verify sigstore signatures at
 * admission — with a small CRD whose `authorities[].key.data` takes the cosign public keys the
 * grid already holds; namespaces opt in with a label, so system namespaces stay untouched; and it
 * comes from the same project as cosign, which the component pipelines sign with. Kyverno's
 * `verifyImages` can do this too, but brings a general policy engine the grid does not need.
 * @see https://docs.sigstore.dev/policy-controller/overview/
 */

/** Namespaces carrying this label are enforced by policy-controller. */
export const POLICY_LABEL = { "policy.sigstore.dev/include": "true" } as const;

export function clusterImagePolicy(name: string, keys: readonly string[], globs: readonly string[]): Record<string, unknown> {
  return {
    apiVersion: "policy.sigstore.dev/v1beta1",
    kind: "ClusterImagePolicy",
    metadata: { name },
    spec: {
      images: globs.map((glob) => ({ glob })),
      authorities: keys.map((data, i) => ({ name: `grid-key-${i + 1}`, key: { data, hashAlgorithm: "sha256" } })),
    },
  };
}
