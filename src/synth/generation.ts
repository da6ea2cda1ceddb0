/**
 * The files of a new output generation, written as they come: every folder made once (0700 in a
 * `secrets/` tree, else 0755), every file created exclusively (`wx`) with its final mode and
 * hashed from the very bytes written. Only each file's manifest entry is kept, so a streaming
 * synth holds no file's content after it is written. The first files are written on the calling
 * thread; past `threadAfter` of them the rest go to a writer thread (write-thread.ts), so a big
 * synth renders while its files are written.
 */
import { createHash } from "node:crypto";
import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { TlosError } from "../core/errors.js";
import type { Artifact, StreamedArtifact } from "./artifact.js";
import { manifestEntry, sha256, type ManifestEntry, type ManifestEntryDraft } from "./manifest.js";
import { inSecretsFolder, newPathProblem, unsafePaths } from "./out-paths.js";
import { FileThread } from "./write-thread.js";

function modeOf(f: { secret: boolean; executable?: boolean }): number {
  return f.secret ? 0o600 : f.executable ? 0o755 : 0o644;
}

/** A folder's value in the path table (a file's is the construct that writes it). */
const FOLDER = 0;

/** How a generation is written. */
export interface GenerationOptions {
  /**
   * Files written on the calling thread before a writer thread takes the rest (a thread costs a
   * few milliseconds to start: a small synth does not need one).
   * @default 512
   */
  readonly threadAfter?: number;
}

export class GenerationWriter {
  /**
   * Every path written so far: `FOLDER`, or the construct path of the file's writer (one lookup
   * tells both; renderGrid asks it for a clash's first owner through {@link ownerOf}).
   */
  private readonly kinds = new Map<string, string | typeof FOLDER>();
  private readonly entries: ManifestEntryDraft[] = [];
  private readonly bad: string[] = [];
  private readonly clash: string[] = [];
  private readonly threadAfter: number;
  private thread: FileThread | undefined;
  /** Index in `entries` of the first file the thread writes. */
  private firstThreaded = 0;

  /** `gen`: the fresh, empty folder of the new generation. */
  constructor(private readonly gen: string, opts: GenerationOptions = {}) {
    this.threadAfter = opts.threadAfter ?? 512;
  }

  /** Writes `f` (an unsafe path is recorded and reported by {@link finish}, never written). */
  add(f: Artifact): void {
    if (!this.admit(f)) return;
    if (this.thread) {
      this.thread.check();
      this.thread.file(f.path, modeOf(f), f.content);
      this.entries.push(manifestEntry(f, ""));
      return;
    }
    const bytes = Buffer.from(f.content, "utf8");
    writeFileSync(join(this.gen, f.path), bytes, { mode: modeOf(f), flag: "wx" });
    this.written(manifestEntry(f, sha256(bytes)));
  }

  /** Writes `f` piece by piece as it renders, as {@link add} does a whole file. */
  addStreamed(f: StreamedArtifact): void {
    if (!this.admit(f)) return;
    const thread = this.thread;
    if (thread) {
      thread.check();
      thread.open(f.path, modeOf(f));
      try {
        f.write((c) => thread.data(c));
      } catch (e) {
        this.refuse(`internal: ${f.path} failed midway`); // the commit refuses a half-written file
        throw e;
      } finally {
        thread.close(); // one digest per entry, in order, even for a failed file
        this.entries.push(manifestEntry(f, ""));
      }
      return;
    }
    const hash = createHash("sha256");
    const fd = openSync(join(this.gen, f.path), "wx", modeOf(f));
    try {
      f.write((c) => {
        const bytes = Buffer.from(c, "utf8");
        for (let o = 0; o < bytes.length; ) o += writeSync(fd, bytes, o);
        hash.update(bytes);
      });
    } catch (e) {
      this.refuse(`internal: ${f.path} failed midway`); // the commit refuses a half-written file
      throw e;
    } finally {
      closeSync(fd);
    }
    this.written(manifestEntry(f, hash.digest("hex")));
  }

  /** Records a file written on this thread; past `threadAfter` of them, starts the writer thread. */
  private written(e: ManifestEntryDraft): void {
    this.entries.push(e);
    if (this.entries.length >= this.threadAfter) {
      this.thread = new FileThread(this.gen);
      this.firstThreaded = this.entries.length;
    }
  }

  /** Checks `f`'s path and makes the folders it needs; false when it is not to be written. */
  private admit(f: { path: string; secret: boolean; construct: string }): boolean {
    const why = newPathProblem(f);
    if (why) {
      this.bad.push(why);
      if (!this.kinds.has(f.path)) this.kinds.set(f.path, f.construct); // a second file there is a clash, as for any path
      return false;
    }
    const was = this.kinds.get(f.path);
    if (typeof was === "string") return this.refuse(`internal: two files at ${f.path}`);
    if (was === FOLDER) return this.refuse(`internal: ${f.path} is both a file and a folder of the output`);
    // the usual case: the file's folder is made already, so are all above it (and none is a file)
    const last = f.path.lastIndexOf("/");
    if (last < 0 || this.kinds.get(f.path.slice(0, last)) === FOLDER) {
      this.kinds.set(f.path, f.construct);
      return true;
    }
    for (let i = f.path.indexOf("/"); i >= 0; i = f.path.indexOf("/", i + 1)) {
      const d = f.path.slice(0, i);
      const k = this.kinds.get(d);
      if (typeof k === "string") return this.refuse(`internal: ${d} is both a file and a folder of the output`);
      if (k === FOLDER) continue;
      const mode = inSecretsFolder(`${d}/x`) ? 0o700 : 0o755;
      if (this.thread) this.thread.mkdir(d, mode);
      else mkdirSync(join(this.gen, d), { mode });
      this.kinds.set(d, FOLDER);
    }
    this.kinds.set(f.path, f.construct);
    return true;
  }

  private refuse(why: string): false {
    this.clash.push(why);
    return false;
  }

  /**
   * Waits for every write; the manifest entries of every file written (unsorted). Throws when a
   * file could not be written (an errno error, as the write threw it) or may not be.
   */
  finish(): ManifestEntry[] {
    if (this.bad.length > 0) throw unsafePaths(this.bad);
    if (this.clash.length > 0) throw new TlosError(this.clash[0]!);
    if (this.thread) {
      const digests = this.thread.finish();
      const d = Buffer.from(digests.buffer, digests.byteOffset, digests.byteLength);
      for (let i = this.firstThreaded, k = 0; i < this.entries.length; i++, k += 32) this.entries[i]!.sha256 = d.toString("hex", k, k + 32);
    }
    return this.entries;
  }

  /** Stops writing (for an abort): when this returns, nothing more is written into the generation. */
  stop(): void {
    this.thread?.stop();
  }

  /** The construct that wrote the file at `path` (also one refused for an unsafe path); undefined for none or a folder. */
  ownerOf(path: string): string | undefined {
    const k = this.kinds.get(path);
    return typeof k === "string" ? k : undefined;
  }

  /** What the generation has at `path`: a file, a folder, or nothing (undefined). */
  kindOf(path: string): "file" | "dir" | undefined {
    const k = this.kinds.get(path);
    return k === undefined ? undefined : typeof k === "string" ? "file" : "dir";
  }
}
