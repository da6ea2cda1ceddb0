/**
 * Writes a synth result to disk, atomically and without losing anything:
 * - every file is written to a staging folder beside the output first, then renamed into place
 *   (a new output folder is renamed whole);
 * - `manifest.json` goes last, so it only ever lists files that are in place;
 * - a file is removed only if the previous `manifest.json` lists it (we wrote it) and the new
 *   synth no longer produces it; foreign files are never touched;
 * - secrets are written with mode 0600, scripts 0755, everything else 0644.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, rmdirSync, writeFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve, basename, sep } from "node:path";
import { TlosError } from "../core/errors.js";
import type { SynthResult } from "./artifact.js";
import { buildManifest, MANIFEST_FILE, renderManifest, type Manifest } from "./manifest.js";

export interface WriteReport {
  readonly outDir: string;
  readonly written: number;
  readonly unchanged: number;
  readonly removed: readonly string[];
  readonly manifest: Manifest;
}

function safePath(root: string, rel: string): string {
  const abs = resolve(root, rel);
  if (!abs.startsWith(root + sep)) throw new TlosError(`refusing to write outside the output folder: ${rel}`);
  return abs;
}

function previousFiles(outDir: string): Set<string> {
  const p = join(outDir, MANIFEST_FILE);
  if (!existsSync(p)) return new Set();
  try {
    const m = JSON.parse(readFileSync(p, "utf8")) as Partial<Manifest>;
    if (m.generator !== "@tlos/grid" || !Array.isArray(m.files)) return new Set();
    return new Set(m.files.map((f) => f.path).filter((x): x is string => typeof x === "string"));
  } catch {
    return new Set();
  }
}

function modeOf(f: { secret: boolean; executable?: boolean }): number {
  return f.secret ? 0o600 : f.executable ? 0o755 : 0o644;
}

export function writeOutput(result: SynthResult, outDir: string): WriteReport {
  const root = resolve(outDir);
  const manifest = buildManifest(result.files, result.warnings);
  const parent = dirname(root);
  mkdirSync(parent, { recursive: true });
  const stage = mkdtempSync(join(parent, `.${basename(root)}.tlos-stage-`));
  try {
    for (const f of result.files) {
      const p = safePath(stage, f.path);
      mkdirSync(dirname(p), { recursive: true, mode: f.secret ? 0o700 : 0o755 });
      writeFileSync(p, f.content, { mode: modeOf(f) });
      chmodSync(p, modeOf(f));
    }
    writeFileSync(join(stage, MANIFEST_FILE), renderManifest(manifest), { mode: 0o644 });
    if (!existsSync(root)) {
      renameSync(stage, root);
      return { outDir: root, written: result.files.length, unchanged: 0, removed: [], manifest };
    }
    const before = previousFiles(root);
    let written = 0;
    let unchanged = 0;
    for (const f of result.files) {
      const target = safePath(root, f.path);
      if (existsSync(target) && readFileSync(target, "utf8") === f.content) {
        chmodSync(target, modeOf(f));
        unchanged++;
        continue;
      }
      mkdirSync(dirname(target), { recursive: true, mode: f.secret ? 0o700 : 0o755 });
      renameSync(safePath(stage, f.path), target);
      written++;
    }
    const now = new Set(result.files.map((f) => f.path));
    const removed: string[] = [];
    for (const old of [...before].sort()) {
      if (now.has(old)) continue;
      const target = safePath(root, old);
      if (existsSync(target)) {
        rmSync(target);
        removed.push(old);
        pruneEmptyDirs(root, dirname(target));
      }
    }
    renameSync(join(stage, MANIFEST_FILE), join(root, MANIFEST_FILE));
    return { outDir: root, written, unchanged, removed, manifest };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** Removes folders left empty by a removal, up to (not including) the output root. */
function pruneEmptyDirs(root: string, dir: string): void {
  let d = dir;
  while (d.startsWith(root + sep) && existsSync(d) && readdirSync(d).length === 0) {
    rmdirSync(d);
    d = dirname(d);
  }
}
