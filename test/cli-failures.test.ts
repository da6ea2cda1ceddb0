/**
 * Every failure of the real `tlos` binary is one clean line on stderr and a non-zero exit:
 * file-system errors (ENOTDIR, EROFS/EPERM, a file as --out, /), bad flags, unknown files, and a
 * reader that closes stdout early (EPIPE). No stack trace, ever.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { writeOutput } from "../src/index.js";
import { SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/tlos.mjs");
const SEED_HEX = "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c";
const ENV = { ...process.env, TLOS_MASTER_SEED: SEED_HEX, TLOS_DEBUG: "" };

function tlos(args: string[], prefix: string[] = []) {
  const cmd = prefix.length > 0 ? prefix[0]! : process.execPath;
  const argv = prefix.length > 0 ? [...prefix.slice(1), process.execPath, BIN, ...args] : [BIN, ...args];
  return spawnSync(cmd, argv, { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: ENV });
}

function expectOneCleanLine(r: { status: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.status, r.stderr).not.toBe(0);
  expect(r.status).not.toBeNull();
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

const canUnshare = spawnSync("unshare", ["-m", "true"]).status === 0;

describe("CLI failures: one clean line, non-zero exit", () => {
  it("file-system errors: --out under a file (ENOTDIR), --out a file, --out /, an unwritable place", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "file"), "x");
    const program = "examples/home-node/grid.ts";
    expectOneCleanLine(tlos(["synth", program, "--out", join(dir, "file/out")]), /cannot create the output's parent folder .*file: a part of the path is a file, not a folder \(ENOTDIR\)/);
    expectOneCleanLine(tlos(["synth", program, "--out", join(dir, "file")]), /is a file, not a folder/);
    expectOneCleanLine(tlos(["synth", program, "--out", "/"]), /refusing to use \/ as the output folder/);
    expectOneCleanLine(tlos(["synth", program, "--out", "/sys/tlos-test/out"]), /cannot create the output's parent folder \/sys\/tlos-test: .*\((EPERM|EROFS|EACCES)\)/);
  }, 120_000);

  it.skipIf(!canUnshare && process.env["CI"] !== "true")("a read-only parent folder (EROFS, on a read-only tmpfs in a private mount namespace)", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "ro"));
    const r = spawnSync("unshare", ["-m", "sh", "-c", `mount -t tmpfs -o ro tmpfs "$1" && exec "$2" "$3" synth examples/home-node/grid.ts --out "$1/out"`, "sh", join(dir, "ro"), process.execPath, BIN], { cwd: ROOT, encoding: "utf8", timeout: 60_000, env: ENV });
    expectOneCleanLine(r, /cannot create a folder in .*\.out\.tlos: the file system is read-only \(EROFS\)|cannot create .*: the file system is read-only \(EROFS\)/);
  });

  it("bad flags, missing files and folders", () => {
    const bad = tlos(["synth", "examples/home-node/grid.ts", "--out", "x", "--frobnicate"]);
    expectOneCleanLine(bad, /unknown option '--frobnicate' \(see tlos synth --help\)/);
    expect(bad.status).toBe(2);
    expectOneCleanLine(tlos(["synth", "no-such-grid.ts", "--out", join(tempDir(), "o")]), /no-such-grid\.ts: no such file/);
    expectOneCleanLine(tlos(["diff", join(tempDir(), "a"), join(tempDir(), "b")]), /has no manifest\.json/);
    expectOneCleanLine(tlos(["claims", "push", join(tempDir(), "missing.jwt"), "--server", "nats://127.0.0.1:1", "--creds", "x"]), /cannot open .*missing\.jwt: it does not exist \(ENOENT\)/);
  }, 120_000);

  it("a reader that closes stdout early (tlos diff | true): EPIPE is one line, exit 1", () => {
    const dir = tempDir();
    const nodes = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`a-${i}`, {}]));
    const other = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`b-${i}`, {}]));
    writeOutput(smallGrid(nodes).synth({ masterSeed: SEED }), join(dir, "a"));
    writeOutput(smallGrid(other).synth({ masterSeed: SEED }), join(dir, "b"));
    // the real pipeline: bash reports tlos's own exit status, its stderr goes to a file; the reader
    // is gone before tlos writes (the comment is capped at 65,536 characters, which a pipe's
    // buffer would take whole from a reader that stops after a few bytes)
    const err = join(dir, "stderr");
    const p = spawnSync("bash", ["-c", '"$1" "$2" diff "$3" "$4" 2>"$5" | true; echo "${PIPESTATUS[0]}"', "bash", process.execPath, BIN, join(dir, "a"), join(dir, "b"), err], { cwd: ROOT, encoding: "utf8", env: ENV, timeout: 60_000 });
    const r = { status: Number(p.stdout.trim()), stderr: readFileSync(err, "utf8") };
    expectOneCleanLine(r, /closed it before tlos finished writing \(EPIPE\)/);
  }, 60_000);
});
