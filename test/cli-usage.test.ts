/**
 * The real `tlos` binary speaks clearly: `--help`/`-h` on every subcommand, one line and a
 * non-zero exit for every failure (bad flags, missing values, fs errors, a closed pipe), never a
 * stack trace; `--json` for machines; seeds and secrets kept out of git.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin/tlos.mjs");
const LIB = join(ROOT, "dist-lib/index.js");
const SEED = { TLOS_MASTER_SEED: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" };

function tlos(args: string[], opts: { env?: Record<string, string>; cwd?: string } = {}) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, encoding: "utf8", timeout: 60_000, env: { ...process.env, CI: "", ...opts.env } });
}

/** Exactly one line on stderr, starting with `error: `, and no stack frame. */
function expectOneErrorLine(stderr: string): void {
  expect(stderr).toMatch(/^error: [^\n]+\n$/);
  expect(stderr).not.toMatch(/^\s+at /m);
}

const helpText = tlos(["--help"]).stdout;
const subcommands = [...helpText.matchAll(/^ {2}tlos ([a-z][\w-]*)/gm)].map((m) => m[1] as string);
// commands registered as bare functions print their own help; the table's commands are checked here
const tableCommands = subcommands.filter((c) => !helpText.includes(`tlos ${c} (see tlos ${c} --help)`));

describe("tlos --help", () => {
  it("lists every subcommand and documents the exit codes", () => {
    expect(subcommands).toEqual(expect.arrayContaining(["synth", "validate", "diff", "lattice-init", "jetstream", "claims", "policy-responder"]));
    expect(tlos(["--help"]).stdout).toMatch(/Exit codes: 0 done, 1 failed .*, 2 bad command line/s);
  });

  it("works on every subcommand, as --help and -h, with exit 0", () => {
    for (const cmd of tableCommands) {
      for (const flag of ["--help", "-h"]) {
        const r = tlos([cmd, flag]);
        expect(r.status, `${cmd} ${flag}: ${r.stderr}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^Usage: tlos ${cmd}`));
        expect(r.stderr).toBe("");
      }
    }
  });
});

describe("tlos failures are one line", () => {
  it("an unknown flag, a missing value, a missing argument, an unknown command: exit 2", () => {
    const cases: [string[], RegExp][] = [
      [["synth", "examples/home-node/grid.ts", "--out", "x", "--frobnicate"], /unknown option '--frobnicate'/],
      [["synth", "examples/home-node/grid.ts", "--out"], /'-o, --out <value>' argument missing/],
      [["synth", "examples/home-node/grid.ts"], /missing --out/],
      [["synth"], /missing argument/],
      [["validate", "a", "b"], /unexpected argument "b"/],
      [["diff", "a"], /missing argument/],
      [["validate", "x", "--jobs"], /argument missing/],
      [["lattice-init", "plan.json"], /missing --server/],
      [["jetstream", "sideways", "--server", "nats://127.0.0.1:1"], /unknown action "sideways"/],
      [["policy-responder", "--server", "nats://127.0.0.1:1", "--topic", "t", "--trusted", "nope"], /not an account public key/],
      [["frobnicate"], /unknown command "frobnicate"/],
    ];
    for (const [args, message] of cases) {
      const r = tlos(args);
      expect(r.status, args.join(" ")).toBe(2);
      expectOneErrorLine(r.stderr);
      expect(r.stderr, args.join(" ")).toMatch(message);
    }
  });

  it("file-system errors: exit 1, one line", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "a-file"), "");
    const cases: string[][] = [
      ["synth", "examples/home-node/grid.ts", "--out", join(dir, "a-file", "out")],
      ["synth", join(dir, "missing.ts"), "--out", join(dir, "o")],
      ["validate", join(dir, "nothing-here")],
      ["lattice-init", join(dir, "missing.json"), "--server", "nats://127.0.0.1:1"],
      ["diff", join(dir, "nope-a"), join(dir, "nope-b")],
      ["claims", "push", join(dir, "missing.jwt"), "--server", "nats://127.0.0.1:1", "--creds", join(dir, "x.creds")],
    ];
    for (const args of cases) {
      const r = tlos(args, { env: SEED });
      expect(r.status, `${args.join(" ")}: ${r.stderr}`).toBe(1);
      expectOneErrorLine(r.stderr);
    }
  });

  it("a reader that goes away (EPIPE): exit 1, one line", async () => {
    const p = spawn(process.execPath, [BIN, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    p.stdout.destroy(); // the read end closes before tlos writes
    let err = "";
    p.stderr.on("data", (d) => (err += d));
    const code = await new Promise<number | null>((r) => p.once("close", r));
    expect(code).toBe(1);
    expectOneErrorLine(err);
    expect(err).toMatch(/EPIPE/);
  });

  it("a grid with problems: one `error: [path] field: message` line per problem, exit 1", () => {
    const dir = tempDir();
    const program = join(dir, "grid.mjs");
    writeFileSync(program, `import { Grid, Lattice } from ${JSON.stringify(LIB)};\nconst g = new Grid("g");\nnew Lattice(g, "lattice", { hubs: [{ id: "hub-1", host: "h1.example.net" }], wasmcloud: "v9" });\nexport default g;\n`);
    const r = tlos(["synth", program, "--out", join(dir, "out")], { env: SEED });
    expect(r.status).toBe(1);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(/^error: \[g\/lattice\] [\w.]+: /);
  });
});

describe("tlos output for machines and for git", () => {
  it("synth --json and validate --json print one JSON document; a repeated warning is printed once", () => {
    const dir = tempDir();
    const s = tlos(["synth", "examples/full-grid/grid.ts", "--out", join(dir, "out"), "--json"], { env: SEED });
    expect(s.status, s.stderr).toBe(0);
    const j = JSON.parse(s.stdout) as { files: number; written: number; warnings: { path: string; message: string; alsoAt: string[] }[] };
    expect(j.files).toBe(j.written);
    const messages = j.warnings.map((w) => w.message);
    expect(new Set(messages).size).toBe(messages.length);
    // both v1 hosts run the same unpinned image: one warning naming the second place
    expect(j.warnings.find((w) => w.message.includes("wasmcloud:1.9.2"))?.alsoAt).toEqual(["tlos/legacy/legacy-edge-1"]);
    const text = tlos(["synth", "examples/full-grid/grid.ts", "--out", join(dir, "out")], { env: SEED });
    expect(text.stdout.match(/wasmcloud:1\.9\.2 has a tag/g)).toHaveLength(1);
    expect(text.stdout).toMatch(/\(also at 1 more: tlos\/legacy\/legacy-edge-1\)/);
    const v = tlos(["validate", join(dir, "out"), "--json"]);
    const vj = JSON.parse(v.stdout) as { ok: boolean; ran: Record<string, number>; lines: string[] };
    expect(typeof vj.ok).toBe("boolean");
    expect(vj.lines.at(-1)).toMatch(/^validators run: /);
  });

  it("keeps a new master seed and the output's secrets out of git, and refuses a seed git would commit", () => {
    const repo = tempDir("tlos-git-");
    const git = (...a: string[]) => spawnSync("git", a, { cwd: repo, encoding: "utf8" });
    expect(git("init", "-q").status).toBe(0);
    const program = join(repo, "grid.mjs");
    writeFileSync(program, readFileSync(join(ROOT, "examples/home-node/grid.ts"), "utf8").replace('"@tlos/grid"', JSON.stringify(LIB)));
    const r = tlos(["synth", program, "--out", join(repo, "dist")], { env: { TLOS_MASTER_SEED: "" } });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(join(repo, ".tlos/master.seed"))).toBe(true);
    expect(readFileSync(join(repo, ".tlos/.gitignore"), "utf8")).toMatch(/^\/master\.seed$/m);
    expect(readFileSync(join(repo, "dist/secrets/.gitignore"), "utf8")).toMatch(/^\*$/m);
    // what `git add .` would take: no seed, no secret
    const untracked = git("ls-files", "--others", "--exclude-standard").stdout.split("\n").filter(Boolean);
    expect(untracked).toContain("grid.mjs");
    // the output (dist is a link to its current generation beside it): its public files, no secret
    expect(untracked.some((f) => f.endsWith("/manifest.json"))).toBe(true);
    expect(untracked.some((f) => f.endsWith(".container"))).toBe(true);
    expect(untracked.filter((f) => f.includes("master.seed") || (f.includes("secrets/") && !f.endsWith(".gitignore")))).toEqual([]);

    // a seed folder whose own .gitignore does not ignore the seed: refused, and no seed written
    mkdirSync(join(repo, "keys"));
    writeFileSync(join(repo, "keys/.gitignore"), "# nothing ignored here\n");
    const refused = tlos(["synth", program, "--out", join(repo, "dist2"), "--seed-file", join(repo, "keys/master.seed")], { env: { TLOS_MASTER_SEED: "" } });
    expect(refused.status).toBe(1);
    expectOneErrorLine(refused.stderr);
    expect(refused.stderr).toMatch(/refusing to create the master seed .* git would commit it/);
    expect(existsSync(join(repo, "keys/master.seed"))).toBe(false);
  });
});
