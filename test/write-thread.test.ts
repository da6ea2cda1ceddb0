/**
 * The writer thread (src/synth/write-thread.ts) that writes a big output while the synth renders:
 * the same bytes, modes, folders and manifest as the synchronous writer; a failure on the thread
 * (the generation removed under it, a link planted in it) is the same one-line error at `commit`,
 * leaves the old output exactly as it was and writes nothing through the link; an abort stops the
 * thread before the generation is removed.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { openOutput, writeOutput, type Grid } from "../src/index.js";
import type { SynthResult } from "../src/synth/artifact.js";
import { SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

/** Every entry under `dir` (through the output link): relative path → mode and bytes (hex). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      const mode = (lstatSync(p).mode & 0o777).toString(8);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = mode;
        walk(p);
      } else out[relative(dir, p)] = `${mode} ${readFileSync(p).toString("hex")}`;
    }
  };
  walk(dir);
  return out;
}

/** `result` written through `openOutput` with the thread taking over after `threadAfter` files. */
function writeThreaded(result: SynthResult, out: string, threadAfter: number, before?: (gen: string, i: number) => void) {
  const w = openOutput(out, { threadAfter });
  const state = join(out, "..", `.${out.split("/").pop()}.tlos`);
  const gen = join(state, readdirSync(state).filter((n) => n.startsWith("gen-")).find((n) => !existsSync(join(state, n, "manifest.json")))!);
  try {
    result.files.forEach((f, i) => {
      before?.(gen, i);
      w.add(f);
    });
  } catch (e) {
    w.abort();
    throw e;
  }
  return w.commit(result.warnings);
}

const full = async () => ((await import("../examples/full-grid/grid.js")).default as Grid).synth({ masterSeed: SEED });

describe("the writer thread", () => {
  it("writes the same bytes, modes, folders and manifest as the synchronous writer, from the first file or midway", async () => {
    const dir = tempDir();
    const result = await full();
    const sync = writeOutput(result, join(dir, "sync"));
    const expected = tree(join(dir, "sync"));
    expect(Object.keys(expected).length).toBeGreaterThan(100);
    for (const after of [0, 7]) {
      const out = join(dir, `thread-${after}`);
      const r = writeThreaded(result, out, after);
      expect(tree(out)).toEqual(expected);
      expect(r.manifest).toEqual(sync.manifest);
      // over itself: every file unchanged, one generation left
      expect(writeThreaded(result, out, after).written).toBe(0);
      expect(readdirSync(join(dir, `.thread-${after}.tlos`))).toHaveLength(1);
    }
  }, 60_000);

  it("a write that fails on the thread is the one-line error at commit; the old output stays as it was", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const result = smallGrid({ "home-1": {}, "home-2": {} }).synth({ masterSeed: SEED });
    writeOutput(result, out);
    const before = tree(out);
    // the generation folder disappears under the thread midway
    expect(() => writeThreaded(result, out, 0, (gen, i) => i === 20 && rmSync(gen, { recursive: true, force: true }))).toThrow(/^cannot write the output into .*\.out\.tlos\/gen-\w+: (it does not exist|a part of the path is a file, not a folder) \((ENOENT|ENOTDIR)\)$/);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(join(dir, ".out.tlos"))).toHaveLength(1);
  });

  it("a link planted in the new generation is never written through (exclusive create), and the synth fails cleanly", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const target = join(dir, "target");
    writeFileSync(target, "untouched\n");
    const result = smallGrid().synth({ masterSeed: SEED });
    expect(() => writeThreaded(result, out, 0, (gen, i) => i === 0 && symlinkSync(target, join(gen, "PLAN.md")))).toThrow(/^cannot write the output into .*: it already exists \(EEXIST\)$/);
    expect(readFileSync(target, "utf8")).toBe("untouched\n");
    // a first synth that failed leaves nothing behind
    expect(readdirSync(dir)).toEqual(["target"]);
  });

  it("an abort stops the thread before the generation goes: nothing is written after it", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const result = smallGrid({ "home-1": {}, "home-2": {}, "home-3": {} }).synth({ masterSeed: SEED });
    const w = openOutput(out, { threadAfter: 0 });
    for (const f of result.files) w.add(f);
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("files handed over in pieces", () => {
  const pieces = ["", "a line\n", "ünïcödé ✓ 🙂\n", "x".repeat(70_000), "", "\nend\n"];
  const whole = pieces.join("");
  for (const threadAfter of [0, 512]) {
    it(`are written byte for byte and hashed as one (${threadAfter === 0 ? "on the writer thread" : "on the calling thread"})`, () => {
      const dir = tempDir();
      const out = join(dir, "out");
      const w = openOutput(out, { threadAfter });
      w.addStreamed({ path: "diagram/big.txt", kind: "diagram", target: "grid", construct: "test", secret: false, write: (put) => pieces.forEach(put) });
      w.add({ path: "after.txt", content: "after\n", kind: "plan", target: "grid", construct: "test", secret: false });
      const r = w.commit([]);
      expect(readFileSync(join(out, "diagram/big.txt"), "utf8")).toBe(whole);
      expect((lstatSync(join(out, "diagram/big.txt")).mode & 0o777).toString(8)).toBe("644");
      expect(r.manifest.files.find((f) => f.path === "diagram/big.txt")!.sha256).toBe(createHash("sha256").update(whole).digest("hex"));
      expect(readFileSync(join(out, "after.txt"), "utf8")).toBe("after\n");
    });
  }

  it("a render that fails midway leaves nothing behind", () => {
    const dir = tempDir();
    const w = openOutput(join(dir, "out"), { threadAfter: 0 });
    w.addStreamed({ path: "half.txt", kind: "diagram", target: "grid", construct: "test", secret: false, write: (put) => put("half") });
    expect(() => w.addStreamed({ path: "broken.txt", kind: "diagram", target: "grid", construct: "test", secret: false, write: (put) => {
      put("begun");
      throw new Error("render failed");
    } })).toThrow("render failed");
    w.abort();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe("a piece-wise file that failed midway", () => {
  for (const threadAfter of [0, 512]) {
    it(`is never committed, even when the caller goes on (${threadAfter === 0 ? "writer thread" : "calling thread"})`, () => {
      const dir = tempDir();
      const w = openOutput(join(dir, "out"), { threadAfter });
      expect(() => w.addStreamed({ path: "broken.txt", kind: "diagram", target: "grid", construct: "test", secret: false, write: (put) => {
        put("begun");
        throw new Error("render failed");
      } })).toThrow("render failed");
      w.add({ path: "after.txt", content: "after\n", kind: "plan", target: "grid", construct: "test", secret: false });
      expect(() => w.commit([])).toThrow("internal: broken.txt failed midway");
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it("ownerOf tells the construct of each file added so far, and nothing for a folder or a path not written", () => {
    const dir = tempDir();
    for (const threadAfter of [0, 512]) {
      const w = openOutput(join(dir, `out-${threadAfter}`), { threadAfter });
      w.add({ path: "a/b/c.txt", content: "x", kind: "plan", target: "grid", construct: "g/n1", secret: false });
      expect(w.ownerOf("a/b/c.txt")).toBe("g/n1");
      expect(w.ownerOf("a/b")).toBeUndefined();
      expect(w.ownerOf("a/b/d.txt")).toBeUndefined();
      w.abort();
    }
  });
});
