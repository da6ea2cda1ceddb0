/**
 * Validator processes started by a few small `/bin/sh` launchers instead of by Node itself.
 *
 * Node's `child_process.spawn` forks the whole Node process on the main thread (~1.5–3 ms a child
 * on a 2-core machine); `tlos validate` on a 50-node output starts ~270 validators, so Node spent
 * ~430 ms of its main thread forking while the cores waited. A shell forks in a fraction of that
 * and off the main thread. Each launcher is a shell reading its script from a pipe, one line a
 * command: the command runs with its stdout and stderr going to files in a private folder, and
 * the shell prints `S <id> <pid>` when it starts and `E <id> <status>` when it ends; Node reads
 * the two files then. Each launcher gets
 * the next command as one ends (two queued, so it never waits for Node), so long and short
 * commands balance across the launchers as a pool does. A command that outlives its timeout is
 * killed by its pid (SIGTERM, as `execFile`'s timeout does).
 *
 * Where there is no `/bin/sh` (Windows), or a command has a newline in it (one command a line),
 * it runs through {@link run} as before.
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { DEFAULT_TIMEOUT_MS, run, type RunOptions, type RunResult, type Runner } from "./spawn.js";

const SH = "/bin/sh";
const SHM = "/dev/shm";
/** Commands sent to a shell and not yet ended, at most. */
export const DEPTH = 3;

// every word quoted, unlike core/shell.ts's shQuote (which leaves `a=b` bare): a bare first word
// with `=` would be read as an assignment, not as the command
const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

const ONE_LINE = /^[^\n\r\0]*$/;

/**
 * The shell words of one command (its outputs not yet redirected), or undefined when a shell line
 * cannot carry it exactly. `base` is the launchers' environment: only additions and changes to it
 * can be passed on.
 */
function shellCommand(binary: string, args: readonly string[], opts: RunOptions, base: Readonly<Record<string, string | undefined>>): string | undefined {
  let assign = "";
  if (opts.env && opts.env !== process.env) {
    for (const k in base) if (opts.env[k] === undefined) return undefined;
    for (const [k, v] of Object.entries(opts.env)) {
      if (v === undefined || base[k] === v) continue;
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) || !ONE_LINE.test(v)) return undefined;
      assign += `${k}=${quote(v)} `;
    }
  }
  if (![binary, ...args, opts.cwd ?? ""].every((w) => ONE_LINE.test(w))) return undefined;
  const argv = [binary, ...args].map(quote).join(" ");
  return opts.cwd ? `(cd ${quote(opts.cwd)} && ${assign}exec ${argv})` : `${assign}${argv}`;
}

/**
 * Where the outputs go: a tmpfs (/dev/shm) when there is one. Each launcher rewrites the same two
 * pairs of files, and truncating a file on a disk's filesystem made every command slower (the
 * 50-node output's 271 commands: 0.9–1.4 s on ext4 against 0.7–0.9 s on tmpfs, shell alone).
 */
function scratch(): string {
  try {
    accessSync(SHM, constants.W_OK | constants.X_OK);
    return SHM;
  } catch {
    return tmpdir();
  }
}

interface Job {
  readonly id: number;
  readonly command: string;
  /** The file pair its outputs go to: `<out>/<shell>-<slot>.o` and `.e`, reused once read. */
  files?: string;
  readonly timeoutMs: number;
  readonly resolve: (r: RunResult) => void;
  timer?: NodeJS.Timeout;
  killed?: boolean;
}

interface Shell {
  readonly proc: ChildProcessByStdio<Writable, Readable, null>;
  /** `<out>/<n>`: the prefix of this shell's output files and of its pid log. */
  readonly base: string;
  /** Sent to this shell and not yet ended, in the order it runs them. */
  readonly jobs: Job[];
}

/** Runs commands through `jobs` shell launchers; {@link Launcher.close} when done. */
export class Launcher {
  private readonly shells: Shell[] = [];
  private readonly queue: Job[] = [];
  private readonly byId = new Map<number, Job>();
  private readonly out: string | undefined;
  /** The launchers' environment: this process's when the launcher was made. */
  private readonly env: Readonly<Record<string, string | undefined>> = { ...process.env };
  private nextId = 0;

  constructor(private readonly size: number = availableParallelism()) {
    this.out = Launcher.available() ? mkdtempSync(join(scratch(), "tlos-run-")) : undefined;
  }

  /** True where a POSIX shell can start the commands. */
  static available(): boolean {
    if (process.platform === "win32") return false;
    try {
      accessSync(SH, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }

  /** {@link run}'s contract: resolves (never rejects) with the exit status and both outputs. */
  readonly run: Runner = (binary, args, opts = {}) => {
    const id = this.nextId++;
    const command = this.out === undefined ? undefined : shellCommand(binary, args, opts, this.env);
    if (command === undefined) return run(binary, args, opts);
    return new Promise<RunResult>((resolve) => {
      const job: Job = { id, command, timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS, resolve };
      this.byId.set(id, job);
      this.queue.push(job);
      this.pump();
    });
  };

  /** Ends the launchers (once every command sent has ended) and removes the output folder. */
  close(): void {
    for (const s of this.shells) s.proc.stdin.end();
    for (const j of this.queue) this.finish(j, null, "", "the launcher was closed before the command started");
    this.queue.length = 0;
    if (this.out) rmSync(this.out, { recursive: true, force: true });
  }

  /** Sends queued commands to the least busy launcher, up to {@link DEPTH} each; starts launchers as needed. */
  private pump(): void {
    while (this.queue.length > 0) {
      let shell = this.shells.find((s) => s.jobs.length === 0);
      if (!shell && this.shells.length < this.size) shell = this.start();
      shell ??= this.shells.reduce<Shell | undefined>((best, s) => (s.jobs.length < DEPTH && (!best || s.jobs.length < best.jobs.length) ? s : best), undefined);
      if (!shell) return;
      const job = this.queue.shift() as Job;
      let slot = 0;
      while (shell.jobs.some((j) => j.files === `${shell.base}-${slot}`)) slot++;
      job.files = `${shell.base}-${slot}`;
      shell.jobs.push(job);
      // fd 3 is the pid log (read only when a command times out), closed for the command itself
      shell.proc.stdin.write(`${job.command} 3>&- >${quote(`${job.files}.o`)} 2>${quote(`${job.files}.e`)} </dev/null & echo "${job.id} $!" >&3; wait $!; echo "E ${job.id} $?"\n`);
      if (shell.jobs.length === 1) this.arm(shell);
    }
  }

  /** Starts the timeout of the command a shell runs now (the first one sent and not yet ended). */
  private arm(shell: Shell): void {
    const job = shell.jobs[0];
    if (!job || job.timer) return;
    const kill = () => {
      const pid = new RegExp(`^${job.id} (\\d+)$`, "m").exec(this.readOr(`${shell.base}.pids`))?.[1];
      if (pid === undefined) {
        job.timer = setTimeout(kill, 20); // sent but its pid not logged yet
        return;
      }
      job.killed = true;
      try {
        process.kill(Number(pid), "SIGTERM");
      } catch {
        // it ended meanwhile
      }
    };
    job.timer = setTimeout(kill, job.timeoutMs);
  }

  private readOr(file: string): string {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return "";
    }
  }

  private start(): Shell {
    // the shell reads its script from the pipe as it comes, in blocks (`read` in a loop would take a byte a syscall)
    const proc = spawn(SH, [], { stdio: ["pipe", "pipe", "ignore"], env: this.env }); // its own notes (a killed job's "Terminated") are not the report's
    const shell: Shell = { proc, base: join(this.out as string, String(this.shells.length)), jobs: [] };
    this.shells.push(shell);
    proc.stdin.write(`exec 3>>${quote(`${shell.base}.pids`)}\n`);
    let rest = "";
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => {
      const lines = (rest + chunk).split("\n");
      rest = lines.pop() ?? "";
      for (const l of lines) this.report(shell, l);
    });
    const lost = (why: string) => {
      for (const j of shell.jobs.splice(0)) this.finish(j, null, "", why);
      this.pump();
    };
    proc.on("error", (e) => lost(`${SH}: ${e.message}`));
    proc.on("close", (code, signal) => lost(`the launcher ${SH} ended (${signal ?? `exit ${code}`})`));
    proc.stdin.on("error", () => undefined); // a launcher that died: reported by "close"
    return shell;
  }

  private report(shell: Shell, l: string): void {
    const [tag, idText, value] = l.split(" ");
    const job = this.byId.get(Number(idText));
    if (!job || tag !== "E") return;
    const i = shell.jobs.indexOf(job);
    if (i >= 0) shell.jobs.splice(i, 1);
    const status = Number(value);
    this.finish(job, job.killed ? null : status, this.readOr(`${job.files}.o`), this.readOr(`${job.files}.e`), job.killed ? `killed after ${job.timeoutMs} ms (timeout)` : "");
    this.arm(shell);
    this.pump();
  }

  private finish(job: Job, status: number | null, stdout: string, stderr: string, note = ""): void {
    if (!this.byId.delete(job.id)) return;
    clearTimeout(job.timer);
    job.resolve({ status, stdout, stderr: `${stderr}${note}` });
  }
}
