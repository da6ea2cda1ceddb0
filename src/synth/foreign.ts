/**
 * Files in an output folder that tlos did not write (its previous manifest does not list them):
 * found without following any symlink, and carried into the next generation as hard links (or
 * re-created links), so a re-synth never loses a user's file. Where such an entry sits on a
 * path tlos needs for itself, the synth is refused with the path, before anything is written.
 */
import { copyFileSync, constants, linkSync, lstatSync, mkdirSync, readdirSync, readlinkSync, symlinkSync } from "node:fs";
import { dirname, join } from "node:path";
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE } from "./manifest.js";
import { inSecretsFolder } from "./out-paths.js";

export interface ForeignEntry {
  /** Relative POSIX path. */
  readonly path: string;
  readonly type: "file" | "symlink" | "dir";
}

/**
 * Walks `dir` (iteratively: no recursion to overflow) for entries not in `ours`. Throws when one
 * of them is a symlink or file where the new output needs a folder, or a folder where it needs
 * a file. A foreign file or link at a path the new output writes is replaced by that file.
 * `kindOf`: what the new output has at a path (the writer's own path table: no second set of
 * its 150k paths at 10k nodes).
 */
export function scanForeign(dir: string, root: string, ours: { has(path: string): boolean }, kindOf: (path: string) => "file" | "dir" | undefined): ForeignEntry[] {
  const newFiles = { has: (p: string) => kindOf(p) === "file" };
  const newDirs = { has: (p: string) => kindOf(p) === "dir" };
  const out: ForeignEntry[] = [];
  const bad: string[] = [];
  const stack: string[] = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const entries = readdirSync(rel === "" ? dir : join(dir, rel), { withFileTypes: true });
    if (entries.length === 0 && rel !== "" && !newDirs.has(rel)) out.push({ path: rel, type: "dir" });
    for (const e of entries) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        if (newFiles.has(p)) bad.push(`${p} is a folder tlos did not make, where it writes a file`);
        else stack.push(p);
        continue;
      }
      if (ours.has(p) || p === MANIFEST_FILE || newFiles.has(p)) continue;
      if (newDirs.has(p)) {
        bad.push(e.isSymbolicLink() ? `${p} is a symbolic link (to ${JSON.stringify(readlinkSync(join(dir, p)))}) where tlos writes a folder: it never writes through a link` : `${p} is a file where tlos writes a folder`);
      } else if (e.isSymbolicLink()) out.push({ path: p, type: "symlink" });
      else if (e.isFile()) out.push({ path: p, type: "file" });
      else bad.push(`${p} is a special file (fifo, socket or device) tlos cannot keep`);
    }
  }
  if (bad.length > 0) throw new TlosError(`cannot synth into ${root}, nothing was written:\n  ${bad.sort().slice(0, 20).join("\n  ")}\nmove these away and synth again`);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Re-creates the foreign entries of `from` in the new generation `gen`. */
export function carryForeign(from: string, gen: string, entries: readonly ForeignEntry[]): void {
  const made = new Set<string>();
  const ensure = (d: string): void => {
    if (d === "." || made.has(d)) return;
    ensure(dirname(d));
    made.add(d);
    if (!lstatSync(join(gen, d), { throwIfNoEntry: false })) mkdirSync(join(gen, d), { mode: inSecretsFolder(`${d}/x`) ? 0o700 : 0o755 });
  };
  for (const e of entries) {
    const src = join(from, e.path);
    const dst = join(gen, e.path);
    if (e.type === "dir") {
      ensure(e.path);
      continue;
    }
    ensure(dirname(e.path));
    if (e.type === "symlink") symlinkSync(readlinkSync(src), dst);
    else {
      try {
        linkSync(src, dst); // link(2) does not follow a symlink
      } catch {
        if (lstatSync(src).isFile()) copyFileSync(src, dst, constants.COPYFILE_EXCL);
      }
    }
  }
}
