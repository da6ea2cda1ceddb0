/**
 * freePorts (test/ports.ts) across processes, as vitest's parallel test files and other checkouts'
 * suites call it: processes that all start at the same port at once never get the same one, and a
 * reservation left by a process that is gone is taken over.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const PORTS = fileURLToPath(new URL("./ports.ts", import.meta.url));
const TSX = fileURLToPath(new URL("../node_modules/tsx/dist/loader.mjs", import.meta.url));

/** A process that reserves `n` ports from `start`, prints them, and holds them until its stdin closes. */
function holder(n: number, start: number) {
  const code = `import { freePorts } from ${JSON.stringify(PORTS)}; const p = await freePorts(${n}); console.log(JSON.stringify(p)); process.stdin.resume(); process.stdin.on("end", () => process.exit(0));`;
  const p = spawn(process.execPath, ["--import", TSX, "--input-type=module", "-e", code], { stdio: ["pipe", "pipe", "inherit"], env: { ...process.env, TLOS_TEST_PORT_START: String(start) } });
  let out = "";
  p.stdout.on("data", (d: Buffer) => (out += d.toString()));
  const ports = new Promise<number[]>((res, rej) => {
    p.stdout.on("data", () => { if (out.includes("\n")) res(JSON.parse(out) as number[]); });
    p.once("exit", (c) => rej(new Error(`holder exited ${c} before printing its ports`)));
  });
  const release = () => new Promise<void>((r) => { p.once("exit", () => r()); p.stdin.end(); });
  return { ports, release, pid: p.pid! };
}

describe("freePorts across processes", () => {
  it("gives four processes starting at the same port at the same moment disjoint ports", async () => {
    const start = 5000 + (process.pid % 1000);
    const hs = Array.from({ length: 4 }, () => holder(30, start));
    try {
      const all = (await Promise.all(hs.map((h) => h.ports))).flat();
      expect(all).toHaveLength(120);
      expect(new Set(all).size).toBe(120);
    } finally {
      await Promise.all(hs.map((h) => h.release()));
    }
  }, 60_000);

  it("takes over a reservation whose process is gone", async () => {
    const start = 7000 + (process.pid % 1000);
    const dir = join(tmpdir(), "tlos-test-ports");
    mkdirSync(dir, { recursive: true });
    // a dead process's reservation (no pid is this large on Linux: pid_max ≤ 2^22)
    writeFileSync(join(dir, String(20_000 + start)), "99999999");
    const h = holder(1, start);
    try {
      expect(await h.ports).toEqual([20_000 + start]);
      expect(readFileSync(join(dir, String(20_000 + start)), "utf8")).toBe(String(h.pid));
    } finally {
      await h.release();
    }
  }, 30_000);
});
