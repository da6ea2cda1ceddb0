/**
 * The synth: validates the tree, walks it, lets every construct add its files and host items, then
 * adds the per-machine bundles' install scripts, the bring-up plan and the diagram. `renderGrid`
 * hands every file to a sink as it is made (the CLI's sink writes it and keeps only its manifest
 * entry); `synthesize` collects them in memory.
 */
import { isSynthesizable, type Artifact, type SynthContext } from "../core/artifact.js";
import type { Warning } from "../core/construct.js";
import { ValidationError, type Problem } from "../core/errors.js";
import { isSecretPath } from "../core/layout.js";
import type { MasterSeed } from "../core/seed.js";
import type { GridRoot } from "../constructs/grid.js";
import { wholeArtifact, type StreamedArtifact, type SynthResult } from "./artifact.js";
import { installArtifact } from "./bundles.js";
import { HostCollector } from "./host-bundle.js";
import { planArtifact } from "./plan.js";
import { diagramArtifacts } from "./diagram.js";

/** Options of `Grid.synth`. */
export interface SynthOptions {
  /** Root of every derived credential. The CLI reads it from `TLOS_MASTER_SEED` or a 0600 seed file. */
  readonly masterSeed: MasterSeed;
}

/**
 * Validates the whole tree of `grid`: throws one {@link ValidationError} listing every problem;
 * returns the warnings. `validated`: the result of `grid.validate()` the caller just ran on the
 * same, unchanged tree (the Pulumi adapter validates before anything registers and synthesizes
 * once the seed resolves), so it is not run twice.
 */
export function checkGrid(grid: GridRoot, validated?: ReturnType<GridRoot["validate"]>): readonly Warning[] {
  const { problems, warnings } = validated ?? grid.validate();
  if (problems.length > 0) throw new ValidationError(problems);
  return warnings;
}

/**
 * Who writes each path, kept by a sink that records every file it is handed (the output writer
 * does): renderGrid then asks it instead of keeping a second table of 150k paths at 10k nodes.
 */
export interface PathOwners {
  /** The construct of the file already handed over at `path`; undefined when there is none. */
  ownerOf(path: string): string | undefined;
}

/**
 * Renders every artifact of a grid that {@link checkGrid} passed, handing each file to `emit` once,
 * in the order they are made (not sorted). The big files made in pieces (the diagrams) go to
 * `stream` when one is given, else whole to `emit`. Two files at one path are a
 * {@link ValidationError} thrown after the walk, naming both constructs. `owners`: the sink's
 * table of who writes each path (every file must reach it before the next is made), else one of
 * its own.
 */
export function renderGrid(grid: GridRoot, opts: SynthOptions, emit: (f: Artifact) => void, stream?: (f: StreamedArtifact) => void, owners?: PathOwners): void {
  const own = owners ? undefined : new Map<string, string>();
  const ownerOf = owners ? (p: string) => owners.ownerOf(p) : (p: string) => own!.get(p);
  const clashes: Problem[] = [];
  const admit = (f: Omit<Artifact, "content">): boolean => {
    const prev = ownerOf(f.path);
    if (prev !== undefined) {
      clashes.push({ path: f.construct, field: "id", message: `writes ${f.path}, which ${prev} writes too: give one of them another id` });
      return false;
    }
    if (f.secret !== isSecretPath(f.path)) {
      throw new Error(`internal: ${f.path} secret=${f.secret} must live ${f.secret ? "under" : "outside"} secrets/`);
    }
    own?.set(f.path, f.construct);
    return true;
  };
  const add = (f: Artifact) => {
    if (admit(f)) emit(f);
  };
  const addStreamed = (f: StreamedArtifact) => {
    if (!admit(f)) return;
    if (stream) stream(f);
    else emit(wholeArtifact(f));
  };
  const root = grid.node.path;
  const hosts = new HostCollector((f) => add({ ...f, construct: root }));
  const last: (() => void)[] = [];
  for (const c of grid.node.findAll()) {
    if (!isSynthesizable(c)) continue;
    const at = c.node.path; // once: every file of the construct shares the string
    const ctx: SynthContext = { seed: opts.masterSeed, issuedAt: grid.issuedAt, add: (f) => add({ ...f, construct: at }), host: (h, role, items, phase) => hosts.add(h, role, items, phase), step: (st) => hosts.step(st) };
    c._synthesize(ctx);
    if (c._synthesizeLast) last.push(() => c._synthesizeLast?.(ctx));
  }
  for (const run of last) run();
  const bundles = hosts.bundles();
  for (const b of bundles) add({ ...installArtifact(b), construct: root });
  add({ ...planArtifact(root, bundles, hosts.steps()), construct: root });
  for (const f of diagramArtifacts(grid)) addStreamed({ ...f, construct: root });
  if (clashes.length > 0) throw new ValidationError(clashes);
}

/**
 * Validates the whole tree of `grid` and renders every artifact in memory. Throws one
 * {@link ValidationError} listing every problem; writes nothing. `validated`: as for {@link checkGrid}.
 */
export function synthesize(grid: GridRoot, opts: SynthOptions, validated?: ReturnType<GridRoot["validate"]>): SynthResult {
  const warnings = checkGrid(grid, validated);
  const files: Artifact[] = [];
  renderGrid(grid, opts, (f) => files.push(f));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings };
}
