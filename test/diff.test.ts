/** tlos diff: a PR comment of what a change does to the artifacts, secrets never shown. */
import { readFileSync, renameSync, symlinkSync, writeFileSync } from "node:fs";
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
    expect(md).toContain("+ <code>secrets/lattice/nodes/new-1/leaf.creds</code> (secret)");
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

  it("reads only files inside both folders and takes secrecy from the secrets/ path as well as the flag", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "hostname"), "OUTSIDE-SECRET");
    writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(smallGrid({ "home-1": { resources: { memory: "2Gi" } } }).synth({ masterSeed: SEED }), join(dir, "b"));
    const edit = (folder: string, change: (m: { files: { path: string; secret: boolean; sha256: string }[] }) => void) => {
      const p = join(dir, folder, "manifest.json");
      const m = JSON.parse(readFileSync(p, "utf8"));
      change(m);
      writeFileSync(p, JSON.stringify(m));
    };
    // a path climbing out of the folder: the manifest is corrupt, nothing is read
    edit("b", (m) => m.files.push({ path: "../../../../../../../hostname", secret: false, sha256: "x" }));
    expect(() => diffMarkdown(join(dir, "a"), join(dir, "b"))).toThrow(/manifest\.json is corrupt: it lists paths outside the output folder/);
    edit("b", (m) => m.files.pop());
    // a secret file marked secret: false, and a file replaced by a link leading outside
    edit("b", (m) => {
      for (const f of m.files) if (f.path.startsWith("secrets/")) { f.secret = false; f.sha256 = "changed"; }
    });
    const md = diffMarkdown(join(dir, "a"), join(dir, "b"));
    expect(md).not.toContain("BEGIN NATS USER JWT");
    expect(md).not.toMatch(/SU[A-Z2-7]{56}/);
    expect(md).toContain("~ <code>secrets/lattice/nodes/home-1/leaf.creds</code> (secret)");
    const unit = "lattice/nodes/home-1/quadlet/home-1-wasmcloud.container";
    renameSync(join(dir, "b", unit), join(dir, "b", `${unit}.moved`));
    symlinkSync(join(dir, "hostname"), join(dir, "b", unit));
    expect(() => diffMarkdown(join(dir, "a"), join(dir, "b"))).toThrow(/leads outside .* tlos diff reads only files inside the output folders/);
  });
});
