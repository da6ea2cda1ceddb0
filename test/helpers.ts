/** Shared test helpers: fixed seeds, real validator binaries, free ports, bounded waits. */
import { spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { MasterSeed } from "../src/core/seed.js";
import { findBinary, type ValidatorBinary } from "../src/validate/find.js";
import { ValidationError } from "../src/core/errors.js";
import { renderNatsConf } from "../src/core/natsconf.js";
import { leafConfig } from "../src/nats/config.js";

export const SEED = MasterSeed.parse("0f".repeat(32), { insecureTestSeed: true });
export const OTHER_SEED = MasterSeed.parse("a5".repeat(32), { insecureTestSeed: true });

export function tempDir(prefix = "tlos-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A real validator binary, or undefined with a loud message. Under CI=true a missing binary is
 * an error: CI must run every real validator.
 */
export function realBinary(name: ValidatorBinary): string | undefined {
  const bin = findBinary(name);
  if (!bin) {
    const msg = `${name} not found: run scripts/fetch-validators.sh (tests that need it are SKIPPED)`;
    if (process.env["CI"] === "true") throw new Error(`CI=true and ${msg}`);
    console.warn(`\n!!! ${msg}\n`);
  }
  return bin;
}

export { freePorts } from "./ports.js";

/**
 * How much slower than an idle machine this one is now (1 idle … 4 at most): the 1-minute load
 * per core. Waits scale by it, so a loaded shared machine gets more time, but never unbounded.
 */
export function loadFactor(): number {
  return Math.min(4, Math.max(1, 1 + loadavg()[0]! / availableParallelism()));
}

/**
 * Polls `fn` until it returns a truthy value; returns it, or throws `what` after `ms` scaled by
 * {@link loadFactor}. Polls quickly first, then backs off to `every` × 5.
 */
export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000, every = 200): Promise<T> {
  const budget = Math.round(ms * loadFactor());
  const end = Date.now() + budget;
  let last: unknown;
  let pause = Math.min(50, every);
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, pause));
    pause = Math.min(every * 5, Math.ceil(pause * 1.5));
  }
  throw new Error(`timed out after ${budget} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

/**
 * A quiet window: `ms` scaled by {@link loadFactor}. Only for what cannot be polled — the time
 * in which something forbidden must not arrive; a condition that can be seen is awaited with
 * {@link waitFor} instead.
 */
export function settle(ms = 700): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.round(ms * loadFactor())));
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
  const r = await fetch(url, { signal: AbortSignal.timeout(Math.round(2000 * loadFactor())) });
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
/**
 * Puts a hub's operator JWT, the derived CA and the hub's certificate and key where its synthesized
 * config reads them (`<root>/<id>/etc`, the hub's `configDir` in these tests, as its Podman secrets
 * would), and returns the path of that config.
 */
export function installHub(out: string, root: string, id: string, lattice = "lattice"): string {
  const etc = join(root, id, "etc");
  mkdirSync(join(etc, "tls"), { recursive: true });
  copyFileSync(join(out, `${lattice}/hubs/${id}/quadlet/${id}-operator.jwt`), join(etc, "operator.jwt"));
  copyFileSync(join(out, `${lattice}/tls/ca.pem`), join(etc, "tls/ca.pem"));
  copyFileSync(join(out, `${lattice}/tls/${id}.pem`), join(etc, "tls/server.pem"));
  copyFileSync(join(out, `secrets/${lattice}/tls/${id}-key.pem`), join(etc, "tls/server-key.pem"));
  return join(out, `${lattice}/hubs/${id}/quadlet/${id}-nats.conf`);
}

/**
 * Puts a node's leaf creds (its own from `out`, or `credsFile`) and the derived CA where its
 * synthesized leaf config reads them (`<root>/<id>/etc`), and returns the path of that config
 * (in `configFrom`, `out` unless a second output is the node's).
 */
export function installNode(out: string, root: string, id: string, opts: { credsFile?: string; configFrom?: string; lattice?: string } = {}): string {
  const lattice = opts.lattice ?? "lattice";
  const etc = join(root, id, "etc");
  mkdirSync(join(etc, "tls"), { recursive: true });
  copyFileSync(opts.credsFile ?? join(out, `secrets/${lattice}/nodes/${id}/leaf.creds`), join(etc, "leaf.creds"));
  copyFileSync(join(out, `${lattice}/tls/ca.pem`), join(etc, "tls/ca.pem"));
  return join(opts.configFrom ?? out, `${lattice}/nodes/${id}/quadlet/${id}-nats.conf`);
}

/**
 * A leaf that is no declared member's own config: `creds` (a pool's from its SDL, a copied or a
 * stranger's) in `dir/leaf.creds`, dialing `hubs` over TLS verified by `caFile`, without
 * JetStream. Returns the path of its config.
 */
export function bareLeaf(dir: string, o: { serverName: string; clientPort: number; monitorPort: number; hubs: readonly string[]; creds: string | Buffer; caFile: string }): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "leaf.creds"), o.creds, { mode: 0o600 });
  const conf = leafConfig({ serverName: o.serverName, clientPort: o.clientPort, monitorPort: o.monitorPort, storeDir: dir, domain: undefined, maxMemory: "0", maxFile: "0", hubs: o.hubs, credentialsFile: join(dir, "leaf.creds"), caFile: o.caFile });
  writeFileSync(join(dir, "leaf.conf"), renderNatsConf(conf));
  return join(dir, "leaf.conf");
}

export function derivedTls(out: string, dir: string, hubs: readonly string[], lattice = "lattice"): void {
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(out, `${lattice}/tls/ca.pem`), join(dir, "ca.pem"));
  for (const h of hubs) {
    copyFileSync(join(out, `${lattice}/tls/${h}.pem`), join(dir, `${h}.pem`));
    copyFileSync(join(out, `secrets/${lattice}/tls/${h}-key.pem`), join(dir, `${h}-key.pem`));
  }
}
