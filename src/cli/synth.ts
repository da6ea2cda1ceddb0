/** `tlos synth <program> --out <dir>`: load the grid, synthesize it, write the output folder. */
import { existsSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { formatProblem, type Problem } from "../core/errors.js";
import { synthToOutput } from "../synth/synth-output.js";
import type { Command } from "./command.js";
import { tuneJitForBatch } from "./jit.js";
import { loadGrid } from "./load.js";
import { loadMasterSeed } from "./seed.js";

/**
 * Warnings grouped by message: the same unpinned image on 10,000 nodes is one line naming the
 * first place and how many more, not 10,000 lines.
 */
export function dedupeWarnings(warnings: readonly Problem[]): { first: Problem; more: string[] }[] {
  const groups = new Map<string, { first: Problem; more: string[] }>();
  for (const w of warnings) {
    const g = groups.get(w.message);
    if (g) g.more.push(w.path);
    else groups.set(w.message, { first: w, more: [] });
  }
  return [...groups.values()];
}

export function formatWarning(g: { first: Problem; more: readonly string[] }): string {
  const more = g.more.length === 0 ? "" : ` (also at ${g.more.length} more: ${g.more.slice(0, 3).join(", ")}${g.more.length > 3 ? ", …" : ""})`;
  return `warning: ${formatProblem(g.first)}${more}`;
}

const SECRETS_IGNORE = "# written by tlos: secret material (keys, creds, seeds) never goes into git\n*\n";

/**
 * The top `secrets/` folders of the output get a `.gitignore` that ignores everything in them,
 * so `git add .` beside an output folder does not commit credentials. An existing one is kept.
 */
export function ignoreSecretDirs(outDir: string, files: readonly { path: string; secret: boolean }[]): string[] {
  const dirs = new Set<string>();
  for (const f of files) {
    if (!f.secret) continue;
    const parts = f.path.split("/");
    const i = parts.indexOf("secrets");
    if (i >= 0 && i < parts.length - 1) dirs.add(parts.slice(0, i + 1).join("/"));
  }
  const written: string[] = [];
  for (const d of [...dirs].sort()) {
    const file = join(outDir, d, ".gitignore");
    if (existsSync(file) || !existsSync(dirname(file))) continue;
    writeFileSync(file, SECRETS_IGNORE, { mode: 0o644 });
    written.push(`${d}/.gitignore`);
  }
  return written;
}

export const synthCommand: Command = {
  usage: "synth <program> --out <dir> [--seed-file <file>] [--insecure-test-seed] [--json]",
  help: `Loads <program> (.ts, .mts, .cts or .js; default export: a Grid or a function returning one) and
writes every artifact to <dir> with a manifest.json. Deterministic; atomic; never deletes a file
it did not write. The master seed comes from TLOS_MASTER_SEED or <seed-file> (default:
.tlos/master.seed next to the program, created with mode 0600 on first use, with a .gitignore
beside it; refused inside a git work tree that would not ignore it). Secret folders of the output
get a .gitignore too. --insecure-test-seed accepts a low-entropy seed (tests only). --json prints a
machine-readable summary instead of text.`,
  flags: { out: { type: "string", short: "o" }, "seed-file": { type: "string" }, "insecure-test-seed": { type: "boolean" }, json: { type: "boolean" } },
  positionals: [1, 1],
  required: ["out"],
  async run(args, io) {
    const program = args.positionals[0] as string;
    const out = args.str("out") as string;
    tuneJitForBatch(); // before the grid's program and the synth run (src/cli/jit.ts)
    const grid = await loadGrid(program);
    const seedFile = args.str("seed-file") ?? join(dirname(resolve(program)), ".tlos", "master.seed");
    const { seed, from } = loadMasterSeed(seedFile, process.env, { insecureTestSeed: args.bool("insecure-test-seed") });
    // written file by file as rendered: only the manifest entries stay in memory
    const result = synthToOutput(grid, { masterSeed: seed }, out);
    const report = result.report;
    const ignores = ignoreSecretDirs(report.outDir, result.files);
    const byTarget = new Map<string, number>();
    for (const f of result.files) byTarget.set(f.target, (byTarget.get(f.target) ?? 0) + 1);
    const secrets = result.files.filter((f) => f.secret).length;
    const costs = result.files.filter((f) => f.cost && !f.secret).map((f) => ({ path: f.path, ...f.cost }));
    const warnings = dedupeWarnings(result.warnings);
    if (args.bool("json")) {
      io.out(`${JSON.stringify({
        grid: grid.node.path, outDir: report.outDir, files: result.files.length, byTarget: Object.fromEntries([...byTarget].sort()),
        secrets, written: report.written, unchanged: report.unchanged, removed: report.removed, gitignores: ignores, masterSeed: from, costs,
        warnings: warnings.map((g) => ({ ...g.first, alsoAt: g.more })),
      }, null, 2)}\n`);
      return 0;
    }
    io.out(`synthesized ${grid.node.path} → ${relative(process.cwd(), report.outDir) || "."}\n`);
    io.out(`  files: ${result.files.length} (${[...byTarget].sort().map(([t, n]) => `${t} ${n}`).join(", ")}); secrets: ${secrets} under secrets/ (0600)\n`);
    io.out(`  written: ${report.written}, unchanged: ${report.unchanged}, removed: ${report.removed.length}\n`);
    io.out(`  master seed: ${from}\n`);
    for (const c of costs) io.out(`  cost: ${c.path} at most ${c.maxPerMonth} ${c.denom === "uact" ? "ACT" : "AKT"}/month (${c.amountPerBlock} ${c.denom}/block × ${c.blocksPerMonth} blocks × ${c.replicas})\n`);
    for (const g of warnings) io.out(`  ${formatWarning(g)}\n`);
    const first = result.firstStep;
    if (first) io.out(`next: the bring-up plan is in ${join(relative(process.cwd(), report.outDir) || ".", "PLAN.md")} (tlos plan); its first step:\n  ${first}\n`);
    return 0;
  },
};
