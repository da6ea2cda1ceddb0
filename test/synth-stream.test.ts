/**
 * The streaming synth (`synthToOutput`, the CLI's path) against the in-memory one
 * (`writeOutput(grid.synth())`): the same bytes, modes and manifest, and the same all-or-nothing
 * output when the synth fails midway, after files were already written into the new generation.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { Grid, synthToOutput, ValidationError, writeOutput } from "../src/index.js";
import type { SynthContext } from "../src/synth/artifact.js";
import { buildManifest, renderManifest, writeManifestFile } from "../src/synth/manifest.js";
import { firstStep } from "../src/synth/plan.js";
import { SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

/** Every file under `dir` (through the output link): relative path → bytes (hex) and mode. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        out[`${relative(dir, p)}/`] = (lstatSync(p).mode & 0o777).toString(8);
        walk(p);
      } else out[relative(dir, p)] = `${(lstatSync(p).mode & 0o777).toString(8)} ${readFileSync(p).toString("hex")}`;
    }
  };
  walk(dir);
  return out;
}

/** A construct that writes `path` at synth, after the lattice's files went out: a clash with the grid's own. */
class Clash extends Construct {
  constructor(scope: Construct, id: string, private readonly path: string) {
    super(scope, id);
  }
  _synthesize(ctx: SynthContext): void {
    ctx.add({ path: this.path, content: "mine\n", kind: "plan", target: "grid", secret: false });
  }
}

describe("synth straight to disk", () => {
  for (const [name, load] of [
    ["full-grid", async () => (await import("../examples/full-grid/grid.js")).default as Grid],
    ["a small grid", async () => smallGrid({ "home-1": {}, "home-2": { podman: { version: "5.0" } } }, "v1")],
  ] as const) {
    it(`${name}: writes the same bytes, modes, folders and manifest as writeOutput of the in-memory synth`, async () => {
      const dir = tempDir();
      const memory = writeOutput((await load()).synth({ masterSeed: SEED }), join(dir, "memory"));
      const streamed = synthToOutput(await load(), { masterSeed: SEED }, join(dir, "streamed"));
      const a = tree(join(dir, "memory")), b = tree(join(dir, "streamed"));
      expect(Object.keys(a).length).toBeGreaterThan(40);
      expect(b).toEqual(a);
      expect(streamed.report.manifest).toEqual(memory.manifest);
      expect(streamed.files.map((f) => f.path)).toEqual(memory.manifest.files.map((f) => f.path));
      expect(streamed.firstStep).toBe(firstStep(readFileSync(join(dir, "streamed", "PLAN.md"), "utf8")));
      expect(streamed.firstStep).toMatch(/^1\. /);
      // and again over itself: nothing changed, nothing left behind but the one generation
      const again = synthToOutput(await load(), { masterSeed: SEED }, join(dir, "streamed"));
      expect(again.report.written).toBe(0);
      expect(tree(join(dir, "streamed"))).toEqual(a);
      expect(readdirSync(join(dir, ".streamed.tlos"))).toHaveLength(1);
    }, 60_000);
  }

  it("writes the manifest in chunks byte for byte as one JSON.stringify would (empty lists, costs, warnings)", async () => {
    const dir = tempDir();
    const result = ((await import("../examples/full-grid/grid.js")).default as Grid).synth({ masterSeed: SEED });
    expect(result.files.some((f) => f.cost)).toBe(true);
    expect(result.warnings.length).toBeGreaterThan(0);
    for (const m of [buildManifest(result.files, result.warnings), buildManifest([], []), buildManifest(result.files.slice(0, 1), [{ path: "a", field: "b", message: "c" }])]) {
      const file = join(dir, `m-${m.files.length}-${m.warnings.length}.json`);
      writeManifestFile(file, m);
      expect(readFileSync(file, "utf8")).toBe(renderManifest(m));
    }
  });

  it("writes odd entries byte for byte too: quotes, unicode, a cost beside a Podman version, a foreign key", () => {
    const dir = tempDir();
    const odd = { path: 'a/"q"\\ü 🙂.txt', sha256: "00", kind: "quadlet-unit", target: "podman", construct: "g/n-\u2028", secret: false, podmanVersion: "5.4", cost: { denom: "uakt", amountPerBlock: 1, maxPerMonth: "0.5" } };
    const foreign = { path: "b.txt", sha256: "11", kind: "plan", target: "grid", construct: "g", secret: true, extra: [1, { x: null }] };
    const swapped = { sha256: "22", path: "c.txt", kind: "plan", target: "grid", construct: "g", secret: false };
    // as a previous manifest would be read: any JSON at all
    const m: Parameters<typeof renderManifest>[0] = JSON.parse(JSON.stringify({ generator: "@tlos/grid", manifestVersion: 1, files: [odd, foreign, swapped], warnings: [] }));
    const file = join(dir, "odd.json");
    writeManifestFile(file, m);
    expect(readFileSync(file, "utf8")).toBe(renderManifest(m));
  });

  it("a clash found after files were written leaves the old output exactly as it was, and a first synth leaves nothing", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    synthToOutput(smallGrid(), { masterSeed: SEED }, out);
    const before = tree(out);
    const clashing = smallGrid();
    new Clash(clashing, "zz-clash", "PLAN.md");
    expect(() => synthToOutput(clashing, { masterSeed: SEED }, out)).toThrow(/writes PLAN\.md, which test\/zz-clash writes too/);
    expect(tree(out)).toEqual(before);
    expect(readdirSync(join(dir, ".out.tlos"))).toHaveLength(1);
    // into a new folder: no output, no state folder
    const fresh = join(dir, "fresh");
    expect(() => synthToOutput(clashing, { masterSeed: SEED }, fresh)).toThrow(ValidationError);
    expect(existsSync(fresh) || existsSync(join(dir, ".fresh.tlos"))).toBe(false);
  });

  it("an invalid grid is refused before anything is created on disk", () => {
    const dir = tempDir();
    const bad = smallGrid({ "home-1": { resources: { memory: "lots" } } });
    expect(() => synthToOutput(bad, { masterSeed: SEED }, join(dir, "nested", "out"))).toThrow(ValidationError);
    expect(readdirSync(dir)).toEqual([]);
  });
});
