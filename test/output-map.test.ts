/**
 * Output path → renderer, in one step: every file both examples (and a grid with a Registry) synthesize has a row in
 * src/core/output-map.ts naming a module that exists, and the README's Layout table is that map.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { Grid, Lattice, Registry, TlosNode } from "../src/index.js";
import { OUTPUT_MAP, outputMapMarkdown, outputPattern, rendererOf } from "../src/core/output-map.js";
import { SEED } from "./helpers.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const EXAMPLES = {
  "home-node": () => import("../examples/home-node/grid.js"),
  "full-grid": () => import("../examples/full-grid/grid.js"),
  // what no example declares: the grid's own registry, on a hub, pulled through by a v1 node
  registry: async () => {
    const g = new Grid("g");
    const lat = new Lattice(g, "lattice", { name: "tlos", wasmcloud: "v1", hubs: ["hub-1", "hub-2", "hub-3"].map((id) => ({ id, host: `${id}.grid.example.net` })) });
    new TlosNode(lat, "home-1", { target: "podman" });
    new Registry(lat, "oci", { host: "hub-1" });
    return { default: g };
  },
};

describe("output path → renderer", () => {
  for (const [name, load] of Object.entries(EXAMPLES)) {
    it(`${name}: every file synth writes has a row, and its renderer exists`, async () => {
      const grid = (await load()).default as Grid;
      const paths = grid.synth({ masterSeed: SEED }).files.map((f) => f.path);
      // the CLI adds secrets/.gitignore beside the files synth returns
      const unmapped = [...paths, "secrets/.gitignore"].filter((p) => rendererOf(p) === undefined);
      expect(unmapped).toEqual([]);
      for (const p of paths) for (const f of rendererOf(p)!.renderer.filter((r) => r.endsWith(".ts"))) expect(existsSync(join(ROOT, "src", f)), `${p} -> src/${f}`).toBe(true);
    });
  }

  it("names a module that exists in every row, and each row is reachable (no earlier row shadows it)", () => {
    for (const row of OUTPUT_MAP) for (const f of row.renderer.filter((r) => r.endsWith(".ts"))) expect(existsSync(join(ROOT, "src", f)), `${row.path} -> src/${f}`).toBe(true);
    const sample = (p: string) => p.replace(/<[a-z]+>/g, "x1").replace(/\*/g, "y").replace(/\/$/, "/z");
    const shadowed = OUTPUT_MAP.filter((row) => row.path !== "secrets/<path>" && rendererOf(sample(row.path)) !== row).map((r) => r.path);
    expect(shadowed).toEqual([]);
  });

  it("matches paths by segment: <name> never spans a folder, and a file row is not a folder row", () => {
    expect(outputPattern("<lattice>/account.jwt").test("a/b/account.jwt")).toBe(false);
    expect(outputPattern("<lattice>/tls/").test("lattice/tls/ca.pem")).toBe(true);
    expect(outputPattern("<lattice>/tls/").test("lattice/tls/")).toBe(false);
    expect(rendererOf("secrets/lattice/akash/kimi/deploy.yaml")?.path).toBe("<lattice>/akash/<id>/deploy.yaml");
    expect(rendererOf("unknown.txt")).toBeUndefined();
  });

  it("the README's Layout table is the map (regenerate it from outputMapMarkdown() when a row changes)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const m = /<!-- output-map:begin -->\n([\s\S]*?)<!-- output-map:end -->/.exec(readme);
    expect(m?.[1]).toBe(outputMapMarkdown());
  });
});
