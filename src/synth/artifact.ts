/** What synth produces: files in memory, each with its provenance, before anything is written. */
import type { Warning } from "../core/construct.js";
import type { Artifact } from "../core/artifact.js";

export type { Artifact, ArtifactKind, ArtifactTarget, NewArtifact, SynthContext } from "../core/artifact.js";

/** The result of a synth, all in memory. */
export interface SynthResult {
  /** Files sorted by path. */
  readonly files: readonly Artifact[];
  readonly warnings: readonly Warning[];
}
