/**
 * The shell launchers `tlos validate` starts its validators through: the same statuses, outputs,
 * environment and working folder as a direct spawn, quoting that survives any argument, the
 * timeout, and the fallback to a direct spawn for what a shell line cannot carry.
 */
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Launcher } from "../src/validate/launcher.js";
import { mapLimit, run } from "../src/validate/spawn.js";
import { tempDir } from "./helpers.js";

const SH = "/bin/sh";

describe.skipIf(!Launcher.available())("validator launcher", () => {
  it("gives each command its own status, stdout and stderr, in any order and many at once", async () => {
    const l = new Launcher(2);
    try {
      const rs = await mapLimit(Array.from({ length: 40 }, (_, i) => i), (i) => l.run(SH, ["-c", `echo out${i}; echo err${i} >&2; exit ${i % 3}`]), 4);
      rs.forEach((r, i) => expect(r).toEqual({ status: i % 3, stdout: `out${i}\n`, stderr: `err${i}\n` }));
    } finally {
      l.close();
    }
  });

  it("passes arguments with quotes, spaces and shell syntax through untouched, and the env and cwd asked for", async () => {
    const l = new Launcher(1);
    const dir = tempDir();
    try {
      const args = ["it's", 'a "b"', "$HOME", "`id`", "; rm -rf /", "*", ""];
      const r = await l.run(process.execPath, ["-e", "console.log(JSON.stringify([process.argv.slice(1), process.env.TLOS_X, process.cwd()]))", ...args], { env: { ...process.env, TLOS_X: "x 'y' $z" }, cwd: dir });
      expect(JSON.parse(r.stdout)).toEqual([args, "x 'y' $z", dir]);
      // what a line cannot carry runs directly, with the same result
      const nl = await l.run(SH, ["-c", "printf '%s' \"$1\"", "sh", "a\nb"]);
      expect(nl).toEqual({ status: 0, stdout: "a\nb", stderr: "" });
      const { HOME: _home, ...without } = process.env;
      const direct = await l.run(SH, ["-c", 'echo "${HOME:-none}"'], { env: without });
      expect(direct.stdout).toBe("none\n");
    } finally {
      l.close();
    }
  });

  it("kills a command that outlives its timeout and reports a missing binary as a failure", async () => {
    const l = new Launcher(2);
    try {
      const [slow, missing, fine] = await Promise.all([l.run(SH, ["-c", "sleep 5"], { timeoutMs: 200 }), l.run("/nonexistent/validator", []), l.run(SH, ["-c", "echo ok"])]);
      expect(slow.status).toBeNull();
      expect(slow.stderr).toMatch(/timeout/);
      expect(missing.status).not.toBe(0);
      expect(fine).toEqual({ status: 0, stdout: "ok\n", stderr: "" });
      expect(await run("/nonexistent/validator", [])).toMatchObject({ status: null });
    } finally {
      l.close();
    }
  });

  it("leaves no folder behind once closed", async () => {
    const l = new Launcher(1);
    await l.run(SH, ["-c", "true"]);
    const out = (l as unknown as { out: string }).out;
    expect(existsSync(out)).toBe(true);
    l.close();
    expect(existsSync(out)).toBe(false);
  });
});
