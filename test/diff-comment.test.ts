/**
 * The `tlos diff` pull-request comment: always under GitHub's 65,536-character limit (the full
 * grid's first synth is several times that), a summary first with the Akash cost before → after,
 * `---`/`+++` headers, large diffs folded, a truncation note naming what was left out, a warning
 * when the two sides come from different master seeds, hostile manifest strings escaped, and the
 * same bytes for the same input.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { diffMarkdown } from "../src/synth/diff.js";
import { GITHUB_COMMENT_LIMIT, renderDiffComment, type FileChange } from "../src/synth/diff-comment.js";
import { OTHER_SEED, SEED, tempDir } from "./helpers.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const KERNEL = `ghcr.io/the-last-os/kernel:0.1.0@sha256:${"7".repeat(64)}`;

/** A lattice with one podman node and one Akash node at the given price per block. */
function akashGrid(amount: number, memory = "1Gi"): Grid {
  const g = new Grid("g");
  const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
  new TlosNode(l, "home-1", { target: "podman", resources: { memory } });
  new TlosNode(l, "cloud-1", { target: "akash", akash: { pricing: { denom: "uact", amount }, kernel: { image: KERNEL, cpu: 2, memory: "4Gi", storage: "20Gi" } } });
  return g;
}

function emptyOutput(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ generator: "@tlos/grid", manifestVersion: 1, files: [], warnings: [] }));
  return dir;
}

describe("the tlos diff comment", () => {
  it("stays under GitHub's limit for the full grid's first synth, summary and cost first, the rest named in a truncation note, same bytes twice", async () => {
    const grid = (await import("../examples/full-grid/grid.js")).default as Grid;
    const after = join(tempDir(), "pr");
    writeOutput(grid.synth({ masterSeed: SEED }), after);
    const before = emptyOutput();
    const md = diffMarkdown(before, after);
    expect(md.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
    const lines = md.split("\n");
    expect(lines[0]).toBe("<!-- tlos-diff -->");
    expect(lines[3]).toMatch(/^\*\*0 changed, \d+ added, 0 removed\*\* \(0 unchanged\) in \d+ target\(s\) and \d+ construct\(s\)$/);
    expect(md).toContain("**Akash worst-case cost:** 0.00 → 15759.81 ACT/month (+15759.81)");
    expect(md).toMatch(/\| akash \| `tlos\/lattice\/kimi` \| 0 \| \d+ \| 0 \|/);
    expect(md).toMatch(/> \*\*Truncated\*\* to stay under GitHub's 65,536-character comment limit: \d+ more file diff\(s\) not shown: `/);
    // added files diff against /dev/null; long ones are folded, short ones open
    expect(md).toMatch(/^--- \/dev\/null$/m);
    expect(md).toMatch(/^\+\+\+ b\/PLAN\.md$/m);
    expect(md).toMatch(/<details><summary>\+ <code>[^<]+<\/code> \([a-z]+, <code>[^<]+<\/code>\) — \d+ lines<\/summary>/);
    expect(md).toMatch(/<details open><summary>/);
    expect(md).not.toMatch(/SU[A-Z2-7]{56}/);
    expect(diffMarkdown(before, after)).toBe(md);
  });

  it("shows one node's memory change as one open diff with both headers, and a price change as the cost before → after", () => {
    const dir = tempDir();
    writeOutput(akashGrid(2_000).synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(akashGrid(3_000, "2Gi").synth({ masterSeed: SEED }), join(dir, "b"));
    const md = diffMarkdown(join(dir, "a"), join(dir, "b"));
    expect(md).toContain("**Akash worst-case cost:** 1703.76 → 2129.71 ACT/month (+425.95)");
    expect(md).toMatch(/^--- a\/lattice\/nodes\/home-1\/quadlet\/home-1-wasmcloud\.container$/m);
    expect(md).toMatch(/^\+\+\+ b\/lattice\/nodes\/home-1\/quadlet\/home-1-wasmcloud\.container$/m);
    expect(md).toMatch(/<details open><summary>~ <code>lattice\/nodes\/home-1\/quadlet\/home-1-wasmcloud\.container<\/code> \(podman, <code>g\/lattice\/home-1<\/code>\)/);
    expect(md).not.toContain("Truncated");
    expect(md).not.toContain("different master seeds");
  });

  it("warns when the two sides were synthesized with different master seeds", () => {
    const dir = tempDir();
    writeOutput(akashGrid(2_000).synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(akashGrid(2_000).synth({ masterSeed: OTHER_SEED }), join(dir, "b"));
    expect(diffMarkdown(join(dir, "a"), join(dir, "b"))).toContain("> The two sides share no NATS operator or account key: they were most likely synthesized with **different master seeds**");
  });

  it("fits any budget: one huge diff is cut, then blocks are left out with a note; the summary is never cut off midway", () => {
    const entry = (path: string) => ({ path, sha256: "x", kind: "quadlet-unit", target: "podman", construct: "g/l/n", secret: false }) as FileChange["entry"];
    const big: FileChange = { change: "added", entry: entry("big.container"), patch: ["--- /dev/null", "+++ b/big.container", ...Array.from({ length: 5000 }, (_, i) => `+line ${i} ${"x".repeat(60)}`)] };
    const small = (n: number): FileChange => ({ change: "changed", entry: entry(`small-${n}.conf`), patch: ["--- a/s", "+++ b/s", "@@ -1 +1 @@", "-a", "+b"] });
    const input = { files: [big, ...Array.from({ length: 30 }, (_, i) => small(i))], unchanged: 0, costBefore: {}, costAfter: {}, differentSeeds: false };
    for (const max of [3_000, 10_000, 30_000, GITHUB_COMMENT_LIMIT]) {
      const md = renderDiffComment(input, { maxChars: max });
      expect(md.length).toBeLessThanOrEqual(max);
      expect(md).toContain("**30 changed, 1 added, 0 removed**");
    }
    const md = renderDiffComment(input);
    expect(md).toMatch(/… 4602 more lines not shown/);
    expect(md).toContain("<code>small-29.conf</code>");
    const tight = renderDiffComment(input, { maxChars: 3_000 });
    expect(tight).toMatch(/Truncated.*\d+ more file diff\(s\) not shown: `/);
  });

  it("escapes hostile strings of an edited manifest: no HTML, no broken table, no fence escape", () => {
    const dir = tempDir();
    writeOutput(akashGrid(2_000).synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(akashGrid(2_000, "2Gi").synth({ masterSeed: SEED }), join(dir, "b"));
    const p = join(dir, "b", "manifest.json");
    const m = JSON.parse(readFileSync(p, "utf8"));
    for (const f of m.files) if (f.path.endsWith("home-1-wasmcloud.container")) Object.assign(f, { target: "</details><img src=x onerror=alert(1)>", construct: "a|b`c\n# heading" });
    writeFileSync(p, JSON.stringify(m));
    mkdirSync(join(dir, "b", "extra"), { recursive: true });
    const md = diffMarkdown(join(dir, "a"), join(dir, "b"));
    expect(md).not.toContain("<img");
    expect(md).not.toContain("\n# heading");
    expect(md).toContain("_/details__img src=x onerror=alert(1)_");
    expect(md).toContain("a_b_c # heading");
  });
});
