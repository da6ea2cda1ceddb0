/** Shared test helpers: fixed seeds, real validator binaries, free ports, bounded waits. */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, openSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MasterSeed } from "../src/core/seed.js";
import { findBinary } from "../src/validate/find.js";
import { ValidationError } from "../src/core/errors.js";

export const SEED = MasterSeed.parse("0f".repeat(32), { insecureTestSeed: true });
export const OTHER_SEED = MasterSeed.parse("a5".repeat(32), { insecureTestSeed: true });

export function tempDir(prefix = "tlos-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A real validator binary, or undefined with a loud message. Under CI=true a missing binary is
 * an error: CI must run every real validator.
 */
export function realBinary(name: "quadlet" | "nats-server" | "nats-server-hub" | "openssl" | "systemd-analyze" | "docker-compose"): string | undefined {
  const bin = findBinary(name);
  if (!bin) {
    const msg = `${name} not found: run scripts/fetch-validators.sh (tests that need it are SKIPPED)`;
    if (process.env["CI"] === "true") throw new Error(`CI=true and ${msg}`);
    console.warn(`\n!!! ${msg}\n`);
  }
  return bin;
}

/** `n` distinct free TCP ports on 127.0.0.1. */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import("node:net").Server>((res, rej) => {
      const s = createServer();
      s.once("error", rej);
      s.listen(0, "127.0.0.1", () => res(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import("node:net").AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** Polls `fn` until it returns a truthy value or `ms` pass; returns the value or throws `what`. */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000, every = 200): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/** Starts a process with its output in `log`; the caller stops it. */
export function startProcess(bin: string, args: string[], log: string, cwd?: string): ChildProcess {
  const fd = openSync(log, "a");
  return spawn(bin, args, { stdio: ["ignore", fd, fd], ...(cwd ? { cwd } : {}) });
}

/** Stops a process (SIGTERM, then SIGKILL after 3 s) and waits for it. */
export async function stopProcess(p: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return;
  const done = new Promise<void>((r) => p.once("exit", () => r()));
  p.kill(signal);
  const t = setTimeout(() => p.kill("SIGKILL"), 3000);
  await done;
  clearTimeout(t);
}

export async function httpJson<T = Record<string, unknown>>(url: string): Promise<T> {
  const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
  return (await r.json()) as T;
}

/** The `[path] field: message` lines of the ValidationError `f` throws (empty when it passes). */
export function problemsOf(f: () => unknown): string[] {
  try {
    f();
  } catch (e) {
    if (e instanceof ValidationError) return e.problems.map((p) => `[${p.path}] ${p.field}: ${p.message}`);
    throw e;
  }
  return [];
}

/**
 * The seed-derived PKI of a synth output, laid out in `dir` as ca.pem, <hub>.pem, <hub>-key.pem
 * (what tests hand to real nats-servers where the Podman secrets would put them).
 */
export function derivedTls(out: string, dir: string, hubs: readonly string[], lattice = "lattice"): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(out, `${lattice}/tls/ca.pem`), join(dir, "ca.pem"));
  for (const h of hubs) {
    copyFileSync(join(out, `${lattice}/tls/${h}.pem`), join(dir, `${h}.pem`));
    copyFileSync(join(out, `secrets/${lattice}/tls/${h}-key.pem`), join(dir, `${h}-key.pem`));
  }
}
