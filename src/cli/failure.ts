/**
 * CLI failures that are not bugs, each as one clean line: file-system errors (ENOTDIR, EROFS,
 * EACCES…) that reached the top unwrapped, bad flags, and a reader that closed our stdout early
 * (`tlos diff … | head`: EPIPE).
 */
import { errnoCode, errnoReason } from "../synth/fs-errors.js";

/** One line for an fs or flag error, or undefined when `e` is neither. */
export function failureLine(e: unknown): string | undefined {
  const code = errnoCode(e);
  if (!code) return undefined;
  const err = e as NodeJS.ErrnoException;
  if (code.startsWith("ERR_PARSE_ARGS_")) return `${err.message.split("\n")[0]} (see tlos --help)`;
  if (!/^E[A-Z0-9]+$/.test(code)) return undefined;
  const where = [err.syscall, err.path ?? (err as { address?: string }).address].filter(Boolean).join(" ");
  return `cannot ${where || "complete"}: ${errnoReason(code) ?? err.message.replace(/^E[A-Z0-9]+: /, "").split("\n")[0]} (${code})`;
}

let guarded = false;

/**
 * A closed stdout (EPIPE) ends the process with one line on stderr and exit code 1, instead of
 * an unhandled 'error' event and its stack trace.
 */
export function guardStdout(stdout: NodeJS.WriteStream = process.stdout, stderr: NodeJS.WriteStream = process.stderr): void {
  if (guarded) return;
  guarded = true;
  stdout.on("error", (e) => {
    if (errnoCode(e) !== "EPIPE") throw e;
    try {
      stderr.write("error: the reader of stdout closed it before tlos finished writing (EPIPE)\n");
    } finally {
      process.exit(1);
    }
  });
}
