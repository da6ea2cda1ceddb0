/**
 * The `tlos diff` pull-request comment, rendered from plain data (no file access): a summary
 * first (files changed per target and construct, the Akash worst-case monthly cost before →
 * after), then one block per file with `---`/`+++` headers. Small diffs show open, large ones
 * are folded in `<details>`; the whole comment always fits `maxChars` (GitHub refuses a comment
 * over 65,536 characters): file blocks that do not fit are named in a truncation note, and a
 * single huge diff is cut with a note saying how many lines were left out. Same input, same bytes.
 * @see https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
 * @see https://docs.github.com/en/get-started/writing-on-github/working-with-advanced-formatting/organizing-information-with-collapsed-sections
 */
import type { ManifestEntry } from "./manifest.js";

/** GitHub's limit on the body of an issue or pull-request comment. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** The first line of every comment: a workflow finds its own comment by it and edits it in place. */
export const COMMENT_MARKER = "<!-- tlos-diff -->";
/** Diffs longer than this many lines are folded. */
export const FOLD_LINES = 40;
/** No single file's diff shows more lines than this. */
export const MAX_DIFF_LINES = 400;

export type Change = "changed" | "added" | "removed";

/** One file's change; `patch` is the unified diff (with `---`/`+++` headers), absent for secret files. */
export interface FileChange {
  readonly change: Change;
  readonly entry: ManifestEntry;
  readonly patch?: readonly string[];
}

/** Worst-case monthly Akash cost per denomination (whole ACT/AKT), of one side. */
export type CostTotals = Readonly<Record<string, number>>;

export interface DiffCommentInput {
  readonly files: readonly FileChange[];
  readonly unchanged: number;
  readonly costBefore: CostTotals;
  readonly costAfter: CostTotals;
  /** The two sides share no NATS operator or account key: most likely different master seeds. */
  readonly differentSeeds: boolean;
}

export interface DiffCommentOptions {
  /**
   * The largest comment, in characters.
   * @default GITHUB_COMMENT_LIMIT
   * @see https://docs.github.com/en/rest/issues/comments#create-an-issue-comment
   */
  readonly maxChars?: number;
  /**
   * A note shown under the summary (e.g. where the seed of a CI diff came from).
   * @default none
   * @see https://docs.github.com/en/get-started/writing-on-github/getting-started-with-writing-and-formatting-on-github/basic-writing-and-formatting-syntax#quoting-text
   */
  readonly note?: string;
}

/** A path or name for a Markdown code span, table cell or HTML summary. */
export function md(s: string): string {
  return s.replace(/[`|<>&]/g, "_").replace(/[\r\n]+/g, " ");
}

const MARK: Record<Change, string> = { changed: "~", added: "+", removed: "−" };
const unit = (denom: string) => (denom === "uact" ? "ACT" : denom === "uakt" ? "AKT" : md(denom));
const money = (n: number) => n.toFixed(2);

function costLine(before: CostTotals, after: CostTotals): string | undefined {
  const denoms = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  if (denoms.length === 0) return undefined;
  const parts = denoms.map((d) => {
    const a = before[d] ?? 0;
    const b = after[d] ?? 0;
    const delta = b - a;
    const sign = delta > 0 ? "+" : delta < 0 ? "−" : "±";
    return `${money(a)} → ${money(b)} ${unit(d)}/month (${sign}${money(Math.abs(delta))})`;
  });
  return `**Akash worst-case cost:** ${parts.join("; ")}`;
}

/** Rows of changed/added/removed counts per target and construct. */
function summaryTable(files: readonly FileChange[]): string[] {
  const rows = new Map<string, Record<Change, number>>();
  for (const f of files) {
    const key = `${md(f.entry.target)}|\`${md(f.entry.construct)}\``;
    const r = rows.get(key) ?? { changed: 0, added: 0, removed: 0 };
    r[f.change]++;
    rows.set(key, r);
  }
  return [
    "| target | construct | changed | added | removed |",
    "|---|---|---|---|---|",
    ...[...rows].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, r]) => `| ${k.replace("|", " | ")} | ${r.changed} | ${r.added} | ${r.removed} |`),
  ];
}

function fence(lines: readonly string[]): string {
  return "`".repeat(Math.max(3, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length + 1)))));
}

/** One file's block: open when short, folded when long, its diff cut at `maxLines`. */
function fileBlock(f: FileChange, maxLines: number): string {
  const title = `${MARK[f.change]} <code>${md(f.entry.path)}</code>${f.entry.secret ? " (secret)" : ""} (${md(f.entry.target)}, <code>${md(f.entry.construct)}</code>)`;
  const body: string[] = [];
  let lines = 0;
  if (f.entry.secret) body.push("Secret material changed; its content is not shown.");
  else if (f.change === "removed") body.push("Removed.");
  else {
    const patch = f.patch ?? [];
    lines = patch.length;
    const cut = patch.length > maxLines ? [...patch.slice(0, maxLines), `… ${patch.length - maxLines} more lines not shown`] : [...patch];
    const fc = fence(cut);
    body.push(`${fc}diff`, ...cut, fc);
  }
  if (f.entry.cost) body.push("", `Worst-case cost: ${money(f.entry.cost.maxPerMonth)} ${unit(f.entry.cost.denom)}/month.`);
  const open = lines <= FOLD_LINES ? " open" : "";
  const size = lines > 0 ? ` — ${lines} lines` : "";
  return ["", `<details${open}><summary>${title}${size}</summary>`, "", ...body, "", "</details>"].join("\n");
}

/** The comment: summary, then file blocks while they fit, then a truncation note naming the rest. */
export function renderDiffComment(input: DiffCommentInput, opts: DiffCommentOptions = {}): string {
  const max = opts.maxChars ?? GITHUB_COMMENT_LIMIT;
  const count = (c: Change) => input.files.filter((f) => f.change === c).length;
  const head: string[] = [COMMENT_MARKER, "## tlos diff", ""];
  if (input.files.length === 0) head.push(`No artifact changes (${input.unchanged} files).`);
  else {
    const targets = new Set(input.files.map((f) => f.entry.target)).size;
    const constructs = new Set(input.files.map((f) => f.entry.construct)).size;
    head.push(`**${count("changed")} changed, ${count("added")} added, ${count("removed")} removed** (${input.unchanged} unchanged) in ${targets} target(s) and ${constructs} construct(s)`);
  }
  const cost = costLine(input.costBefore, input.costAfter);
  if (cost) head.push("", cost);
  if (input.differentSeeds) head.push("", "> [!WARNING]", "> The two sides share no NATS operator or account key: they were most likely synthesized with **different master seeds**, so every seed-derived file (keys, JWTs, certificates) shows as changed. Synthesize both with one seed.");
  if (opts.note) head.push("", `> ${md(opts.note)}`);
  const tableAt = head.length;
  if (input.files.length > 0) head.push("", ...summaryTable(input.files));
  let out = `${head.join("\n")}\n`;
  const blocks = input.files.map((f) => fileBlock(f, MAX_DIFF_LINES));
  // the note for the rest is at most this long (one line per left-out file, capped)
  const restNote = (from: number) => {
    const rest = input.files.slice(from);
    const shown = rest.slice(0, 50).map((f) => `\`${md(f.entry.path)}\``).join(", ");
    return `\n\n> [!NOTE]\n> **Truncated** to stay under GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character comment limit: ${rest.length} more file diff(s) not shown: ${shown}${rest.length > 50 ? `, and ${rest.length - 50} more` : ""}. Run \`tlos diff\` on the two synth folders (the workflow uploads them) to see all.\n`;
  };
  for (let i = 0; i < blocks.length; i++) {
    let block = blocks[i]!;
    const reserve = i + 1 < blocks.length ? restNote(i + 1).length : 0;
    if (out.length + block.length + reserve > max) {
      // one large diff that alone would not fit: cut it to what does
      const shorter = fileBlock(input.files[i]!, 40);
      if (out.length + shorter.length + reserve <= max && (input.files[i]!.patch?.length ?? 0) > 40) block = shorter;
      else {
        out += restNote(i);
        break;
      }
    }
    out += block;
    if (i === blocks.length - 1) out += "\n";
  }
  if (out.length <= max) return out;
  // a summary too long by itself (thousands of constructs): the counts and the note only
  const short = `${head.slice(0, tableAt).join("\n")}\n\n> [!NOTE]\n> **Truncated**: the per-construct table and every file diff are left out to stay under GitHub's comment limit. Run \`tlos diff\` on the two synth folders to see them.\n`;
  if (short.length > max) throw new Error(`internal: the diff comment's summary is ${short.length} characters, over ${max}`);
  return short;
}
