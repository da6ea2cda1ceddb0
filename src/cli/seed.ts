/**
 * Where the CLI gets the master seed: `TLOS_MASTER_SEED`, or a 0600 file created on first use.
 * A new seed file gets a `.gitignore` beside it, and inside a git work tree it is created only
 * when git itself says the file is ignored, so `git add .` never commits the root of every credential.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { TlosError } from "../core/errors.js";
import { MasterSeed, type SeedParseOptions } from "../core/seed.js";

export interface SeedSource {
  readonly seed: MasterSeed;
  /** Human description: env var, existing file, or new file. */
  readonly from: string;
}

/** The git work tree `dir` is in, or undefined (no git, or not in one). */
function gitWorkTree(dir: string): string | undefined {
  const r = spawnSync("git", ["rev-parse", "--show-toplevel"], { cwd: dir, encoding: "utf8", timeout: 10_000 });
  return r.status === 0 ? r.stdout.trim() || undefined : undefined;
}

/** True when git would not add `file` (`git check-ignore`: 0 ignored, 1 not ignored). */
function gitIgnores(file: string): boolean {
  return spawnSync("git", ["check-ignore", "-q", basename(file)], { cwd: dirname(file), timeout: 10_000 }).status === 0;
}

/**
 * Makes sure a seed about to be created at `seedFile` cannot be committed: writes `.gitignore`
 * beside it when the folder has none, then, inside a git work tree, asks git. Throws (and
 * leaves no seed) when git would still add it.
 */
export function guardSeedFromGit(seedFile: string): { gitignore?: string } {
  const dir = dirname(seedFile);
  const ignore = join(dir, ".gitignore");
  let created: string | undefined;
  if (!existsSync(ignore)) {
    writeFileSync(ignore, `# written by tlos: the master seed is the root of every credential of the grid; never commit it\n/${basename(seedFile)}\n`, { mode: 0o644, flag: "wx" });
    created = ignore;
  }
  const tree = gitWorkTree(dir);
  if (tree && !gitIgnores(seedFile)) {
    if (created) rmSync(created);
    throw new TlosError(`refusing to create the master seed ${seedFile} inside the git work tree ${tree}: git would commit it; add "/${basename(seedFile)}" to ${ignore} (or set TLOS_MASTER_SEED)`);
  }
  return created ? { gitignore: created } : {};
}

export function loadMasterSeed(seedFile: string, env: NodeJS.ProcessEnv = process.env, opts: SeedParseOptions = {}): SeedSource {
  const fromEnv = env["TLOS_MASTER_SEED"];
  if (fromEnv) {
    try {
      return { seed: MasterSeed.parse(fromEnv, opts), from: "TLOS_MASTER_SEED" };
    } catch (e) {
      throw new TlosError(`TLOS_MASTER_SEED: ${(e as Error).message}`);
    }
  }
  if (existsSync(seedFile)) {
    const mode = statSync(seedFile).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      throw new TlosError(`${seedFile} is readable by others (mode ${mode.toString(8)}): run chmod 600 ${seedFile}`);
    }
    try {
      return { seed: MasterSeed.parse(readFileSync(seedFile, "utf8"), opts), from: seedFile };
    } catch (e) {
      throw new TlosError(`${seedFile}: ${(e as Error).message}`);
    }
  }
  const abs = resolve(seedFile);
  mkdirSync(dirname(abs), { recursive: true, mode: 0o700 });
  const { gitignore } = guardSeedFromGit(abs);
  const seed = MasterSeed.generate();
  writeFileSync(abs, `${seed.toString()}\n`, { mode: 0o600, flag: "wx" });
  return { seed, from: `${seedFile} (new: keep it secret and back it up; every credential derives from it${gitignore ? `; ${gitignore} keeps it out of git` : ""})` };
}
