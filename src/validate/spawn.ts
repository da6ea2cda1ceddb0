/** Runs a validator binary without blocking the event loop, so several run at once (one per core). */
import { execFile } from "node:child_process";
import { availableParallelism } from "node:os";

export interface RunResult {
  /** Exit status; null when killed (timeout) or the binary could not start. */
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** How long a validator may run before it is killed (SIGTERM), unless its options say otherwise. */
export const DEFAULT_TIMEOUT_MS = 30_000;

export interface RunOptions {
  /** The whole environment of the process. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /** Killed (SIGTERM) after this long. @default {@link DEFAULT_TIMEOUT_MS} (30 s) */
  readonly timeoutMs?: number;
  readonly cwd?: string;
}

/** Starts a validator process and resolves (never rejects) with its status and outputs. */
export type Runner = (binary: string, args: readonly string[], opts?: RunOptions) => Promise<RunResult>;

export const run: Runner = (binary, args, opts = {}) => {
  return new Promise((resolve) => {
    execFile(binary, args, { encoding: "utf8", timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024, ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) }, (err, stdout, stderr) => {
      const code = (err as { code?: unknown } | null)?.code;
      resolve({ status: err ? (typeof code === "number" ? code : null) : 0, stdout: stdout ?? "", stderr: `${stderr ?? ""}${err && typeof code !== "number" ? err.message : ""}` });
    });
  });
};

/** Maps `items` through `fn` with at most `jobs` at a time; results keep the input order. */
export async function mapLimit<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, jobs = availableParallelism()): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker));
  return out;
}
