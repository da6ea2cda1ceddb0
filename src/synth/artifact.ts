/** What synth produces: files in memory, each with its provenance, before anything is written. */
import type { Warning } from "../core/construct.js";
import type { Artifact } from "../core/artifact.js";

export type { Artifact, ArtifactKind, ArtifactTarget, NewArtifact, SynthContext } from "../core/artifact.js";

/**
 * A file handed over in text pieces as it is rendered, so a big one (a 10k-node diagram) is
 * written without ever being one string: `write(put)` calls `put` with each piece, in order.
 */
export interface StreamedArtifact extends Omit<Artifact, "content"> {
  readonly write: (put: (chunk: string) => void) => void;
}

/** A streamed file as one string (for a synth in memory). */
export function wholeArtifact(f: StreamedArtifact): Artifact {
  const { write, ...meta } = f;
  const parts: string[] = [];
  write((c) => parts.push(c));
  return { ...meta, content: parts.join("") };
}

/** The result of a synth, all in memory. */
export interface SynthResult {
  /** Files sorted by path. */
  readonly files: readonly Artifact[];
  readonly warnings: readonly Warning[];
}
