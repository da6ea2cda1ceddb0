/**
 * The checks wadm makes when a manifest is put, made at synth instead (so a bad app never
 * reaches the lattice): name pattern, no `latest` version, unique component names, links that
 * point at components of the same app, no duplicate links from one source.
 * @see https://github.com/wasmCloud/wadm/blob/main/crates/wadm-types/src/validation.rs
 */
import type { AppSpec } from "./app-model.js";

export interface RuleProblem {
  /** The prop the problem is about, e.g. `links[0].to`. */
  readonly field: string;
  readonly message: string;
}

/** wadm's manifest name pattern. */
export const WADM_NAME = /^[-\w]+$/;

export function wadmProblems(app: AppSpec): RuleProblem[] {
  const out: RuleProblem[] = [];
  if (!WADM_NAME.test(app.name)) out.push({ field: "id", message: `${JSON.stringify(app.name)} is not a wadm application name: use letters, digits, '_' and '-' (^[-\\w]+$)` });
  if (app.version.trim().toLowerCase() === "latest") out.push({ field: "version", message: `"latest" is not allowed as an application version: wadm refuses it; use a release version like "1.2.0"` });
  const seen = new Map<string, string>();
  const all = [...app.components.map((c, i) => [c.name, `components[${i}].name`] as const), ...app.providers.map((p, i) => [p.name, `providers[${i}].name`] as const)];
  for (const [name, field] of all) {
    if (!WADM_NAME.test(name)) out.push({ field, message: `${JSON.stringify(name)} is not a component name: use letters, digits, '_' and '-'` });
    const prev = seen.get(name);
    if (prev) out.push({ field, message: `duplicate name ${JSON.stringify(name)}: ${prev} has it already; names must be unique in an app` });
    else seen.set(name, field);
  }
  app.links.forEach((l, i) => {
    for (const end of ["from", "to"] as const) {
      if (!seen.has(l[end])) {
        out.push({ field: `links[${i}].${end}`, message: `${JSON.stringify(l[end])} is not a component or provider of this app (dangling link): use one of ${[...seen.keys()].join(", ") || "(none)"}` });
      }
    }
  });
  // wadm: per source, a (link name, namespace, package, interface) may be linked once
  const linked = new Map<string, number>();
  app.links.forEach((l, i) => {
    for (const iface of l.interfaces) {
      const k = `${l.from}|${l.name ?? "default"}|${l.namespace}:${l.package}/${iface}`;
      const prev = linked.get(k);
      if (prev !== undefined) out.push({ field: `links[${i}].interfaces`, message: `${l.namespace}:${l.package}/${iface} (link name ${JSON.stringify(l.name ?? "default")}) is already linked from ${JSON.stringify(l.from)} by links[${prev}]: give one of them another name` });
      else linked.set(k, i);
    }
  });
  return out;
}
