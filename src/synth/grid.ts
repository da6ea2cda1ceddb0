/**
 * `Grid`: the root of a tLOS grid definition, and where a synth starts. Everything else is created
 * inside it, cdk-style: `new Lattice(grid, "lattice", {...})`, `new TlosNode(lattice, "home-1", {...})`.
 */
import { GridRoot } from "../constructs/grid.js";
import type { SynthResult } from "./artifact.js";
import { synthesize, type SynthOptions } from "./synthesize.js";

export type { GridProps } from "../constructs/grid.js";
export type { SynthOptions } from "./synthesize.js";

/** The root of a grid. */
export class Grid extends GridRoot {
  /** True for any Grid, also across two loaded copies of this library. */
  static override isGrid(x: unknown): x is Grid {
    return GridRoot.isGrid(x);
  }

  /**
   * Validates the whole tree and renders every artifact in memory. Throws one
   * `ValidationError` listing every problem; writes nothing.
   */
  synth(opts: SynthOptions): SynthResult {
    return synthesize(this, opts);
  }
}
