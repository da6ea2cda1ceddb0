/**
 * What an Akash deployment cannot change in place: its groups — per placement, the attributes,
 * the auditors, the price caps, and per service the compute profile (CPU, memory, storage, GPU
 * units and model) and count. `MsgUpdateDeployment` (deployment v1beta4) carries only the id and
 * a new manifest version hash — the group specs of the order and lease stay — so a change here
 * needs a new deployment (and lease): the dynamic resource previews it as a replace. The summary
 * holds no credentials, so it is a plain (non-secret) input a preview diff shows.
 * @see https://github.com/akash-network/chain-sdk/blob/main/proto/node/akash/deployment/v1beta4/deploymentmsg.proto
 */
import { parse } from "yaml";

type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (typeof x === "object" && x !== null && !Array.isArray(x) ? (x as Obj) : {});

/** Per placement group: attributes, auditors, pricing, and each service's profile, count and resources. */
export type AkashGroups = Record<string, {
  readonly attributes: unknown;
  readonly signedBy: unknown;
  readonly pricing: unknown;
  readonly services: Record<string, { readonly profile: string; readonly count: number; readonly resources: unknown }>;
}>;

/** Sorts object keys recursively so equal groups serialize equally. */
function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (typeof x !== "object" || x === null) return x;
  return Object.fromEntries(Object.keys(x).sort().map((k) => [k, canonical((x as Obj)[k])]));
}

/** The groups of an SDL (YAML text). */
export function akashGroups(sdlText: string): AkashGroups {
  const sdl = obj(parse(sdlText));
  const profiles = obj(sdl["profiles"]);
  const compute = obj(profiles["compute"]);
  const placement = obj(profiles["placement"]);
  const out: Record<string, { attributes: unknown; signedBy: unknown; pricing: unknown; services: Record<string, { profile: string; count: number; resources: unknown }> }> = {};
  for (const [name, p] of Object.entries(placement)) {
    const pl = obj(p);
    out[name] = { attributes: pl["attributes"] ?? null, signedBy: pl["signedBy"] ?? null, pricing: pl["pricing"] ?? null, services: {} };
  }
  for (const [svc, byPlacement] of Object.entries(obj(sdl["deployment"]))) {
    for (const [name, d] of Object.entries(obj(byPlacement))) {
      const dd = obj(d);
      const profile = String(dd["profile"]);
      const group = (out[name] ??= { attributes: null, signedBy: null, pricing: null, services: {} });
      group.services[svc] = { profile, count: Number(dd["count"] ?? 1), resources: obj(compute[profile])["resources"] ?? null };
    }
  }
  return canonical(out) as AkashGroups;
}

/** The paths (`<placement>.services.<svc>.resources`, `<placement>.pricing`…) where two group summaries differ. */
export function groupChanges(a: AkashGroups, b: AkashGroups): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string) => {
    if (JSON.stringify(x) === JSON.stringify(y)) return;
    const leaf = (v: unknown) => typeof v !== "object" || v === null || Array.isArray(v);
    if (leaf(x) || leaf(y) || path.split(".").length >= 4) {
      out.push(path);
      return;
    }
    for (const k of [...new Set([...Object.keys(x as Obj), ...Object.keys(y as Obj)])].sort()) walk((x as Obj)[k], (y as Obj)[k], path ? `${path}.${k}` : k);
  };
  walk(a, b, "");
  return out;
}
