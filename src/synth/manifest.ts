/** `manifest.json`: every file of a synth with its sha256, kind, target, construct and secret flag. */
import { createHash } from "node:crypto";
import { closeSync, openSync, writeSync } from "node:fs";
import type { Warning } from "../core/construct.js";
import type { Artifact, ArtifactKind, ArtifactTarget } from "./artifact.js";

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly kind: ArtifactKind;
  readonly target: ArtifactTarget;
  readonly construct: string;
  readonly secret: boolean;
  /** Quadlet units: the Podman version they target. */
  readonly podmanVersion?: string;
  /** Akash SDLs: the worst-case monthly cost. */
  readonly cost?: import("../core/artifact.js").MonthlyCost;
}

export interface Manifest {
  readonly generator: "@tlos/grid";
  readonly manifestVersion: 1;
  readonly files: readonly ManifestEntry[];
  readonly warnings: readonly Warning[];
}

export const MANIFEST_FILE = "manifest.json";

export function sha256(content: string | Uint8Array): string {
  return createHash("sha256").update(content).digest("hex");
}

/** A manifest entry still being made (its `sha256` is filled in once the writer thread hashed the file). */
export type ManifestEntryDraft = { -readonly [K in keyof ManifestEntry]: ManifestEntry[K] };

/** The manifest entry of `f`, whose bytes hash to `sha`. */
export function manifestEntry(f: Omit<Artifact, "content">, sha: string): ManifestEntryDraft {
  const e: ManifestEntryDraft = { path: f.path, sha256: sha, kind: f.kind, target: f.target, construct: f.construct, secret: f.secret };
  if (f.podmanVersion) e.podmanVersion = f.podmanVersion;
  if (f.cost) e.cost = f.cost;
  return e;
}

const byPath = (a: { path: string }, b: { path: string }) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** The manifest of `entries` (sorted here by path) and `warnings`. */
export function manifestOf(entries: readonly ManifestEntry[], warnings: readonly Warning[]): Manifest {
  return {
    generator: "@tlos/grid",
    manifestVersion: 1,
    files: [...entries].sort(byPath),
    warnings: [...warnings].sort((a, b) => (a.path + a.field < b.path + b.field ? -1 : 1)),
  };
}

export function buildManifest(files: readonly Artifact[], warnings: readonly Warning[]): Manifest {
  return manifestOf(files.map((f) => manifestEntry(f, sha256(f.content))), warnings);
}

export function renderManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/** `JSON.stringify(x, null, 2)` of a value nested `depth` levels deep. */
function nested(x: unknown, depth: number): string {
  return (JSON.stringify(x, null, 2) ?? "null").replace(/\n/g, `\n${"  ".repeat(depth)}`);
}

/**
 * {@link nested} of a manifest entry in the files list (depth 2), written field by field: the
 * same text, without a generic walk of 160k objects at 10k nodes.
 */
function entryText(e: ManifestEntry): string {
  let s = `{\n      "path": ${JSON.stringify(e.path)},\n      "sha256": ${JSON.stringify(e.sha256)},\n      "kind": ${JSON.stringify(e.kind)},\n      "target": ${JSON.stringify(e.target)},\n      "construct": ${JSON.stringify(e.construct)},\n      "secret": ${e.secret}`;
  if (e.podmanVersion !== undefined) s += `,\n      "podmanVersion": ${JSON.stringify(e.podmanVersion)}`;
  if (e.cost !== undefined) s += `,\n      "cost": ${nested(e.cost, 3)}`;
  return `${s}\n    }`;
}

const ENTRY_KEYS = ["path", "sha256", "kind", "target", "construct", "secret"];

/**
 * An entry as {@link manifestEntry} makes them (own keys in its order, plain values): {@link entryText}
 * writes it. The keys are walked in place, not joined into a string per entry (150k at 10k nodes).
 */
function isPlainEntry(x: unknown): x is ManifestEntry {
  if (typeof x !== "object" || x === null || Object.getPrototypeOf(x) !== Object.prototype) return false;
  let i = 0;
  let extra = 0; // 1: podmanVersion seen, 2: cost seen (it comes last)
  for (const k in x) {
    if (i < ENTRY_KEYS.length) {
      if (k !== ENTRY_KEYS[i++]) return false;
    } else if (k === "podmanVersion" && extra === 0) extra = 1;
    else if (k === "cost" && extra < 2) extra = 2;
    else return false;
  }
  const e = x as ManifestEntry;
  return i === ENTRY_KEYS.length && typeof e.path === "string" && typeof e.sha256 === "string" && typeof e.kind === "string" && typeof e.target === "string" && typeof e.construct === "string" && typeof e.secret === "boolean" && (!("podmanVersion" in e) || typeof e.podmanVersion === "string") && (!("cost" in e) || (typeof e.cost === "object" && e.cost !== null));
}

/**
 * Writes `renderManifest(m)` to a new file at `path` (mode 0644, exclusive), byte for byte, in
 * chunks: at 10k nodes the manifest is ~40 MB of JSON that is never one string in memory.
 */
export function writeManifestFile(path: string, m: Manifest): void {
  const fd = openSync(path, "wx", 0o644);
  try {
    let buf = "{";
    const flush = (force: boolean) => {
      if (buf.length < 1 << 20 && !force) return;
      writeSync(fd, buf);
      buf = "";
    };
    const keys = Object.keys(m) as (keyof Manifest)[];
    keys.forEach((k, i) => {
      const v = m[k];
      buf += `\n  ${JSON.stringify(k)}: `;
      if (!Array.isArray(v) || v.length === 0) buf += nested(v, 1);
      else {
        buf += "[";
        v.forEach((x: unknown, j: number) => {
          buf += `\n    ${k === "files" && isPlainEntry(x) ? entryText(x) : nested(x, 2)}${j < v.length - 1 ? "," : ""}`;
          flush(false);
        });
        buf += "\n  ]";
      }
      if (i < keys.length - 1) buf += ",";
    });
    buf += "\n}\n";
    flush(true);
  } finally {
    closeSync(fd);
  }
}
