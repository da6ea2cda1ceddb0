/** `manifest.json`: every file of a synth with its sha256, kind, target, construct and secret flag. */
import { createHash } from "node:crypto";
import type { Warning } from "../core/construct.js";
import type { Artifact, ArtifactKind, ArtifactTarget } from "./artifact.js";

export interface ManifestEntry {
  readonly path: string;
  readonly sha256: string;
  readonly kind: ArtifactKind;
  readonly target: ArtifactTarget;
  readonly construct: string;
  readonly secret: boolean;
  /** Quadlet units: the Podman version they target. */
  readonly podmanVersion?: string;
  /** Akash SDLs: the worst-case monthly cost. */
  readonly cost?: import("../core/artifact.js").MonthlyCost;
}

export interface Manifest {
  readonly generator: "@tlos/grid";
  readonly manifestVersion: 1;
  readonly files: readonly ManifestEntry[];
  readonly warnings: readonly Warning[];
}

export const MANIFEST_FILE = "manifest.json";

export function sha256(content: string): string {
  return createHash("sha256").update(content).digest("hex");
}

export function buildManifest(files: readonly Artifact[], warnings: readonly Warning[]): Manifest {
  return {
    generator: "@tlos/grid",
    manifestVersion: 1,
    files: files.map((f) => ({ path: f.path, sha256: sha256(f.content), kind: f.kind, target: f.target, construct: f.construct, secret: f.secret, ...(f.podmanVersion ? { podmanVersion: f.podmanVersion } : {}), ...(f.cost ? { cost: f.cost } : {}) })),
    warnings: [...warnings].sort((a, b) => (a.path + a.field < b.path + b.field ? -1 : 1)),
  };
}

export function renderManifest(m: Manifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}
