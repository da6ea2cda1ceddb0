/** File-system failures as one clear line (`TlosError`), never a raw `ENOTDIR`/`EROFS` stack. */
import { TlosError } from "../core/errors.js";

const WHY: Readonly<Record<string, string>> = {
  ENOENT: "it does not exist",
  ENOTDIR: "a part of the path is a file, not a folder",
  EISDIR: "it is a folder",
  EROFS: "the file system is read-only",
  EACCES: "permission denied",
  EPERM: "operation not permitted",
  ENOSPC: "no space left on the device",
  EDQUOT: "disk quota exceeded",
  EEXIST: "it already exists",
  ELOOP: "too many symbolic links",
  ENAMETOOLONG: "the path is too long",
  EMFILE: "too many open files",
  EXDEV: "it is on another file system",
  EBUSY: "it is busy (a mount point?)",
  ENOTEMPTY: "the folder is not empty",
};

/** The errno code of a Node fs error, if it is one. */
export function errnoCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === "string" ? c : undefined;
}

/** Why an errno code happened, in words (undefined for codes without an entry). */
export function errnoReason(code: string): string | undefined {
  return WHY[code];
}

/** Runs `fn`; an fs error becomes `cannot <what> <path>: <reason> (<CODE>)`. */
export function fsStep<T>(what: string, path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof TlosError) throw e;
    const code = errnoCode(e);
    if (!code) throw e;
    throw new TlosError(`cannot ${what} ${path}: ${WHY[code] ?? (e as Error).message} (${code})`);
  }
}
