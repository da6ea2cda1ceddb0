/** `PLAN.md`: the bring-up plan of a grid. */
import type { NewArtifact } from "../synth/artifact.js";
import type { HostBundle } from "../synth/host-bundle.js";
import type { Grid } from "./grid.js";

export function planArtifacts(_grid: Grid, _bundles: readonly HostBundle[]): NewArtifact[] {
  return [];
}
