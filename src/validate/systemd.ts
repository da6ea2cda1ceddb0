/**
 * systemd's own check of a unit file: `systemd-analyze verify` parses it, resolves the executable
 * and the units it names, and prints every problem; a clean unit exits 0 and prints nothing.
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html#systemd-analyze%20verify%20FILE...
 */
import { resolve } from "node:path";
import { run, type Runner } from "./spawn.js";

export async function systemdVerify(binary: string, file: string, runner: Runner = run): Promise<{ readonly ok: boolean; readonly output: string }> {
  const r = await runner(binary, ["verify", "--man=no", resolve(file)]);
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return { ok: r.status === 0 && output === "", output };
}
