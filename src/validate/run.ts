/** `tlos validate <dir>`: every validator it can find, on every file the manifest lists. */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE, type Manifest } from "../synth/manifest.js";
import { findBinary } from "./find.js";
import { makeTestTls, natsConfigTest, stageConfig } from "./nats.js";
import { quadletDryRun, quadletVersion } from "./quadlet.js";
import { composeProblems } from "./compose.js";
import { systemdVerify } from "./systemd.js";
import { wadmSchemaProblems, workloadDeploymentProblems } from "./schemas.js";
import { workflowProblems } from "./workflow.js";
import { sdlProblems } from "./akash.js";
import { k8sChecks } from "./k8s.js";
import { compareVersions } from "../core/version.js";

export interface ValidationReport {
  readonly ok: boolean;
  readonly lines: readonly string[];
  /** validator → number of files it checked (absent when it did not run). */
  readonly ran: Readonly<Record<string, number>>;
}

export async function runValidators(dir: string, opts: { requireAll?: boolean } = {}): Promise<ValidationReport> {
  const mpath = join(dir, MANIFEST_FILE);
  if (!existsSync(mpath)) throw new TlosError(`${dir} has no ${MANIFEST_FILE}: run tlos synth first`);
  const manifest = JSON.parse(readFileSync(mpath, "utf8")) as Manifest;
  const lines: string[] = [];
  const ran: Record<string, number> = {};
  let ok = true;
  const fail = (s: string) => {
    ok = false;
    lines.push(s);
  };
  /** A validator that is not installed: a failure under --require-all, a note otherwise. */
  const missing = (s: string) => (opts.requireAll ? fail(s) : lines.push(s));

  const quadlet = findBinary("quadlet");
  const unitDirs = [...new Set(manifest.files.filter((f) => f.kind === "quadlet-unit").map((f) => dirname(f.path)))].sort();
  if (!quadlet) {
    missing(`quadlet: not found (run scripts/fetch-validators.sh); ${unitDirs.length} unit folder(s) NOT checked`);
  } else {
    const have = quadletVersion(quadlet) ?? "0.0";
    let checked = 0;
    for (const d of unitDirs) {
      const target = manifest.files.find((f) => f.kind === "quadlet-unit" && dirname(f.path) === d)?.podmanVersion;
      if (target && compareVersions(have, target) < 0) {
        lines.push(`quadlet -dryrun -user: SKIPPED ${d}: its units target Podman ${target}, this quadlet is ${have} (keys newer than ${have} would be refused)`);
        continue;
      }
      checked++;
      const r = quadletDryRun(quadlet, join(dir, d));
      if (r.ok) lines.push(`quadlet -dryrun -user: ok   ${d} (${r.services.join(", ")})`);
      else fail(`quadlet -dryrun -user: FAIL ${d}\n${r.output}`);
    }
    ran[`quadlet ${have} -dryrun`] = checked;
  }

  const nats = findBinary("nats-server");
  const openssl = findBinary("openssl");
  const confs = manifest.files.filter((f) => f.kind === "nats-config").map((f) => f.path);
  if (!nats) {
    missing(`nats-server: not found (run scripts/fetch-validators.sh); ${confs.length} config(s) NOT checked`);
  } else {
    ran["nats-server -t"] = confs.length;
    const stage = mkdtempSync(join(tmpdir(), "tlos-validate-"));
    try {
      const tlsDir = join(stage, "_tls");
      const haveTls = openssl ? makeTestTls(openssl, tlsDir) : false;
      const creds = manifest.files.find((f) => f.path.endsWith(".creds"))?.path;
      confs.forEach((c, i) => {
        const jwt = manifest.files.find((f) => f.kind === "nats-jwt" && dirname(f.path) === dirname(c))?.path;
        const staged = stageConfig(readFileSync(join(dir, c), "utf8"), join(stage, String(i)), {
          ...(jwt ? { operatorJwt: join(dir, jwt) } : {}),
          ...(creds ? { creds: join(dir, creds) } : {}),
          ...(haveTls ? { tlsDir } : {}),
        });
        const file = join(stage, `${i}.conf`);
        writeFileSync(file, staged);
        const r = natsConfigTest(nats, file);
        if (r.ok) lines.push(`nats-server -t: ok   ${c}`);
        else fail(`nats-server -t: FAIL ${c}\n${r.output}`);
      });
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
  const units = manifest.files.filter((f) => f.kind === "systemd-unit").map((f) => f.path);
  if (units.length > 0) {
    const sa = findBinary("systemd-analyze");
    if (!sa) {
      missing(`systemd-analyze: not found; ${units.length} systemd unit(s) NOT checked`);
    } else {
      ran["systemd-analyze verify"] = units.length;
      for (const u of units) {
        const r = systemdVerify(sa, join(dir, u));
        if (r.ok) lines.push(`systemd-analyze verify: ok   ${u}`);
        else fail(`systemd-analyze verify: FAIL ${u}\n  ${r.output}`);
      }
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
    const docs = manifest.files.filter((f) => f.kind === kind).map((f) => f.path);
    if (docs.length === 0) continue;
    ran[name] = docs.length;
    for (const d of docs) {
      const problems = await check(readFileSync(join(dir, d), "utf8"));
      if (problems.length === 0) lines.push(`${name}: ok   ${d}`);
      else fail(`${name}: FAIL ${d}\n  ${problems.join("\n  ")}`);
    }
  }
  const manifests = manifest.files.filter((f) => f.kind === "k8s-manifest").map((f) => f.path);
  if (manifests.length > 0) {
    let n = 0;
    for (const m of manifests) {
      for (const c of await k8sChecks(readFileSync(join(dir, m), "utf8"))) {
        if (c.checkedBy === "none") lines.push(`kubernetes schemas: UNCHECKED ${m} ${c.name} (${c.kind}): no schema for this kind here`);
        else if (c.problems.length === 0) n++;
        else fail(`kubernetes schemas: FAIL ${m} ${c.name} (${c.checkedBy})\n  ${c.problems.join("\n  ")}`);
      }
    }
    ran["kubernetes schemas (kubernetes-models, CRDs)"] = n;
    lines.push(`kubernetes schemas: ok   ${n} object(s) in ${manifests.length} file(s)`);
  }
  lines.push(`validators run: ${Object.entries(ran).map(([k, n]) => `${k} (${n})`).join(", ") || "none"}`);
  return { ok, lines, ran };
}
