/**
 * What the tLOS policies share: the resource types they look at and walking a resource's inputs.
 * CrossGuard hands a policy the inputs with secrets already unwrapped, so a policy cannot tell a
 * secret input from a plain one by its value: it goes by the field the value sits in.
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/core-concepts/
 */

/** Pulumi types of the Kubernetes workloads whose pod templates hold containers. */
export const WORKLOAD_TYPES: Readonly<Record<string, (props: Record<string, unknown>) => unknown>> = {
  "kubernetes:core/v1:Pod": (p) => p.spec,
  "kubernetes:apps/v1:Deployment": (p) => get(p, "spec", "template", "spec"),
  "kubernetes:apps/v1:StatefulSet": (p) => get(p, "spec", "template", "spec"),
  "kubernetes:apps/v1:DaemonSet": (p) => get(p, "spec", "template", "spec"),
  "kubernetes:apps/v1:ReplicaSet": (p) => get(p, "spec", "template", "spec"),
  "kubernetes:batch/v1:Job": (p) => get(p, "spec", "template", "spec"),
  "kubernetes:batch/v1:CronJob": (p) => get(p, "spec", "jobTemplate", "spec", "template", "spec"),
};

export const SPIN_APP_TYPE = "kubernetes:core.spinkube.dev/v1alpha1:SpinApp";
export const CLUSTER_IMAGE_POLICY_TYPE = "kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy";
export const SPINKUBE_CLUSTER_TYPE = "tlos:kubernetes:SpinKubeCluster";

/** A nested value, or undefined when a step is missing. */
export function get(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

/** Every element of an array (nothing when it is not one). */
export function each(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** The containers and init containers of a pod spec, with their field path. */
export function containersOf(podSpec: unknown): { field: string; container: Record<string, unknown> }[] {
  return (["containers", "initContainers", "ephemeralContainers"] as const).flatMap((k) =>
    each(get(podSpec, k)).map((c, i) => ({ field: `${k}[${i}]`, container: (c ?? {}) as Record<string, unknown> })));
}

/** Every string in `v` with its dotted path (`a.b[2].c`). */
export function strings(v: unknown, path = ""): { path: string; value: string }[] {
  if (typeof v === "string") return [{ path, value: v }];
  if (Array.isArray(v)) return v.flatMap((x, i) => strings(x, `${path}[${i}]`));
  if (v !== null && typeof v === "object") return Object.entries(v).flatMap(([k, x]) => strings(x, path ? `${path}.${k}` : k));
  return [];
}

/** `Image=` of a Quadlet `.container` unit (the last one wins, as in Quadlet). */
export function quadletImage(unit: string): string | undefined {
  return [...unit.matchAll(/^Image=(.*)$/gm)].map((m) => m[1]!.trim()).at(-1);
}

/** True for an image reference pinned by a sha256 digest. */
export function pinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image);
}
