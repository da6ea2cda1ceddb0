/**
 * wadm OAM manifests (`core.oam.dev/v1beta1` Application) for wasmCloud v1 lattices.
 * @see https://github.com/wasmCloud/wadm/blob/main/crates/wadm-types/src/lib.rs
 */
import type { AppSpec, Scaling, SecretRef } from "./app-model.js";

/** The secrets policy wadm resolves secret references through (the lattice's NATS KV backend). */
export const SECRETS_POLICY = "nats-kv";

function scaler(s: Scaling): Record<string, unknown> {
  if (s.kind === "perHost") {
    return {
      type: "daemonscaler",
      properties: { instances: s.instances, ...(Object.keys(s.requirements).length > 0 ? { spread: [{ name: "hosts", requirements: { ...s.requirements } }] } : {}) },
    };
  }
  return {
    type: "spreadscaler",
    properties: {
      instances: s.instances,
      ...(s.spread.length > 0 ? { spread: s.spread.map((x) => ({ name: x.name, requirements: { ...x.requirements }, ...(x.weight !== undefined ? { weight: x.weight } : {}) })) } : {}),
    },
  };
}

function config(owner: string, props: Readonly<Record<string, string>>): unknown[] | undefined {
  return Object.keys(props).length > 0 ? [{ name: `${owner}-config`, properties: { ...props } }] : undefined;
}

function secrets(refs: readonly SecretRef[]): unknown[] | undefined {
  return refs.length > 0
    ? refs.map((r) => ({ name: r.name, properties: { policy: SECRETS_POLICY, key: r.key, ...(r.field ? { field: r.field } : {}) } }))
    : undefined;
}

/** The OAM Application document of an app. */
export function oamApplication(app: AppSpec): Record<string, unknown> {
  const links = (from: string) =>
    app.links
      .map((l, i) => ({ l, i }))
      .filter(({ l }) => l.from === from)
      .map(({ l, i }) => ({
        type: "link",
        properties: {
          namespace: l.namespace,
          package: l.package,
          interfaces: [...l.interfaces],
          ...(l.name ? { name: l.name } : {}),
          target: { name: l.to, ...(Object.keys(l.targetConfig).length > 0 ? { config: config(`${app.name}-link${i}-target`, l.targetConfig) } : {}) },
          ...(Object.keys(l.sourceConfig).length > 0 ? { source: { config: config(`${app.name}-link${i}-source`, l.sourceConfig) } } : {}),
        },
      }));
  const components = [
    ...app.components.map((c) => ({
      name: c.name,
      type: "component",
      properties: { image: c.image, ...(config(`${app.name}-${c.name}`, c.config) ? { config: config(`${app.name}-${c.name}`, c.config) } : {}), ...(secrets(c.secrets) ? { secrets: secrets(c.secrets) } : {}) },
      traits: [scaler(c.scaling), ...links(c.name)],
    })),
    ...app.providers.map((p) => ({
      name: p.name,
      type: "capability",
      properties: { image: p.image, ...(config(`${app.name}-${p.name}`, p.config) ? { config: config(`${app.name}-${p.name}`, p.config) } : {}) },
      traits: [scaler(p.scaling), ...links(p.name)],
    })),
  ];
  const usesSecrets = app.components.some((c) => c.secrets.length > 0);
  return {
    apiVersion: "core.oam.dev/v1beta1",
    kind: "Application",
    metadata: {
      name: app.name,
      annotations: { version: app.version, ...(app.description ? { description: app.description } : {}) },
    },
    spec: {
      components,
      ...(usesSecrets ? { policies: [{ name: SECRETS_POLICY, type: "policy.secret.wasmcloud.dev/v1alpha1", properties: { backend: "nats-kv" } }] } : {}),
    },
  };
}
