/** The real `tlos` binary, run the way users run it. */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { realBinary, tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/tlos.mjs");

function tlos(args: string[], env: Record<string, string> = {}, nodeArgs: string[] = []) {
  return spawnSync(process.execPath, [...nodeArgs, BIN, ...args], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, ...env } });
}

describe("the tlos command", () => {
  it("prints help and its version", () => {
    expect(tlos(["--help"]).stdout).toMatch(/tlos synth <program> --out <dir>/);
    expect(tlos(["--version"]).stdout).toBe("tlos 0.1.0\n");
    // the version the npx-run jobs pin is the package's own
    expect(JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).version).toBe("0.1.0");
    const bad = tlos(["frobnicate"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown command "frobnicate"/);
  });

  it("synthesizes an example without importing any @pulumi package, nor yaml", () => {
    const dir = tempDir();
    const trace = join(dir, "imports.txt");
    const r = tlos(["synth", "examples/home-node/grid.ts", "--out", join(dir, "out"), "--seed-file", join(dir, "seed")], { TLOS_TRACE_FILE: trace }, ["--import", join(ROOT, "test/fixtures/trace-imports.mjs")]);
    expect(r.status, r.stderr).toBe(0);
    const imports = readFileSync(trace, "utf8").split("\n");
    expect(imports).toContain("constructs");
    // the emitter writes every string of a 1-node synth itself: yaml is never loaded
    expect(imports).not.toContain("yaml");
    // the bundled program imports its packages by resolved file URL
    expect(imports.some((s) => s.includes("@nats-io/nkeys"))).toBe(true);
    expect(imports.filter((s) => s.includes("pulumi"))).toEqual([]);
    expect(existsSync(join(dir, "out/manifest.json"))).toBe(true);
  });

  it("creates the master seed file with mode 0600 on first use and reuses it", () => {
    const dir = tempDir();
    const seed = join(dir, "s/master.seed");
    const one = tlos(["synth", "examples/home-node/grid.ts", "--out", join(dir, "a"), "--seed-file", seed]);
    expect(one.status, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/master seed: .*\(new: keep it secret/);
    expect(statSync(seed).mode & 0o777).toBe(0o600);
    const two = tlos(["synth", "examples/home-node/grid.ts", "--out", join(dir, "b"), "--seed-file", seed]);
    expect(two.stdout).not.toMatch(/\(new:/);
    expect(readFileSync(join(dir, "b/manifest.json"), "utf8")).toBe(readFileSync(join(dir, "a/manifest.json"), "utf8"));
  });

  it("takes the master seed from TLOS_MASTER_SEED and refuses a bad one", () => {
    const dir = tempDir();
    const ok = tlos(["synth", "examples/home-node/grid.ts", "--out", join(dir, "a")], { TLOS_MASTER_SEED: "1d308fd60db74455561ccfc20a4b51c7ce30899bae3b349e2c4590b8261636e3" });
    expect(ok.stdout).toMatch(/master seed: TLOS_MASTER_SEED/);
    const bad = tlos(["synth", "examples/home-node/grid.ts", "--out", join(dir, "b")], { TLOS_MASTER_SEED: "short" });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("error: TLOS_MASTER_SEED: the master seed must be at least 32 bytes, written as hex (64+ hex digits) or base64\n");
  });

  it.skipIf(!realBinary("quadlet") || !realBinary("nats-server"))("validates the full-grid example with every validator and says which ran", () => {
    const dir = tempDir();
    const s = tlos(["synth", "examples/full-grid/grid.ts", "--out", join(dir, "out"), "--seed-file", join(dir, "seed")]);
    expect(s.status, s.stderr).toBe(0);
    const v = tlos(["validate", join(dir, "out"), "--require-all"]);
    expect(v.status, v.stdout).toBe(0);
    expect(v.stdout).toMatch(/validators run: quadlet 5\.\d+\.\d+ -dryrun \(\d+\), nats-server -t \(\d+\)/);
    expect(v.stdout).not.toMatch(/FAIL/);
  });
});
