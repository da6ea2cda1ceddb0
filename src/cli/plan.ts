/** `tlos plan <dir>`: prints the bring-up plan (`PLAN.md`) of a synth output. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TlosError } from "../core/errors.js";
import { PLAN_FILE } from "../core/layout.js";

export async function planCmd(args: string[], io: { out: (s: string) => void; err: (s: string) => void }): Promise<number> {
  const dir = args.find((a) => !a.startsWith("-"));
  if (!dir || args.length !== 1) {
    io.err("usage: tlos plan <dir>   (a tlos synth output)\n");
    return 2;
  }
  const p = join(dir, PLAN_FILE);
  if (!existsSync(p)) throw new TlosError(`${p} does not exist: run tlos synth <program> --out ${dir} first`);
  io.out(readFileSync(p, "utf8"));
  return 0;
}
