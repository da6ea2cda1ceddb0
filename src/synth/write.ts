/**
 * Writes a synth result to disk, all or nothing, and never through a symlink:
 * - the output folder `<dir>` is a symlink to a complete generation `.<name>.tlos/gen-*` beside
 *   it. A synth builds the whole new generation in a fresh folder (every directory created once,
 *   every file created exclusively with its final mode, as the synth hands it over: see
 *   `openOutput`), writes `manifest.json` into it, then
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
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmdirSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TlosError } from "../core/errors.js";
import type { Warning } from "../core/construct.js";
import type { Artifact, StreamedArtifact, SynthResult } from "./artifact.js";
import { acquireLock, releaseLock } from "./out-lock.js";
import { errnoCode, fsStep } from "./fs-errors.js";
import { carryForeign, scanForeign, type ForeignEntry } from "./foreign.js";
import { GenerationWriter, type GenerationOptions } from "./generation.js";
import { MANIFEST_FILE, manifestOf, writeManifestFile, type Manifest } from "./manifest.js";
import { checkNewPaths, foldersOf, parsePreviousManifest, type PreviousFile } from "./out-paths.js";

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

/**
 * Unlinks `files` in `dir` and the folders they leave empty, deepest first. Each folder is checked
 * once with lstat and files under one that is not a real folder (a planted link) are skipped, so
 * nothing is deleted through a link; whatever is left goes with the recursive removal after this.
 */
function removeKnown(dir: string, files: readonly string[]): void {
  const unique = [...new Set(files)];
  let folders: string[];
  try {
    folders = foldersOf(unique);
  } catch {
    return; // a file where a folder was: leave it all to the recursive removal
  }
  const real = new Set(folders.filter((d) => lstatSync(join(dir, d), { throwIfNoEntry: false })?.isDirectory() === true));
  const safe = (f: string) => {
    for (let i = f.indexOf("/"); i >= 0; i = f.indexOf("/", i + 1)) if (!real.has(f.slice(0, i))) return false;
    return true;
  };
  for (const f of unique) {
    if (!safe(f)) continue;
    try {
      unlinkSync(join(dir, f));
    } catch { /* gone already, or a folder now: left for the recursive removal */ }
  }
  for (const d of folders.reverse()) {
    if (!real.has(d)) continue;
    try {
      rmdirSync(join(dir, d));
    } catch { /* not empty (foreign folders): left for the recursive removal */ }
  }
}

/** A new output generation being written: files go in one by one, then `commit` switches to it. */
export interface OutputWriter {
  /**
   * Writes one file into the new generation (nothing is visible at the output folder yet). A big
   * output is written by a second thread while the caller goes on: a failure then surfaces at a
   * later `add` or at `commit`, with the same message.
   */
  add(f: Artifact): void;
  /** Writes one file handed over in pieces (see {@link StreamedArtifact}), as {@link add} does a whole one. */
  addStreamed(f: StreamedArtifact): void;
  /** Carries foreign files over, writes the manifest, switches the output folder to the new generation. */
  commit(warnings: readonly Warning[]): WriteReport;
  /** Drops the new generation: the output folder stays exactly as it was. */
  abort(): void;
  /** The construct of the file added at `path` so far; undefined for none (or a folder). */
  ownerOf(path: string): string | undefined;
}

/** The absolute output folder asked for and its name; refuses `/` (a folder of its own is needed). */
function askedOutput(outDir: string): { asked: string; name: string } {
  const asked = resolve(outDir);
  const name = basename(asked);
  if (asked === dirname(asked) || name === "") throw new TlosError(`refusing to use ${asked} as the output folder: pass a folder of its own, e.g. ./dist`);
  return { asked, name };
}

/** Where the output folder `outDir` lives: its parent (created if missing, symlinks resolved), state folder. */
function place(outDir: string): { name: string; parent: string; root: string; stateName: string; state: string; madeState: boolean } {
  const { asked, name } = askedOutput(outDir);
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
  const stateName = `.${name}.tlos`;
  const state = join(parent, stateName);
  const madeState = !lstatSync(state, { throwIfNoEntry: false });
  stateFolder(state);
  return { name, parent, root: join(parent, name), stateName, state, madeState };
}

/**
 * Starts a new generation of the output folder `outDir` (locked against a concurrent synth until
 * `commit` or `abort`). The synth's files go in as they are rendered; nothing is visible at
 * `outDir` before `commit`'s one rename. `opts`: when a writer thread takes over (see {@link GenerationOptions}).
 */
export function openOutput(outDir: string, opts: GenerationOptions = {}): OutputWriter {
  const { name, parent, root, stateName, state, madeState } = place(outDir);
  const lock = acquireLock(state, root);
  let open = true;
  const close = () => {
    open = false;
    releaseLock(lock);
  };
  const cleaned: string[] = [];
  let gen: string;
  let cur: Current;
  let previous: PreviousFile[];
  try {
    cur = locate(root, stateName);
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
    const dir = cur.dir;
    previous = dir ? parsePreviousManifest(fsStep("read", join(dir, MANIFEST_FILE), () => readFileSync(join(dir, MANIFEST_FILE), "utf8")), join(root, MANIFEST_FILE)) : [];
    gen = fsStep("create a folder in", state, () => mkdtempSync(join(state, GEN)));
  } catch (e) {
    close();
    throw e;
  }
  const files = new GenerationWriter(gen, opts);
  const link = join(parent, `${stateName}.link`);
  const abort = () => {
    if (!open) return;
    files.stop();
    rmSync(gen, { recursive: true, force: true });
    rmSync(link, { force: true });
    close();
    // a first synth that failed leaves nothing behind
    if (madeState) rmSync(state, { recursive: true, force: true });
  };
  return {
    add(f) {
      if (!open) throw new Error("internal: the output writer is closed");
      fsStep("write the output into", gen, () => files.add(f));
    },
    addStreamed(f) {
      if (!open) throw new Error("internal: the output writer is closed");
      fsStep("write the output into", gen, () => files.addStreamed(f));
    },
    abort,
    ownerOf: (path) => files.ownerOf(path),
    commit(warnings) {
      if (!open) throw new Error("internal: the output writer is closed");
      let manifest: Manifest;
      let foreign: ForeignEntry[];
      /** The previous generation's files and their sha256. */
      const before = new Map<string, string>();
      try {
        const entries = fsStep("write the output into", gen, () => files.finish());
        for (const p of previous) before.set(p.path, p.sha256);
        foreign = cur.dir ? scanForeign(cur.dir, root, before, (p) => files.kindOf(p)) : [];
        manifest = manifestOf(entries, warnings);
        fsStep("write the output into", gen, () => {
          if (cur.dir) carryForeign(cur.dir, gen, foreign);
          writeManifestFile(join(gen, MANIFEST_FILE), manifest);
        });
        fsStep("switch", root, () => {
          rmSync(link, { force: true });
          symlinkSync(`${stateName}/${basename(gen)}`, link);
          if (cur.kind === "legacy") renameSync(root, join(state, `${LEGACY}${basename(gen).slice(GEN.length)}`));
          renameSync(link, root);
        });
      } catch (e) {
        abort();
        throw e;
      }
      try {
        // the switch is done: what follows only frees space. The old generation's names are known
        // (its manifest and its foreign entries), so it goes without a stat per file.
        if (cur.kind === "ours" && cur.dir) removeKnown(cur.dir, [...previous.map((p) => p.path), ...foreign.filter((f) => f.type !== "dir").map((f) => f.path), MANIFEST_FILE]);
        cleanStale(state, basename(gen));
        let unchanged = 0;
        for (const f of manifest.files) if (before.get(f.path) === f.sha256) unchanged++;
        const removed: string[] = [];
        for (const p of previous) if (files.kindOf(p.path) !== "file") removed.push(p.path);
        removed.sort();
        return { outDir: root, written: manifest.files.length - unchanged, unchanged, removed, kept: foreign.length, cleaned, manifest };
      } finally {
        close();
      }
    },
  };
}

/** Writes an in-memory synth result to `outDir` (see the top of this file). */
export function writeOutput(result: SynthResult, outDir: string): WriteReport {
  askedOutput(outDir);
  checkNewPaths(result.files);
  const out = openOutput(outDir);
  try {
    for (const f of result.files) out.add(f);
  } catch (e) {
    out.abort();
    throw e;
  }
  return out.commit(result.warnings);
}
