/**
 * The files of a new output generation, written as they come: every folder made once (0700 in a
 * `secrets/` tree, else 0755), every file created exclusively (`wx`) with its final mode and
 * hashed from the very bytes written. Only each file's manifest entry is kept, so a streaming
 * synth holds no file's content after it is written.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TlosError } from "../core/errors.js";
import type { Artifact } from "./artifact.js";
import { manifestEntry, sha256, type ManifestEntry } from "./manifest.js";
import { inSecretsFolder, newPathProblem, unsafePaths } from "./out-paths.js";

function modeOf(f: { secret: boolean; executable?: boolean }): number {
  return f.secret ? 0o600 : f.executable ? 0o755 : 0o644;
}

export class GenerationWriter {
  private readonly dirs = new Set<string>();
  private readonly files = new Set<string>();
  private readonly entries: ManifestEntry[] = [];
  private readonly bad: string[] = [];
  private readonly clash: string[] = [];

  /** `gen`: the fresh, empty folder of the new generation. */
  constructor(private readonly gen: string) {}

  /** Writes `f` (an unsafe path is recorded and reported by {@link finish}, never written). */
  add(f: Artifact): void {
    const why = newPathProblem(f);
    if (why) {
      this.bad.push(why);
      return;
    }
    if (this.files.has(f.path)) return void this.clash.push(`internal: two files at ${f.path}`);
    if (this.dirs.has(f.path)) return void this.clash.push(`internal: ${f.path} is both a file and a folder of the output`);
    for (let i = f.path.indexOf("/"); i >= 0; i = f.path.indexOf("/", i + 1)) {
      const d = f.path.slice(0, i);
      if (this.files.has(d)) return void this.clash.push(`internal: ${d} is both a file and a folder of the output`);
      if (this.dirs.has(d)) continue;
      mkdirSync(join(this.gen, d), { mode: inSecretsFolder(`${d}/x`) ? 0o700 : 0o755 });
      this.dirs.add(d);
    }
    this.files.add(f.path);
    const bytes = Buffer.from(f.content, "utf8");
    writeFileSync(join(this.gen, f.path), bytes, { mode: modeOf(f), flag: "wx" });
    this.entries.push(manifestEntry(f, sha256(bytes)));
  }

  /** The manifest entries of every file written (unsorted); throws when a file could not be. */
  finish(): ManifestEntry[] {
    if (this.bad.length > 0) throw unsafePaths(this.bad);
    if (this.clash.length > 0) throw new TlosError(this.clash[0]!);
    return this.entries;
  }

  /** Every path written so far. */
  paths(): string[] {
    return [...this.files];
  }
}
