/**
 * Writes a synth result to disk, all or nothing, and never through a symlink:
 * - the output folder `<dir>` is a symlink to a complete generation `.<name>.tlos/gen-*` beside
 *   it. A synth builds the whole new generation in a fresh folder (every directory created once,
 *   every file created exclusively with its final mode), writes `manifest.json` into it, then
 *   switches `<dir>` with one `rename` of a new symlink over it. A reader, or a crash at any
 *   instant, sees either the old output or the new one, whole.
 * - files the previous manifest does not list (a user's own files) are carried into the new
 *   generation (hard links), so nothing tlos did not write is lost; files it wrote and no longer
 *   produces are gone with the old generation;
 * - nothing is read or written through a symlink: the new tree is fresh, old files are never
 *   opened (unchanged files are counted by sha256 from the old manifest), a foreign symlink where
 *   tlos needs a folder is refused, and a previous manifest listing a path outside the folder is
 *   corrupt input (clear error, nothing written);
 * - generations left by a crashed run are removed on the next run and reported;
 * - secrets are written with mode 0600 in 0700 folders, scripts 0755, everything else 0644.
 * Guarantee: against a crash of the process (kill -9). Files are not fsync'ed, so after a power
 * cut the newest generation may need a re-synth.
 */
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TlosError } from "../core/errors.js";
import type { SynthResult } from "./artifact.js";
import { acquireLock, releaseLock } from "./out-lock.js";
import { errnoCode, fsStep } from "./fs-errors.js";
import { carryForeign, scanForeign, type ForeignEntry } from "./foreign.js";
import { buildManifest, MANIFEST_FILE, renderManifest, type Manifest } from "./manifest.js";
import { checkNewPaths, foldersOf, inSecretsFolder, parsePreviousManifest, type PreviousFile } from "./out-paths.js";

export interface WriteReport {
  readonly outDir: string;
  /** Files that are new or changed. */
  readonly written: number;
  /** Files whose content is the same as in the previous output. */
  readonly unchanged: number;
  /** Files the previous synth wrote that this one no longer produces. */
  readonly removed: readonly string[];
  /** Files and links tlos did not write, carried into the new output. */
  readonly kept: number;
  /** Leftovers of a crashed or interrupted run that were cleaned up. */
  readonly cleaned: readonly string[];
  readonly manifest: Manifest;
}

const GEN = "gen-";
const LEGACY = "legacy-";

/** Where the output stands now: nothing, our symlink to a generation, or a plain folder. */
interface Current {
  readonly kind: "none" | "ours" | "legacy" | "empty";
  /** The folder holding the current output (for "ours" and "legacy"). */
  readonly dir?: string;
  /** Name of the current generation in the state folder ("ours"). */
  readonly gen?: string;
}

function locate(root: string, stateName: string): Current {
  let st;
  try {
    st = lstatSync(root);
  } catch (e) {
    if (errnoCode(e) === "ENOENT") return { kind: "none" };
    return fsStep("read", root, () => { throw e; });
  }
  if (st.isSymbolicLink()) {
    const target = readlinkSync(root);
    const gen = target.startsWith(`${stateName}/${GEN}`) ? target.slice(stateName.length + 1) : undefined;
    if (!gen || gen.includes("/")) throw new TlosError(`${root} is a symbolic link to ${JSON.stringify(target)}, not one tlos made: pass the folder it points to, or remove the link`);
    const dir = join(dirname(root), target);
    try {
      if (lstatSync(dir).isDirectory()) return { kind: "ours", dir, gen };
    } catch { /* dangling: like no output */ }
    return { kind: "none" };
  }
  if (!st.isDirectory()) throw new TlosError(`${root} is a file, not a folder: pass a folder for the output`);
  if (fsStep("read", root, () => lstatSync(join(root, MANIFEST_FILE), { throwIfNoEntry: false }))?.isFile()) return { kind: "legacy", dir: root };
  try {
    rmdirSync(root);
    return { kind: "empty" };
  } catch (e) {
    if (errnoCode(e) === "ENOTEMPTY" || errnoCode(e) === "EEXIST") {
      throw new TlosError(`${root} holds files tlos did not write (it has no ${MANIFEST_FILE}): pass a new or empty folder`);
    }
    return fsStep("use", root, () => { throw e; });
  }
}

/** The state folder `.<name>.tlos` beside the output: created 0700, never a symlink. */
function stateFolder(state: string): void {
  const st = lstatSync(state, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new TlosError(`${state} is not a folder (a symbolic link or a file): tlos keeps its generations there; remove it`);
  if (!st) fsStep("create", state, () => mkdirSync(state, { mode: 0o700 }));
}

/** Removes everything in the state folder but `keep` and the lock; returns what it removed. */
function cleanStale(state: string, keep: string | undefined): string[] {
  const gone: string[] = [];
  for (const name of fsStep("read", state, () => readdirSync(state)).sort()) {
    if (name === keep || name === "lock") continue;
    fsStep("remove", join(state, name), () => rmSync(join(state, name), { recursive: true, force: true }));
    gone.push(join(basename(state), name));
  }
  return gone;
}

function modeOf(f: { secret: boolean; executable?: boolean }): number {
  return f.secret ? 0o600 : f.executable ? 0o755 : 0o644;
}

/** Writes every file into the fresh folder `gen` (which exists and is empty). */
function writeTree(gen: string, result: SynthResult, manifest: Manifest, foreign: readonly ForeignEntry[], from: string | undefined): void {
  for (const d of foldersOf(result.files.map((f) => f.path))) {
    mkdirSync(join(gen, d), { mode: inSecretsFolder(`${d}/x`) ? 0o700 : 0o755 });
  }
  for (const f of result.files) writeFileSync(join(gen, f.path), f.content, { mode: modeOf(f), flag: "wx" });
  if (from) carryForeign(from, gen, foreign);
  writeFileSync(join(gen, MANIFEST_FILE), renderManifest(manifest), { mode: 0o644, flag: "wx" });
}

export function writeOutput(result: SynthResult, outDir: string): WriteReport {
  const asked = resolve(outDir);
  const name = basename(asked);
  if (asked === dirname(asked) || name === "") throw new TlosError(`refusing to use ${asked} as the output folder: pass a folder of its own, e.g. ./dist`);
  checkNewPaths(result.files);
  const manifest = buildManifest(result.files, result.warnings);
  const parentAsked = dirname(asked);
  fsStep("create the output's parent folder", parentAsked, () => {
    try {
      mkdirSync(parentAsked, { recursive: true });
    } catch (e) {
      // mkdir -p says EEXIST when a part of the path is a file
      if (errnoCode(e) === "EEXIST") throw Object.assign(new Error("ENOTDIR"), { code: "ENOTDIR" });
      throw e;
    }
  });
  const parent = fsStep("resolve", parentAsked, () => realpathSync(parentAsked));
  const root = join(parent, name);
  const stateName = `.${name}.tlos`;
  const state = join(parent, stateName);
  stateFolder(state);
  const lock = acquireLock(state, root);
  const cleaned: string[] = [];
  try {
    let cur = locate(root, stateName);
    if (cur.kind === "none") {
      // an interrupted switch from a plain folder leaves the old output as legacy-*: put it back
      const legacy = readdirSync(state).filter((n) => n.startsWith(LEGACY)).sort().pop();
      if (legacy) {
        fsStep("restore", root, () => renameSync(join(state, legacy), root));
        cleaned.push(`restored ${name} from ${stateName}/${legacy} (an interrupted run)`);
        cur = locate(root, stateName);
      }
    }
    cleaned.push(...cleanStale(state, cur.gen));
    const previous: PreviousFile[] = cur.dir ? parsePreviousManifest(fsStep("read", join(cur.dir, MANIFEST_FILE), () => readFileSync(join(cur.dir!, MANIFEST_FILE), "utf8")), join(root, MANIFEST_FILE)) : [];
    const foreign = cur.dir ? scanForeign(cur.dir, root, new Set(previous.map((p) => p.path)), result.files.map((f) => f.path)) : [];

    const gen = fsStep("create a folder in", state, () => mkdtempSync(join(state, GEN)));
    const link = join(parent, `${stateName}.link`);
    try {
      fsStep("write the output into", gen, () => writeTree(gen, result, manifest, foreign, cur.dir));
      fsStep("switch", root, () => {
        rmSync(link, { force: true });
        symlinkSync(`${stateName}/${basename(gen)}`, link);
        if (cur.kind === "legacy") renameSync(root, join(state, `${LEGACY}${basename(gen).slice(GEN.length)}`));
        renameSync(link, root);
      });
    } catch (e) {
      rmSync(gen, { recursive: true, force: true });
      rmSync(link, { force: true });
      throw e;
    }
    // the switch is done: what follows only frees space
    cleanStale(state, basename(gen));

    const before = new Map(previous.map((p) => [p.path, p.sha256]));
    const now = new Set(result.files.map((f) => f.path));
    const unchanged = manifest.files.filter((f) => before.get(f.path) === f.sha256).length;
    const removed = previous.map((p) => p.path).filter((p) => !now.has(p)).sort();
    return { outDir: root, written: result.files.length - unchanged, unchanged, removed, kept: foreign.length, cleaned, manifest };
  } finally {
    releaseLock(lock);
  }
}
