/**
 * A synth straight to disk: each file is written into the new generation as soon as it is
 * rendered and then dropped, keeping only its manifest entry, so memory stays flat in the number
 * of files (the CLI's path). The output is the same bytes as `writeOutput(grid.synth(…))`, just
 * as atomic: nothing appears at the output folder before the one switch at the end.
 */
import type { Warning } from "../core/construct.js";
import type { GridRoot } from "../constructs/grid.js";
import type { ManifestEntry } from "./manifest.js";
import { firstStep } from "./plan.js";
import { checkGrid, renderGrid, type SynthOptions } from "./synthesize.js";
import { openOutput, type WriteReport } from "./write.js";
import { heapPacer } from "./heap-pacer.js";

/** What a synth to disk hands back: no file's content, but every file's manifest entry. */
export interface OutputSynth {
  readonly report: WriteReport;
  /** Every file written, sorted by path (the manifest's entries). */
  readonly files: readonly ManifestEntry[];
  readonly warnings: readonly Warning[];
  /** The first step of the bring-up plan (`PLAN.md`), for the CLI's "next step" line; not the whole plan (megabytes at 10k nodes). */
  readonly firstStep?: string;
}

/**
 * Validates `grid` (a `ValidationError` touches nothing on disk), then renders and writes it to
 * `outDir` file by file. On any failure the new generation is dropped and the output folder
 * stays as it was.
 */
export function synthToOutput(grid: GridRoot, opts: SynthOptions, outDir: string): OutputSynth {
  const warnings = checkGrid(grid);
  const out = openOutput(outDir);
  let first: string | undefined;
  // what is written is garbage once handed over: collected as the heap grows, not at 4× (heap-pacer.ts)
  const pace = heapPacer();
  try {
    renderGrid(grid, opts, (f) => {
      out.add(f);
      if (f.kind === "plan") {
        first = firstStep(f.content);
        // the plan and the diagrams are made from whole-grid models, with no file handed over
        // meanwhile: the plan's garbage is collected before the diagrams' model is built
        pace(true);
      } else pace();
    }, (f) => out.addStreamed({ ...f, write: (put) => f.write((c) => {
      put(c);
      pace();
    }) }), out);
  } catch (e) {
    out.abort();
    throw e;
  }
  const report = out.commit(warnings);
  return { report, files: report.manifest.files, warnings, ...(first !== undefined ? { firstStep: first } : {}) };
}
