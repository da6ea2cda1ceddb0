/**
 * `tlos diff`: what a change does to every artifact, as Markdown for a pull-request comment (next
 * to `pulumi preview --diff`). Two synth outputs are compared through their manifests; changed
 * text files get a unified diff, secret files only a "changed" line — their content never appears.
 * The manifests are untrusted (a pull request can edit them): a path outside the folder makes a
 * manifest corrupt, a file is read only when its real path lies inside its folder, and a file
 * under a `secrets/` folder is secret whatever its flag says.
 */
import { existsSync, lstatSync, readFileSync, realpathSync } from "node:fs";
import { join, sep } from "node:path";
import { createTwoFilesPatch } from "diff";
import { TlosError } from "../core/errors.js";
import { fsStep } from "./fs-errors.js";
import { MANIFEST_FILE, type Manifest, type ManifestEntry } from "./manifest.js";
import { inSecretsFolder, parsePreviousManifest } from "./out-paths.js";
import { renderDiffComment, type CostTotals, type DiffCommentInput, type DiffCommentOptions, type FileChange } from "./diff-comment.js";

export interface DiffSummary {
  readonly added: readonly ManifestEntry[];
  readonly removed: readonly ManifestEntry[];
  readonly changed: readonly ManifestEntry[];
  readonly unchanged: number;
}

function manifest(dir: string): Manifest {
  const p = join(dir, MANIFEST_FILE);
  if (!existsSync(p)) throw new TlosError(`${dir} has no ${MANIFEST_FILE}: pass two tlos synth output folders`);
  const text = fsStep("read", p, () => readFileSync(p, "utf8"));
  parsePreviousManifest(text, p); // throws on a path outside the folder
  const m = JSON.parse(text) as Manifest;
  const files = m.files.map((f) => ({ ...f, secret: f.secret !== false || inSecretsFolder(f.path), target: String(f.target), construct: String(f.construct) }) as ManifestEntry);
  return { ...m, files };
}

/** The text of `rel` in the output folder `dir`, read only when its real path lies inside `dir`. */
function readInside(dir: string, rel: string): string {
  const root = fsStep("read", dir, () => realpathSync(dir));
  const p = fsStep("read", join(dir, rel), () => realpathSync(join(dir, rel)));
  if (!p.startsWith(root + sep) || !lstatSync(p).isFile()) throw new TlosError(`${join(dir, rel)} leads outside ${dir} (a symbolic link?): tlos diff reads only files inside the output folders`);
  return readFileSync(p, "utf8");
}

export function diffOutputs(before: string, after: string): DiffSummary {
  const a = new Map(manifest(before).files.map((f) => [f.path, f]));
  const b = new Map(manifest(after).files.map((f) => [f.path, { ...f, secret: f.secret || a.get(f.path)?.secret === true }]));
  const added = [...b.values()].filter((f) => !a.has(f.path));
  const removed = [...a.values()].filter((f) => !b.has(f.path));
  const changed = [...b.values()].filter((f) => a.has(f.path) && a.get(f.path)!.sha256 !== f.sha256);
  return { added, removed, changed, unchanged: b.size - added.length - changed.length };
}

/** NATS operator and account public keys in the non-secret NATS configs of a side. */
function natsKeys(dir: string, files: readonly ManifestEntry[]): Set<string> {
  const keys = new Set<string>();
  for (const f of files) {
    if (f.secret || f.kind !== "nats-config") continue;
    for (const k of readInside(dir, f.path).match(/\b[OA][A-Z2-7]{55}\b/g) ?? []) keys.add(k);
  }
  return keys;
}

/** Worst-case monthly cost per denomination; a cost that is no finite number (an edited manifest) counts as 0. */
function costs(files: readonly ManifestEntry[]): CostTotals {
  const out: Record<string, number> = Object.create(null) as Record<string, number>; // a denom is untrusted text ("__proto__")
  for (const f of files) {
    const c = f.cost;
    if (!c || typeof c.denom !== "string") continue;
    const n = typeof c.maxPerMonth === "number" && Number.isFinite(c.maxPerMonth) ? c.maxPerMonth : 0;
    out[c.denom] = Math.round(((out[c.denom] ?? 0) + n) * 100) / 100;
  }
  return out;
}

/** The unified diff of a file, `---`/`+++` headers first. */
function patchOf(before: string, after: string, f: ManifestEntry, existed: boolean): string[] {
  const old = existed ? readInside(before, f.path) : "";
  const lines = createTwoFilesPatch(existed ? `a/${f.path}` : "/dev/null", `b/${f.path}`, old, readInside(after, f.path), "", "", { context: 3 }).split("\n").slice(1);
  if (lines.at(-1) === "") lines.pop();
  return lines.map((l, i) => (i < 2 ? l.replace(/\t$/, "") : l));
}

/** What the comment shows: every change with its diff, the costs of both sides, the seed check. */
export function diffInput(before: string, after: string): DiffCommentInput {
  const a = manifest(before).files;
  const b = manifest(after).files;
  const d = diffOutputs(before, after);
  const files: FileChange[] = [
    ...d.changed.map((entry) => ({ change: "changed" as const, entry, ...(entry.secret ? {} : { patch: patchOf(before, after, entry, true) }) })),
    ...d.added.map((entry) => ({ change: "added" as const, entry, ...(entry.secret ? {} : { patch: patchOf(before, after, entry, false) }) })),
    ...d.removed.map((entry) => ({ change: "removed" as const, entry })),
  ];
  const ka = natsKeys(before, a);
  const kb = natsKeys(after, b);
  const differentSeeds = ka.size > 0 && kb.size > 0 && ![...ka].some((k) => kb.has(k));
  return { files, unchanged: d.unchanged, costBefore: costs(a), costAfter: costs(b), differentSeeds };
}

/** Markdown for a PR comment: the summary, then a diff per changed or added file, within GitHub's limit. */
export function diffMarkdown(before: string, after: string, opts: DiffCommentOptions = {}): string {
  return renderDiffComment(diffInput(before, after), opts);
}
