/**
 * `WorkloadDeployment` (`runtime.wasmcloud.dev/v1alpha1`) for wasmCloud v2 lattices: the app's
 * components as one workload, the host interfaces it needs, replicas and a host selector.
 * Links between components are resolved by the v2 runtime from the WIT imports, so they are not
 * written here; config becomes `localResources.config`, secrets `environment.secretFrom`.
 * @see https://github.com/wasmCloud/wasmCloud/tree/main/charts/runtime-operator/crds
 */
import type { AppSpec } from "./app-model.js";

export function workloadDeployment(app: AppSpec): Record<string, unknown> {
  const labels = { "app.kubernetes.io/name": app.name, "app.kubernetes.io/version": app.version, "app.kubernetes.io/managed-by": "tlos" };
  return {
    apiVersion: "runtime.wasmcloud.dev/v1alpha1",
    kind: "WorkloadDeployment",
    metadata: { name: app.name, namespace: app.namespace, labels, ...(app.description ? { annotations: { "tlos.grid/description": app.description } } : {}) },
    spec: {
      replicas: app.replicas,
      template: {
        labels,
        spec: {
          components: app.components.map((c) => ({
            name: c.name,
            image: c.image,
            imagePullPolicy: "IfNotPresent",
            ...(Object.keys(c.config).length > 0 || c.secrets.length > 0
              ? {
                  localResources: {
                    ...(Object.keys(c.config).length > 0 ? { config: { ...c.config } } : {}),
                    ...(c.secrets.length > 0 ? { environment: { secretFrom: [...new Set(c.secrets.map((s) => s.name))].map((name) => ({ name })) } } : {}),
                  },
                }
              : {}),
          })),
          ...(app.hostInterfaces.length > 0
            ? {
                hostInterfaces: app.hostInterfaces.map((h) => ({
                  namespace: h.namespace,
                  package: h.package,
                  interfaces: [...h.interfaces],
                  ...(h.version ? { version: h.version } : {}),
                  ...(Object.keys(h.config).length > 0 ? { config: { ...h.config } } : {}),
                })),
              }
            : {}),
          ...(Object.keys(app.hostSelector).length > 0 ? { hostSelector: { ...app.hostSelector } } : {}),
        },
      },
    },
  };
}
