/** tlos diff: a PR comment of what a change does to the artifacts, secrets never shown. */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeOutput } from "../src/index.js";
import { diffMarkdown, diffOutputs } from "../src/synth/diff.js";
import { SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

describe("tlos diff", () => {
  it("lists changed, added and removed files with unified diffs, and never prints secrets", () => {
    const dir = tempDir();
    writeOutput(smallGrid({ "home-1": { resources: { memory: "1Gi" } }, "old-1": {} }).synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(smallGrid({ "home-1": { resources: { memory: "2Gi" } }, "new-1": {} }).synth({ masterSeed: SEED }), join(dir, "b"));
    const d = diffOutputs(join(dir, "a"), join(dir, "b"));
    expect(d.changed.map((f) => f.path)).toContain("lattice/nodes/home-1/quadlet/home-1-wasmcloud.container");
    expect(d.added.map((f) => f.path)).toContain("lattice/nodes/new-1/quadlet/new-1.pod");
    expect(d.removed.map((f) => f.path)).toContain("lattice/nodes/old-1/quadlet/old-1.pod");
    const md = diffMarkdown(join(dir, "a"), join(dir, "b"));
    expect(md).toMatch(/\*\*\d+ changed, \d+ added, \d+ removed\*\*/);
    expect(md).toMatch(/^-PodmanArgs=.*--memory=1g$/m);
    expect(md).toMatch(/^\+PodmanArgs=.*--memory=2g$/m);
    expect(md).toContain("`secrets/lattice/nodes/new-1/leaf.creds` (secret)");
    expect(md).toContain("Secret material changed; its content is not shown.");
    expect(md).not.toMatch(/SU[A-Z2-7]{56}/);
    expect(md).not.toContain("BEGIN NATS USER JWT");
  });

  it("says when nothing changed", () => {
    const dir = tempDir();
    writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "b"));
    expect(diffMarkdown(join(dir, "a"), join(dir, "b"))).toMatch(/No artifact changes \(\d+ files\)/);
  });
});
