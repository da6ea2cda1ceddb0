/**
 * The paths of an output folder: which relative paths a synth may write, which it wrote last
 * time (the previous `manifest.json`, read as untrusted input), and the folders they need.
 * A path is POSIX, relative, made of plain segments (no `.`/`..`, no empty segment, no control
 * character or backslash), so `join(root, path)` always stays inside `root`.
 */
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE } from "./manifest.js";

const MAX_SEGMENT = 255;
const MAX_PATH = 4096;
const BAD_CHAR = /[\u0000-\u001f\u007f\\\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/** Why `p` is not a safe relative output path, or undefined when it is. */
export function pathProblem(p: unknown): string | undefined {
  if (typeof p !== "string") return `${typeof p} is not a path`;
  if (p === "" || p.length > MAX_PATH) return "empty or longer than 4096 characters";
  if (p.startsWith("/")) return "an absolute path";
  if (BAD_CHAR.test(p)) return "holds a control character, a backslash or a bidirectional override";
  // segment by segment without splitting (a synth checks every one of its 160k paths at 10k nodes)
  for (let start = 0; start <= p.length; ) {
    const slash = p.indexOf("/", start);
    const end = slash < 0 ? p.length : slash;
    const len = end - start;
    if (len === 0 || (len <= 2 && p.charCodeAt(start) === 46 && (len === 1 || p.charCodeAt(start + 1) === 46))) {
      const s = p.slice(start, end);
      return `has a ${s === "" ? "empty" : JSON.stringify(s)} segment`;
    }
    if (len > MAX_SEGMENT) return "has a segment longer than 255 characters";
    start = end + 1;
  }
  return undefined;
}

/** True when `p` lies in a `secrets/` folder (at the root or in a host bundle). */
export function inSecretsFolder(p: string): boolean {
  const dir = p.slice(0, Math.max(p.lastIndexOf("/"), 0));
  return dir === "secrets" || dir.startsWith("secrets/") || dir.endsWith("/secrets") || dir.includes("/secrets/");
}

/**
 * Every folder the files need, parents before children, each once. Throws when a file path is
 * also a folder of another file, or a path repeats.
 */
export function foldersOf(paths: readonly string[]): string[] {
  const files = new Set<string>();
  const dirs = new Set<string>();
  for (const p of paths) {
    if (files.has(p)) throw new TlosError(`internal: two files at ${p}`);
    files.add(p);
    let i = p.indexOf("/");
    while (i >= 0) {
      dirs.add(p.slice(0, i));
      i = p.indexOf("/", i + 1);
    }
  }
  for (const d of dirs) if (files.has(d)) throw new TlosError(`internal: ${d} is both a file and a folder of the output`);
  return [...dirs].sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
}

/** Why a file a synth is about to write may not be written at its path, or undefined when it may. */
export function newPathProblem(f: { path: string; secret: boolean }): string | undefined {
  const why = pathProblem(f.path);
  if (why) return `${JSON.stringify(f.path)}: ${why}`;
  if (f.path === MANIFEST_FILE) return `${MANIFEST_FILE} is the manifest's own name`;
  if (f.secret && !inSecretsFolder(f.path)) return `${f.path} is secret but not under a secrets/ folder`;
  return undefined;
}

/** The error for the unsafe paths `bad` (every one found, the first 20 shown). */
export function unsafePaths(bad: readonly string[]): TlosError {
  return new TlosError(`internal: the synth produced unsafe paths, nothing was written:\n  ${bad.slice(0, 20).join("\n  ")}`);
}

/** Checks the files a synth is about to write; every problem at once. */
export function checkNewPaths(files: readonly { path: string; secret: boolean }[]): void {
  const bad = files.flatMap((f) => newPathProblem(f) ?? []);
  if (bad.length > 0) throw unsafePaths(bad);
}

/** One file the previous synth wrote, as its manifest lists it. */
export interface PreviousFile {
  readonly path: string;
  readonly sha256: string;
}

/**
 * The files the previous `manifest.json` lists. The manifest is input an attacker may have
 * edited: any path that is not a safe relative path makes it corrupt (a clear error, nothing
 * written), so no later step reads, keeps or deletes anything outside the folder.
 */
export function parsePreviousManifest(text: string, where: string): PreviousFile[] {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch (e) {
    throw new TlosError(`${where} is not valid JSON (${(e as Error).message}): it is corrupt; move the folder away and synth again`);
  }
  const o = m as { generator?: unknown; files?: unknown };
  if (!o || typeof o !== "object" || o.generator !== "@tlos/grid" || !Array.isArray(o.files)) {
    throw new TlosError(`${where} is not a tlos manifest (no generator "@tlos/grid" with a files list): move the folder away and synth again`);
  }
  const out: PreviousFile[] = [];
  const bad: string[] = [];
  for (const f of o.files as unknown[]) {
    const path = (f as { path?: unknown } | null)?.path;
    const sha = (f as { sha256?: unknown } | null)?.sha256;
    const why = pathProblem(path);
    if (why || path === MANIFEST_FILE) bad.push(`${JSON.stringify(path)?.slice(0, 120) ?? String(path)}: ${why ?? "the manifest's own name"}`);
    else out.push({ path: path as string, sha256: typeof sha === "string" ? sha : "" });
  }
  if (bad.length > 0) throw new TlosError(`${where} is corrupt: it lists paths outside the output folder, so nothing was written:\n  ${bad.slice(0, 10).join("\n  ")}`);
  return out;
}
