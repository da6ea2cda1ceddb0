/**
 * The synth: validates the tree, walks it, lets every construct add its files and host items, then
 * adds the per-machine bundles and the bring-up plan. Everything stays in memory (`writeOutput`
 * writes it and its manifest).
 */
import { isSynthesizable, type Artifact } from "../core/artifact.js";
import { ValidationError, type Problem } from "../core/errors.js";
import { isSecretPath } from "../core/layout.js";
import type { MasterSeed } from "../core/seed.js";
import type { GridRoot } from "../constructs/grid.js";
import type { SynthResult } from "./artifact.js";
import { bundleArtifacts } from "./bundles.js";
import { HostCollector } from "./host-bundle.js";
import { planArtifact } from "./plan.js";
import { diagramArtifacts } from "./diagram.js";

/** Options of `Grid.synth`. */
export interface SynthOptions {
  /** Root of every derived credential. The CLI reads it from `TLOS_MASTER_SEED` or a 0600 seed file. */
  readonly masterSeed: MasterSeed;
}

/**
 * Validates the whole tree of `grid` and renders every artifact in memory. Throws one
 * {@link ValidationError} listing every problem; writes nothing. `validated`: the result of
 * `grid.validate()` the caller just ran on the same, unchanged tree (the Pulumi adapter validates
 * before anything registers and synthesizes once the seed resolves), so it is not run twice.
 */
export function synthesize(grid: GridRoot, opts: SynthOptions, validated?: ReturnType<GridRoot["validate"]>): SynthResult {
  const { problems, warnings } = validated ?? grid.validate();
  if (problems.length > 0) throw new ValidationError(problems);
  const files = new Map<string, Artifact>();
  const clashes: Problem[] = [];
  const add = (f: Artifact) => {
    const prev = files.get(f.path);
    if (prev) {
      clashes.push({ path: f.construct, field: "id", message: `writes ${f.path}, which ${prev.construct} writes too: give one of them another id` });
      return;
    }
    if (f.secret !== isSecretPath(f.path)) {
      throw new Error(`internal: ${f.path} secret=${f.secret} must live ${f.secret ? "under" : "outside"} secrets/`);
    }
    files.set(f.path, f);
  };
  const hosts = new HostCollector();
  for (const c of grid.node.findAll()) {
    if (isSynthesizable(c)) c._synthesize({ seed: opts.masterSeed, issuedAt: grid.issuedAt, add: (f) => add({ ...f, construct: c.node.path }), host: (h, role, items, phase) => hosts.add(h, role, items, phase), step: (st) => hosts.step(st) });
  }
  const bundles = hosts.bundles();
  for (const f of bundleArtifacts(bundles)) add({ ...f, construct: grid.node.path });
  add({ ...planArtifact(grid.node.path, bundles, hosts.steps()), construct: grid.node.path });
  for (const f of diagramArtifacts(grid)) add({ ...f, construct: grid.node.path });
  if (clashes.length > 0) throw new ValidationError(clashes);
  const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files: sorted, warnings };
}
