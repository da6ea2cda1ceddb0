/**
 * How `tlos synth` loads a TypeScript program (src/cli/load.ts, program-bundle.ts): bundled in
 * this thread by esbuild, with no loader hooks. A program spread over files and folders keeps
 * each file's `import.meta.url` and `__dirname`, a `.cts` can `require`, a TypeScript package in
 * node_modules is bundled, `@tlos/grid` is the very module the caller holds (one copy of the
 * library), and a broken program is one line naming the file, line and column.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { loadGrid } from "../src/cli/load.js";
import { pinFileMeta } from "../src/cli/program-bundle.js";
import { tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** A consumer project whose `@tlos/grid` is this repository's built package (dist-lib). */
function project(files: Record<string, string>): string {
  const dir = tempDir("tlos-load-");
  mkdirSync(join(dir, "node_modules/@tlos"), { recursive: true });
  symlinkSync(ROOT, join(dir, "node_modules/@tlos/grid"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", type: "module" }));
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(join(dir, f, ".."), { recursive: true });
    writeFileSync(join(dir, f), text);
  }
  return dir;
}

const HUBS = 'export const hubs = [{ id: "hub-1", host: "hub-1.example.net" }];\n';

describe("loading a TypeScript program", () => {
  it("bundles the program's own .ts files, keeps each file's import.meta.url, and shares the caller's @tlos/grid", async () => {
    const dir = project({
      "grid.ts": `import { Grid, Lattice, TlosNode } from "@tlos/grid";
import { hubs, nodeName } from "./lib/parts.js";
const grid = new Grid("g");
const lattice = new Lattice(grid, "lattice", { name: "t", hubs });
new TlosNode(lattice, nodeName, { target: "podman" });
export default grid;
`,
      "lib/parts.ts": `import { readFileSync } from "node:fs";
${HUBS}export const nodeName: string = readFileSync(new URL("./name.txt", import.meta.url), "utf8").trim();
export const here: string = import.meta.dirname;
`,
      "lib/name.txt": "from-lib\n",
    });
    const grid = await loadGrid(join(dir, "grid.ts"));
    const lib = (await import(pathToFileURL(join(ROOT, "dist-lib/index.js")).href)) as typeof import("../src/index.js");
    expect(grid).toBeInstanceOf(lib.Grid);
    expect(grid.node.tryFindChild("lattice")?.node.tryFindChild("from-lib")).toBeDefined();
  });

  it("a .cts program can require() and read __dirname; a TypeScript package in node_modules is bundled", async () => {
    const dir = project({
      "grid.cts": `const { Grid, Lattice, TlosNode } = require("@tlos/grid");
const { hubs } = require("ts-hubs");
const { readFileSync } = require("node:fs");
const grid = new Grid("g");
const lattice = new Lattice(grid, "lattice", { name: "t", hubs });
new TlosNode(lattice, readFileSync(__dirname + "/name.txt", "utf8").trim(), { target: "podman" });
module.exports = grid;
`,
      "name.txt": "from-cts\n",
      "node_modules/ts-hubs/package.json": JSON.stringify({ name: "ts-hubs", main: "index.ts" }),
      "node_modules/ts-hubs/index.ts": `export const hubs: { id: string; host: string }[] = ${HUBS.slice(HUBS.indexOf("["), HUBS.lastIndexOf(";"))};\n`,
    });
    const grid = await loadGrid(join(dir, "grid.cts"));
    expect(grid.node.tryFindChild("lattice")?.node.tryFindChild("from-cts")).toBeDefined();
  });

  it("takes the tsconfig TLOS_TSCONFIG names (its paths), else the one above the program", async () => {
    const grid = `import { Grid, Lattice, TlosNode } from "@tlos/grid";
import { hubs } from "~hubs";
const grid = new Grid("g");
new TlosNode(new Lattice(grid, "lattice", { name: "t", hubs }), "n", { target: "podman" });
export default grid;
`;
    const dir = project({ "grid.ts": grid, "lib/hubs.ts": HUBS, "alt/tsconfig.json": JSON.stringify({ compilerOptions: { baseUrl: "..", paths: { "~hubs": ["./lib/hubs.ts"] } } }) });
    await expect(loadGrid(join(dir, "grid.ts"))).rejects.toThrow(/cannot load: grid\.ts:2:\d+: Could not resolve "~hubs"/);
    const saved = process.env["TLOS_TSCONFIG"];
    process.env["TLOS_TSCONFIG"] = join(dir, "alt/tsconfig.json");
    try {
      expect((await loadGrid(join(dir, "grid.ts"))).node.path).toBe("g");
    } finally {
      if (saved === undefined) delete process.env["TLOS_TSCONFIG"];
      else process.env["TLOS_TSCONFIG"] = saved;
    }
  });

  it("a syntax error or a missing import is one line naming the file, line and column; no stack trace", () => {
    const dir = project({
      "bad.ts": 'import { Grid } from "@tlos/grid";\nconst g = new Grid("g";\nexport default g;\n',
      "missing.ts": 'import { Grid } from "@tlos/grid";\nimport { x } from "./nowhere.js";\nexport default new Grid(String(x));\n',
    });
    const bin = join(ROOT, "bin/tlos.mjs");
    const run = (f: string) => spawnSync(process.execPath, [bin, "synth", f, "--out", "out"], { cwd: dir, encoding: "utf8", timeout: 60_000, env: { ...process.env, TLOS_MASTER_SEED: "9f".repeat(32), TLOS_DEBUG: "" } });
    const bad = run("bad.ts");
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: bad\.ts: cannot load: bad\.ts:2:\d+: Expected "\)" but found ";"\n$/);
    const missing = run("missing.ts");
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: missing\.ts: cannot load: missing\.ts:2:\d+: Could not resolve "\.\/nowhere\.js"\n$/);
  });

  it("pins import.meta and __dirname to literals of the file, keeping line numbers and a shebang", () => {
    const f = "/p/lib/a.ts";
    expect(pinFileMeta("const u = import.meta.url, d = import.meta.dirname;\n", f)).toBe('const u = "file:///p/lib/a.ts", d = "/p/lib";\n');
    expect(pinFileMeta("#!/usr/bin/env node\nuse(__dirname);\n", f)).toBe('#!/usr/bin/env node\nvar __dirname = "/p/lib"; use(__dirname);\n');
    // a file that declares its own __dirname (the ESM idiom) keeps it
    const own = "const __dirname = dirname(fileURLToPath(import.meta.url));\n";
    expect(pinFileMeta(own, f)).toBe('const __dirname = dirname(fileURLToPath("file:///p/lib/a.ts"));\n');
  });
});
