/**
 * `tlos diff`: what a change does to every artifact, as Markdown for a pull-request comment (next
 * to `pulumi preview --diff`). Two synth outputs are compared through their manifests; changed
 * text files get a unified diff, secret files only a "changed" line — their content never appears.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTwoFilesPatch } from "diff";
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE, type Manifest, type ManifestEntry } from "./manifest.js";

export interface DiffSummary {
  readonly added: readonly ManifestEntry[];
  readonly removed: readonly ManifestEntry[];
  readonly changed: readonly ManifestEntry[];
  readonly unchanged: number;
}

function manifest(dir: string): Manifest {
  const p = join(dir, MANIFEST_FILE);
  if (!existsSync(p)) throw new TlosError(`${dir} has no ${MANIFEST_FILE}: pass two tlos synth output folders`);
  return JSON.parse(readFileSync(p, "utf8")) as Manifest;
}

export function diffOutputs(before: string, after: string): DiffSummary {
  const a = new Map(manifest(before).files.map((f) => [f.path, f]));
  const b = new Map(manifest(after).files.map((f) => [f.path, f]));
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
  const row = (mark: string, f: ManifestEntry) => out.push(`| ${mark} | \`${f.path}\`${f.secret ? " (secret)" : ""} | ${f.target} | \`${f.construct}\` |`);
  for (const f of d.changed) row("~", f);
  for (const f of d.added) row("+", f);
  for (const f of d.removed) row("−", f);
  for (const f of [...d.changed, ...d.added]) {
    out.push("", `<details><summary><code>${f.path}</code></summary>`, "");
    if (f.secret) {
      out.push("Secret material changed; its content is not shown.");
    } else {
      const old = d.changed.includes(f) ? readFileSync(join(before, f.path), "utf8") : "";
      const patch = createTwoFilesPatch(`a/${f.path}`, `b/${f.path}`, old, readFileSync(join(after, f.path), "utf8"), "", "", { context: 3 }).split("\n").slice(2);
      const cut = patch.length > MAX_LINES ? [...patch.slice(0, MAX_LINES), `… ${patch.length - MAX_LINES} more lines`] : patch;
      out.push("```diff", ...cut.filter((l, i) => l !== "" || i < cut.length - 1), "```");
    }
    if (f.cost) out.push("", `Worst-case cost: ${f.cost.maxPerMonth} ${f.cost.denom === "uact" ? "ACT" : "AKT"}/month.`);
    out.push("", "</details>");
  }
  return `${out.join("\n")}\n`;
}
