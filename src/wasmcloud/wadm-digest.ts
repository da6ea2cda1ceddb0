/**
 * What of a wadm manifest decides what runs: its name, version, and per component or provider the
 * name, type, image and traits (scaler instances and spread, links). A digest of that part is how
 * `tlos status` tells whether the model wadm deployed is the one synth wrote: wadm hands back the
 * manifest it stores re-serialized (`model.get`: fields reordered, defaults filled in), so bytes
 * cannot be compared; this projection drops what serde adds and sorts keys.
 * @see https://github.com/wasmCloud/wadm/blob/main/crates/wadm-types/src/api.rs (GetModelResponse)
 */
import { createHash } from "node:crypto";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Keys sorted, empty lists and objects, nulls and empty strings dropped (what serde adds as defaults). */
function canonical(v: unknown): Json | undefined {
  if (v === null || v === undefined || v === "") return undefined;
  if (Array.isArray(v)) {
    const items = v.map(canonical).filter((x): x is Json => x !== undefined);
    return items.length > 0 ? items : undefined;
  }
  if (typeof v === "object") {
    const entries = Object.keys(v as object).sort().flatMap((k) => {
      const c = canonical((v as Record<string, unknown>)[k]);
      return c === undefined ? [] : [[k, c] as const];
    });
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }
  return v as Json;
}

interface ManifestLike {
  readonly metadata?: { readonly name?: string; readonly annotations?: Readonly<Record<string, string>> };
  readonly spec?: { readonly components?: readonly { readonly name?: string; readonly type?: string; readonly properties?: Readonly<Record<string, unknown>>; readonly traits?: readonly unknown[] }[] };
}

/** The components (and providers) of a manifest: name, type and image, in manifest order. */
export function wadmComponents(m: ManifestLike): { name: string; type: string; image: string }[] {
  return (m.spec?.components ?? []).map((c) => ({ name: c.name ?? "", type: c.type ?? "", image: typeof c.properties?.["image"] === "string" ? c.properties["image"] : "" }));
}

/** sha256 (hex) of the deployable part of a wadm manifest; equal for a manifest and wadm's re-serialized copy of it. */
export function wadmDigest(m: ManifestLike): string {
  const part = {
    name: m.metadata?.name,
    version: m.metadata?.annotations?.["version"],
    components: [...(m.spec?.components ?? [])].map((c) => ({ name: c.name, type: c.type, image: c.properties?.["image"], config: c.properties?.["config"], secrets: c.properties?.["secrets"], traits: c.traits })).sort((a, b) => ((a.name ?? "") < (b.name ?? "") ? -1 : 1)),
  };
  return createHash("sha256").update(JSON.stringify(canonical(part) ?? {})).digest("hex");
}
