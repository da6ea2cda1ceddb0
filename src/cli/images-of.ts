/**
 * The container images a synth output runs, read from its manifest's non-secret files: Quadlet
 * `Image=` and the `image:` of compose, Kubernetes and Akash documents (`tlos images`, `tlos images mirror`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE, type Manifest } from "../synth/manifest.js";

const KINDS = new Set(["quadlet-unit", "compose", "k8s-manifest", "akash-sdl"]);

/** Image reference → the files that use it. */
export function imagesOf(dir: string): Map<string, string[]> {
  const mp = join(dir, MANIFEST_FILE);
  if (!existsSync(mp)) throw new TlosError(`${mp} does not exist: run tlos synth <program> --out ${dir} first`);
  const manifest = JSON.parse(readFileSync(mp, "utf8")) as Manifest;
  const out = new Map<string, string[]>();
  for (const f of manifest.files) {
    if (f.secret || !KINDS.has(f.kind)) continue;
    const text = readFileSync(join(dir, f.path), "utf8");
    const refs = [...text.matchAll(/^Image=(\S+)\s*$/gm), ...text.matchAll(/^\s*(?:-\s+)?image:\s+"?([^"\s#]+)"?\s*$/gm)].map((m) => m[1]!);
    for (const r of refs) out.set(r, [...(out.get(r) ?? []), f.path]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
}

