/**
 * The lab of the real rootless Podman tier: a private mount + PID + network namespace around the
 * Debian 13 root that scripts/podman-tier.sh prepares (see lab.sh), one network namespace and
 * one rootless user per machine. Every command runs through nsenter with a bounded time; the lab
 * dies with its stdin (the test's pipe), so nothing outlives the run.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync, readdirSync, writeFileSync, chmodSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export interface LabMachine {
  readonly name: string;
  readonly addr: string;
  readonly uid: number;
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export const LAB_SH = fileURLToPath(new URL("./lab.sh", import.meta.url));

/** Runs argv (no shell) with a time limit; never throws for a non-zero exit. */
export function runArgv(argv: readonly string[], opts: { timeoutMs?: number; input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    const p = spawn(cmd as string, args, { stdio: ["pipe", "pipe", "pipe"], env: opts.env ?? process.env });
    let stdout = "";
    let stderr = "";
    p.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    p.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${opts.timeoutMs} ms]`;
      p.kill("SIGKILL");
    }, opts.timeoutMs ?? 60_000);
    p.on("error", (e) => {
      clearTimeout(timer);
      reject(e);
    });
    p.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
    // a program that exits without reading its input (most do) closes the pipe first: EPIPE there is no failure
    p.stdin.on("error", (e: NodeJS.ErrnoException) => {
      if (e.code !== "EPIPE") stderr += `\n[stdin: ${e.message}]`;
    });
    p.stdin.end(opts.input ?? "");
  });
}

export class Lab {
  private constructor(
    readonly runDir: string,
    private readonly proc: ChildProcess,
    /** host PID of the lab's PID 1 (catatonit) */
    readonly pid: number,
    readonly machines: readonly LabMachine[],
  ) {}

  /** Starts the lab; `hosts` are /etc/hosts lines ("address name"). */
  static async start(root: string, runDir: string, machines: readonly LabMachine[], hosts: readonly string[]): Promise<Lab> {
    chmodSync(runDir, 0o755);
    writeFileSync(join(runDir, "machines"), machines.map((m) => `${m.name} ${m.addr} ${m.uid}\n`).join(""));
    writeFileSync(join(runDir, "hosts"), hosts.map((h) => `${h}\n`).join(""));
    const log = join(runDir, "lab.log");
    const proc = spawn("unshare", ["--mount", "--net", "--pid", "--fork", "--kill-child", "--propagation", "private", "sh", LAB_SH, root, runDir], {
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    proc.stdin?.on("error", () => undefined); // EPIPE when the lab is gone before stop() closes it
    proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 30_000;
    while (!existsSync(join(runDir, "ready"))) {
      if (proc.exitCode !== null || Date.now() > end) {
        proc.kill("SIGKILL");
        writeFileSync(log, out);
        throw new Error(`the lab did not start: ${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const children = readFileSync(`/proc/${proc.pid}/task/${proc.pid}/children`, "utf8").trim().split(/\s+/);
    return new Lab(runDir, proc, Number(children[0]), machines);
  }

  machine(name: string): LabMachine {
    const m = this.machines.find((x) => x.name === name);
    if (!m) throw new Error(`no lab machine ${name}`);
    return m;
  }

  /** The environment of a machine's user, as a login would give it. */
  userEnv(m: LabMachine, extra: Record<string, string> = {}): string[] {
    return [
      `HOME=/home/${m.name}`, `USER=${m.name}`, `LOGNAME=${m.name}`, `XDG_RUNTIME_DIR=/run/user/${m.uid}`,
      "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", "PODMAN_IGNORE_CGROUPSV1_WARNING=1", "LANG=C.UTF-8",
      ...Object.entries(extra).map(([k, v]) => `${k}=${v}`),
    ];
  }

  /** Runs argv inside the root: on `machine` (its network namespace) as its rootless user, or as root; without a machine, in the lab's own namespace. */
  exec(machine: string | undefined, argv: readonly string[], opts: { root?: boolean; timeoutMs?: number; env?: Record<string, string>; input?: string } = {}): Promise<RunResult> {
    const inner: string[] = [];
    if (machine) inner.push("/usr/bin/nsenter", `--net=/run/netns/${machine}`);
    if (machine && !opts.root) {
      const m = this.machine(machine);
      inner.push("/usr/bin/setpriv", `--reuid=${m.uid}`, `--regid=${m.uid}`, "--init-groups", "/usr/bin/env", "-i", "-C", `/home/${m.name}`, ...this.userEnv(m, opts.env));
    } else {
      inner.push("/usr/bin/env", "PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin", ...Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`));
    }
    return runArgv(["nsenter", "-t", String(this.pid), "-m", "-p", "-n", "-r", "-w", "--", ...inner, ...argv], { timeoutMs: opts.timeoutMs ?? 60_000, ...(opts.input !== undefined ? { input: opts.input } : {}) });
  }

  /** `podman …` as the machine's user; throws with its stderr when it fails. */
  async podman(machine: string, args: readonly string[], timeoutMs = 60_000): Promise<string> {
    const r = await this.exec(machine, ["podman", ...args], { timeoutMs });
    if (r.code !== 0) throw new Error(`podman ${args.join(" ")} on ${machine} exited ${r.code}: ${r.stderr.trim()}`);
    return r.stdout;
  }

  private inLab(pid: string): boolean {
    try {
      for (let p = pid, i = 0; p && p !== "0" && i < 64; i++) {
        if (p === String(this.pid)) return true;
        p = /^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? "";
      }
    } catch { /* gone */ }
    return false;
  }

  /** Host PIDs of every process of the lab (its PID 1 and all its descendants: pods, conmon, pasta…). */
  processes(): number[] {
    return readdirSync("/proc").filter((e) => /^\d+$/.test(e) && this.inLab(e)).map(Number);
  }

  /** The host PID of a process the lab knows by its PID inside the lab's PID namespace (containers nest deeper). */
  hostPid(labPid: number): number {
    const inLab = (pid: string) => this.inLab(pid);
    const depth = (readFileSync(`/proc/${this.pid}/status`, "utf8").match(/^NSpid:(.*)$/m)?.[1] ?? "").trim().split(/\s+/).length;
    for (const e of readdirSync("/proc")) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const nspid = /^NSpid:\s+(.*)$/m.exec(readFileSync(`/proc/${e}/status`, "utf8"))?.[1]?.trim().split(/\s+/);
        if (nspid && Number(nspid[depth - 1]) === labPid && inLab(e)) return Number(e);
      } catch { /* gone */ }
    }
    throw new Error(`no host process for lab PID ${labPid}`);
  }

  /**
   * Runs a host program (e.g. node with this repository's client) inside the network namespace
   * of a pod, found through its infra container: what a process in the pod would see.
   */
  async inPod(machine: string, infra: string, argv: readonly string[], opts: { uid?: number; timeoutMs?: number } = {}): Promise<RunResult> {
    const pid = Number((await this.podman(machine, ["inspect", "--format", "{{.State.Pid}}", infra])).trim());
    const host = this.hostPid(pid);
    const as = opts.uid !== undefined ? ["setpriv", `--reuid=${opts.uid}`, `--regid=${opts.uid}`, "--clear-groups"] : [];
    return runArgv(["nsenter", "-t", String(host), "-n", "--", ...as, ...argv], { timeoutMs: opts.timeoutMs ?? 60_000 });
  }

  /** Runs a host program in a machine's network namespace (through a process the lab parks there). */
  async onMachine(machine: string, argv: readonly string[], opts: { uid?: number; timeoutMs?: number } = {}): Promise<RunResult> {
    const host = await this.anchor(machine);
    const as = opts.uid !== undefined ? ["setpriv", `--reuid=${opts.uid}`, `--regid=${opts.uid}`, "--clear-groups"] : [];
    return runArgv(["nsenter", "-t", String(host), "-n", "--", ...as, ...argv], { timeoutMs: opts.timeoutMs ?? 60_000 });
  }

  private readonly anchors = new Map<string, number>();
  private async anchor(machine: string): Promise<number> {
    const known = this.anchors.get(machine);
    if (known) return known;
    // a sleeper in the machine's namespace, child of the lab's PID 1: it dies with the lab
    const r = await this.exec(undefined, ["sh", "-c", `nsenter --net=/run/netns/${machine} sleep 100000 >/dev/null 2>&1 & echo $!`]);
    const host = this.hostPid(Number(r.stdout.trim()));
    this.anchors.set(machine, host);
    return host;
  }

  /** Starts the S3 stand-in (test/podman/s3.mjs) on the lab bridge, 10.77.0.2:9443. */
  async startS3(dir: string, tls: { key: string; cert: string }, bucket: string): Promise<{ objects(): string[]; stop(): Promise<void> }> {
    const script = fileURLToPath(new URL("./s3.mjs", import.meta.url));
    const p = spawn("nsenter", ["-t", String(this.pid), "-n", "--", process.execPath, script, dir, "10.77.0.2", "9443", tls.key, tls.cert, bucket], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    p.stdin.on("error", () => undefined); // EPIPE when the stand-in is gone before stop() closes it
    p.stdout.on("data", (d: Buffer) => (out += d.toString()));
    p.stderr.on("data", (d: Buffer) => (out += d.toString()));
    const end = Date.now() + 20_000;
    while (!out.includes("ready")) {
      if (p.exitCode !== null || Date.now() > end) {
        p.kill("SIGKILL");
        throw new Error(`s3rver did not start: ${out}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const walk = (d: string, pre = ""): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name), `${pre}${e.name}/`) : [`${pre}${e.name}`]));
    return {
      objects: () => (existsSync(join(dir, bucket)) ? walk(join(dir, bucket)) : []),
      stop: async () => {
        if (p.exitCode !== null) return;
        const done = new Promise<void>((r) => p.once("exit", () => r()));
        p.stdin.end();
        const t = setTimeout(() => p.kill("SIGKILL"), 5000);
        await done;
        clearTimeout(t);
      },
    };
  }

  /** Packets routed towards any non-lab address so far (the off0 transmit counter). */
  async offLabPackets(): Promise<number> {
    const r = await this.exec(undefined, ["ip", "-s", "-j", "link", "show", "off0"], { root: true });
    const j = JSON.parse(r.stdout) as { stats64?: { tx?: { packets?: number } } }[];
    return j[0]?.stats64?.tx?.packets ?? Number.NaN;
  }

  /** Ends the run: closing stdin stops PID 1, and the kernel kills every process in the lab. */
  async stop(): Promise<void> {
    if (this.proc.exitCode !== null) return;
    const done = new Promise<void>((r) => this.proc.once("exit", () => r()));
    this.proc.stdin?.end();
    const t = setTimeout(() => this.proc.kill("SIGKILL"), 10_000);
    await done;
    clearTimeout(t);
  }
}
