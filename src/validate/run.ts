/**
 * `tlos validate <dir>`: every validator it can find, on every file the manifest lists. Binary
 * validators run in parallel (one process per core by default); the report keeps a fixed order.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE, type Manifest, type ManifestEntry } from "../synth/manifest.js";
import { findBinary } from "./find.js";
import { makeTestTlsAsync, natsConfigTest, stageConfig } from "./nats.js";
import { quadletDryRun, quadletVersion } from "./quadlet.js";
import { DEPTH, Launcher } from "./launcher.js";
import { mapLimit } from "./spawn.js";
import { systemdVerify } from "./systemd.js";
import { DOCUMENT_KINDS, documentChecks, type DocumentReport, unreadable } from "./documents.js";
import { compareVersions } from "../core/version.js";

export interface ValidationReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** validator → number of files it checked (absent when it did not run). */
  readonly ran: Readonly<Record<string, number>>;
}

export interface ValidateOptions {
  /** Fail when a validator (binary or optional package) is missing. */
  readonly requireAll?: boolean;
  /** Validator processes at a time. @default os.availableParallelism() */
  readonly jobs?: number;
}

const FETCH_HINT = "run tlos validate --fetch";

/** Files of the manifest by kind, and the first file of a kind per folder, built once (no scans per file). */
function index(files: readonly ManifestEntry[]) {
  const byKind = new Map<string, ManifestEntry[]>();
  const firstInDir = new Map<string, ManifestEntry>();
  for (const f of files) {
    const list = byKind.get(f.kind);
    if (list) list.push(f);
    else byKind.set(f.kind, [f]);
    const k = `${f.kind}\0${dirname(f.path)}`;
    if (!firstInDir.has(k)) firstInDir.set(k, f);
  }
  return {
    paths: (kind: string) => (byKind.get(kind) ?? []).map((f) => f.path),
    inDir: (kind: string, dir: string) => firstInDir.get(`${kind}\0${dir}`),
    first: (pred: (f: ManifestEntry) => boolean) => files.find(pred),
  };
}

export async function runValidators(dir: string, opts: ValidateOptions = {}): Promise<ValidationReport> {
  const mpath = join(dir, MANIFEST_FILE);
  if (!existsSync(mpath)) throw new TlosError(`${dir} has no ${MANIFEST_FILE}: run tlos synth first`);
  const text = readFileSync(mpath, "utf8");
  let manifest: Manifest;
  try {
    manifest = JSON.parse(text) as Manifest;
    if (!Array.isArray(manifest?.files)) throw new Error("it has no files list");
  } catch (e) {
    throw new TlosError(`${mpath} is not a tlos manifest (${e instanceof Error ? e.message : String(e)}): run tlos synth again`);
  }
  const files = index(manifest.files);
  const jobs = opts.jobs ?? availableParallelism();
  const lines: string[] = [];
  const ran: Record<string, number> = {};
  let ok = true;
  const fail = (s: string) => {
    ok = false;
    lines.push(s);
  };
  /** A validator that is not installed: a failure under --require-all, a note otherwise. */
  const missing = (s: string) => (opts.requireAll ? fail(s) : lines.push(s));
  const emit = (r: { ok: boolean; line: string }) => (r.ok ? lines.push(r.line) : fail(r.line));

  // every validator process goes through one pool (no barrier between kinds); results keep a fixed order
  const quadlet = findBinary("quadlet");
  const nats = findBinary("nats-server");
  const sa = findBinary("systemd-analyze");
  const openssl = findBinary("openssl");
  const unitDirs = [...new Set(files.paths("quadlet-unit").map((p) => dirname(p)))].sort();
  const confs = files.paths("nats-config");
  const units = files.paths("systemd-unit");
  const stage = nats && confs.length > 0 ? mkdtempSync(join(tmpdir(), "tlos-validate-")) : undefined;
  const tlsDir = stage ? join(stage, "_tls") : "";
  const launcher = new Launcher(jobs);
  let documentReport: Promise<DocumentReport> = Promise.resolve({ lines: [], ran: {} });
  try {
    const [have, haveTls] = await Promise.all([
      quadlet ? quadletVersion(quadlet, launcher.run) : undefined,
      stage && openssl ? makeTestTlsAsync(openssl, tlsDir, undefined, launcher.run) : false,
    ]);
    // the report in order: notes (`missing`, SKIPPED) written now, task results slotted in later
    const tasks: (() => Promise<{ ok: boolean; line: string }>)[] = [];
    const order: (number | (() => void))[] = [];
    const note = (f: () => void) => order.push(f);
    const task = (t: () => Promise<{ ok: boolean; line: string }>) => order.push(tasks.push(t) - 1);
    if (!quadlet) note(() => missing(`quadlet: not found (${FETCH_HINT}); ${unitDirs.length} unit folder(s) NOT checked`));
    else {
      const version = have ?? "0.0";
      const checkable = unitDirs.filter((d) => {
        const target = files.inDir("quadlet-unit", d)?.podmanVersion;
        if (target && compareVersions(version, target) < 0) {
          note(() => lines.push(`quadlet -dryrun -user: SKIPPED ${d}: its units target Podman ${target}, this quadlet is ${version} (keys newer than ${version} would be refused)`));
          return false;
        }
        return true;
      });
      ran[`quadlet ${version} -dryrun`] = checkable.length;
      for (const d of checkable) {
        task(async () => {
          const r = await quadletDryRun(quadlet, join(dir, d), launcher.run);
          return r.ok ? { ok: true, line: `quadlet -dryrun -user: ok   ${d} (${r.services.join(", ")})` } : { ok: false, line: `quadlet -dryrun -user: FAIL ${d}\n${r.output}` };
        });
      }
    }
    if (!nats) note(() => missing(`nats-server: not found (${FETCH_HINT}); ${confs.length} config(s) NOT checked`));
    else ran["nats-server -t"] = confs.length;
    if (nats && stage) {
      const creds = files.first((f) => f.path.endsWith(".creds"))?.path;
      const made = new Set<string>(); // the configs' other paths: one shared folder tree
      confs.forEach((c, i) => task(async () => {
        const jwt = files.inDir("nats-jwt", dirname(c))?.path;
        let conf: string;
        try {
          conf = readFileSync(join(dir, c), "utf8");
        } catch (e) {
          return { ok: false, line: `nats-server -t: FAIL ${c}\n  ${unreadable(e)}` };
        }
        const staged = stageConfig(conf, join(stage, "fs"), {
          ...(jwt ? { operatorJwt: join(dir, jwt) } : {}),
          ...(creds ? { creds: join(dir, creds) } : {}),
          ...(haveTls ? { tlsDir } : {}),
        }, made);
        const file = join(stage, `${i}.conf`);
        writeFileSync(file, staged);
        const r = await natsConfigTest(nats, file, process.env, launcher.run);
        return r.ok ? { ok: true, line: `nats-server -t: ok   ${c}` } : { ok: false, line: `nats-server -t: FAIL ${c}\n${r.output}` };
      }));
    }
    if (units.length > 0 && !sa) note(() => missing(`systemd-analyze: not found; ${units.length} systemd unit(s) NOT checked`));
    else if (sa && units.length > 0) {
      ran["systemd-analyze verify"] = units.length;
      for (const u of units) {
        task(async () => {
          const r = await systemdVerify(sa, join(dir, u), launcher.run);
          return r.ok ? { ok: true, line: `systemd-analyze verify: ok   ${u}` } : { ok: false, line: `systemd-analyze verify: FAIL ${u}\n  ${r.output}` };
        });
      }
    }
    // DEPTH commands queued a launcher (see launcher.ts): as many tasks under way
    const pool = mapLimit(tasks, (t) => t(), DEPTH * jobs);
    // the document checks run between spawns, once the first validator processes are started:
    // the cores run those meanwhile. (Measured on the 50-node output: a worker thread was slower —
    // its heap makes every later fork of a validator slower — and so was a process of their own.)
    documentReport = DOCUMENT_KINDS.some((k) => files.paths(k).length > 0) ? documentChecks(dir, manifest.files) : documentReport;
    const results = await pool;
    for (const o of order) {
      if (typeof o === "number") emit(results[o]!);
      else o();
    }
  } finally {
    launcher.close();
    if (stage) rmSync(stage, { recursive: true, force: true });
  }

  const documents = await documentReport;
  for (const l of documents.lines) (l.fail ? fail : l.missing ? missing : (x: string) => lines.push(x))(l.line);
  Object.assign(ran, documents.ran);
  lines.push(`validators run: ${Object.entries(ran).map(([k, n]) => `${k} (${n})`).join(", ") || "none"}`);
  return { ok, lines, ran };
}
