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

/** A path or name for a Markdown code span and table cell. */
function md(s: string): string {
  return s.replace(/[`|<>]/g, "_");
}

export function diffOutputs(before: string, after: string): DiffSummary {
  const a = new Map(manifest(before).files.map((f) => [f.path, f]));
  const b = new Map(manifest(after).files.map((f) => [f.path, { ...f, secret: f.secret || a.get(f.path)?.secret === true }]));
  const added = [...b.values()].filter((f) => !a.has(f.path));
  const removed = [...a.values()].filter((f) => !b.has(f.path));
  const changed = [...b.values()].filter((f) => a.has(f.path) && a.get(f.path)!.sha256 !== f.sha256);
  return { added, removed, changed, unchanged: b.size - added.length - changed.length };
}

const MAX_LINES = 400;

/** Markdown for a PR comment: a summary table, then a fenced diff per changed or added file. */
export function diffMarkdown(before: string, after: string): string {
  const d = diffOutputs(before, after);
  const out: string[] = ["## tlos diff", ""];
  if (d.added.length + d.removed.length + d.changed.length === 0) return `${out.join("\n")}No artifact changes (${d.unchanged} files).\n`;
  out.push(`**${d.changed.length} changed, ${d.added.length} added, ${d.removed.length} removed** (${d.unchanged} unchanged)`, "", "| | file | target | construct |", "|---|---|---|---|");
  const row = (mark: string, f: ManifestEntry) => out.push(`| ${mark} | \`${md(f.path)}\`${f.secret ? " (secret)" : ""} | ${md(f.target)} | \`${md(f.construct)}\` |`);
  for (const f of d.changed) row("~", f);
  for (const f of d.added) row("+", f);
  for (const f of d.removed) row("−", f);
  for (const f of [...d.changed, ...d.added]) {
    out.push("", `<details><summary><code>${md(f.path)}</code></summary>`, "");
    if (f.secret) {
      out.push("Secret material changed; its content is not shown.");
    } else {
      const old = d.changed.includes(f) ? readInside(before, f.path) : "";
      const patch = createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, old, readInside(after, f.path), "", "", { context: 3 }).split("\n").slice(2);
      const cut = patch.length > MAX_LINES ? [...patch.slice(0, MAX_LINES), `… ${patch.length - MAX_LINES} more lines`] : patch;
      const fence = "`".repeat(Math.max(3, ...cut.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length + 1)))));
      out.push(`${fence}diff`, ...cut.filter((l, i) => l !== "" || i < cut.length - 1), fence);
    }
    if (f.cost) out.push("", `Worst-case cost: ${f.cost.maxPerMonth} ${f.cost.denom === "uact" ? "ACT" : "AKT"}/month.`);
    out.push("", "</details>");
  }
  return `${out.join("\n")}\n`;
}
