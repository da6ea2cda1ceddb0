/**
 * systemd's own check of a unit file: `systemd-analyze verify` parses it, resolves the executable
 * and the units it names, and prints every problem; a clean unit exits 0 and prints nothing.
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd-analyze.html#systemd-analyze%20verify%20FILE...
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export function systemdVerify(binary: string, file: string): { readonly ok: boolean; readonly output: string } {
  const r = spawnSync(binary, ["verify", "--man=no", resolve(file)], { encoding: "utf8", timeout: 30_000 });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return { ok: r.status === 0 && output === "", output };
}
