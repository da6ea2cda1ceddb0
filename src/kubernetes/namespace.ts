/**
 * The Namespaces a cluster's documents live in (`00-namespaces.yaml`): managed by tlos, and
 * labelled for the image-signature admission policy when the cluster installs it.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
 */

export function namespaceDoc(name: string, labels: Readonly<Record<string, string>> = {}): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Namespace", metadata: { name, labels: { ...labels, "app.kubernetes.io/managed-by": "tlos" } } };
}
