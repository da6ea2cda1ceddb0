/** Where the CLI gets the master seed: `TLOS_MASTER_SEED`, or a 0600 file created on first use. */
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { TlosError } from "../core/errors.js";
import { MasterSeed, type SeedParseOptions } from "../core/seed.js";

export interface SeedSource {
  readonly seed: MasterSeed;
  /** Human description: env var, existing file, or new file. */
  readonly from: string;
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
  const seed = MasterSeed.generate();
  mkdirSync(dirname(seedFile), { recursive: true, mode: 0o700 });
  writeFileSync(seedFile, `${seed.toString()}\n`, { mode: 0o600, flag: "wx" });
  return { seed, from: `${seedFile} (new: keep it secret and back it up; every credential derives from it)` };
}
