/**
 * SpinKube objects: `SpinAppExecutor` (one per namespace that holds apps), `SpinApp`, and its
 * autoscaler (HPA `autoscaling/v2` or KEDA `ScaledObject`, both targeting `Deployment/<app>`
 * since SpinApp has no scale subresource).
 * @see https://www.spinkube.dev/docs/reference/spin-app/
 */

export interface SpinAppSpec {
  readonly name: string;
  readonly namespace: string;
  readonly image: string;
  readonly executor: string;
  readonly replicas?: number;
  readonly autoscaling?: { readonly kind: "hpa" | "keda"; readonly min: number; readonly max: number; readonly cpu: number; readonly memory: number };
  readonly resources?: { readonly limits: Record<string, string>; readonly requests: Record<string, string> };
  readonly variables: readonly ({ readonly name: string; readonly value: string } | { readonly name: string; readonly secret: string; readonly key: string })[];
  readonly runtimeConfigSecret?: string;
  readonly checks?: { readonly readiness?: string; readonly liveness?: string };
  readonly imagePullSecrets: readonly string[];
  readonly components: readonly string[];
  /** Bytes; becomes `invocationLimits.memory`. */
  readonly invocationMemory?: string;
}

const labels = (app: string) => ({ "app.kubernetes.io/name": app, "app.kubernetes.io/managed-by": "tlos" });

export function spinAppExecutor(namespace: string, mode: { runtimeClassName: string } | { spinImage: string }): Record<string, unknown> {
  return {
    apiVersion: "core.spinkube.dev/v1alpha1",
    kind: "SpinAppExecutor",
    metadata: { name: "containerd-shim-spin", namespace },
    spec: { createDeployment: true, deploymentConfig: { ...mode, installDefaultCACerts: true } },
  };
}

export function spinApp(a: SpinAppSpec): Record<string, unknown> {
  const probe = (path: string) => ({ httpGet: { path }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3 });
  return {
    apiVersion: "core.spinkube.dev/v1alpha1",
    kind: "SpinApp",
    metadata: { name: a.name, namespace: a.namespace, labels: labels(a.name) },
    spec: {
      image: a.image,
      executor: a.executor,
      ...(a.autoscaling ? { enableAutoscaling: true } : { replicas: a.replicas ?? 1 }),
      ...(a.resources ? { resources: a.resources } : {}),
      ...(a.variables.length > 0
        ? { variables: a.variables.map((v) => ("secret" in v ? { name: v.name, valueFrom: { secretKeyRef: { name: v.secret, key: v.key } } } : { name: v.name, value: v.value })) }
        : {}),
      ...(a.runtimeConfigSecret ? { runtimeConfig: { loadFromSecret: a.runtimeConfigSecret } } : {}),
      ...(a.checks ? { checks: { ...(a.checks.readiness ? { readiness: probe(a.checks.readiness) } : {}), ...(a.checks.liveness ? { liveness: probe(a.checks.liveness) } : {}) } } : {}),
      ...(a.imagePullSecrets.length > 0 ? { imagePullSecrets: a.imagePullSecrets.map((name) => ({ name })) } : {}),
      ...(a.components.length > 0 ? { components: [...a.components] } : {}),
      ...(a.invocationMemory ? { invocationLimits: { memory: a.invocationMemory } } : {}),
    },
  };
}

/** The autoscaler of an app, or undefined with fixed replicas. */
export function autoscaler(a: SpinAppSpec): Record<string, unknown> | undefined {
  const s = a.autoscaling;
  if (!s) return undefined;
  const target = { apiVersion: "apps/v1", kind: "Deployment", name: a.name };
  const metadata = { name: `${a.name}-autoscaler`, namespace: a.namespace, labels: labels(a.name) };
  if (s.kind === "hpa") {
    return {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata,
      spec: {
        scaleTargetRef: target,
        minReplicas: s.min,
        maxReplicas: s.max,
        metrics: [
          { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.cpu } } },
          { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: s.memory } } },
        ],
      },
    };
  }
  return {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata,
    spec: {
      scaleTargetRef: target,
      minReplicaCount: s.min,
      maxReplicaCount: s.max,
      triggers: [
        { type: "cpu", metricType: "Utilization", metadata: { value: String(s.cpu) } },
        { type: "memory", metricType: "Utilization", metadata: { value: String(s.memory) } },
      ],
    },
  };
}
