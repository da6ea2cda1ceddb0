/** `tlos ai` refuses bad invocations with a usage line or a one-line error, never a stack trace. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { tempDir } from "./helpers.js";

async function run(args: string[]) {
  let out = "";
  let err = "";
  const code = await main(args, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

describe("tlos ai", () => {
  it("prints its usage for a missing or unknown subcommand and for missing flags", async () => {
    for (const args of [["ai"], ["ai", "launch"], ["ai", "serve", "--server", "nats://127.0.0.1:1"], ["ai", "router", "--routing", "x.json"], ["ai", "ask", "--server", "nats://127.0.0.1:1", "--model", "m", "hi"]]) {
      const r = await run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toContain("usage:\n  tlos ai serve");
    }
    expect((await run(["--help"])).out).toContain("tlos ai (see tlos ai --help)");
  });

  it("names the bad value: a routing file that is not one, a bad number, a bad provider key", async () => {
    const dir = tempDir();
    const notRouting = join(dir, "r.json");
    writeFileSync(notRouting, '{"hello":1}');
    const a = await run(["ai", "ask", "--server", "nats://127.0.0.1:1", "--model", "m", "--routing", notRouting, "hi"]);
    expect(a).toMatchObject({ code: 1, err: `error: ${notRouting} is not a system:ai routing file (AiGateway writes <lattice>/ai/<id>-routing.json)\n` });
    const routing = join(dir, "ok.json");
    writeFileSync(routing, JSON.stringify({ interface: "system:ai", policy: "first-healthy", lattice: "lab", routes: [] }));
    const b = await run(["ai", "ask", "--server", "nats://127.0.0.1:1", "--model", "m", "--routing", routing, "--no-fallback", "hi"]);
    expect(b).toMatchObject({ code: 1, err: "error: the routing file names no key for m: no pool serves it\n" });
    const c = await run(["ai", "router", "--server", "nats://127.0.0.1:1", "--creds", "x", "--routing", routing, "--provider-key", "openai"]);
    expect(c).toMatchObject({ code: 1, err: 'error: --provider-key "openai": use <provider>=<file>\n' });
    const seed = join(dir, "x.seed");
    writeFileSync(seed, "SX");
    const d = await run(["ai", "serve", "--server", "nats://127.0.0.1:1", "--lattice", "l", "--pool", "p", "--model", "m", "--upstream", "http://127.0.0.1:1/v1", "--xkey-seed-file", seed, "--max-in-flight", "0"]);
    expect(d).toMatchObject({ code: 1, err: 'error: --max-in-flight "0" is not a positive integer\n' });
    const e = await run(["ai", "serve", "--server", "nats://127.0.0.1:1", "--lattice", "l", "--pool", "p", "--model", "m", "--upstream", "http://127.0.0.1:1/v1", "--xkey-seed-file", seed]);
    expect(e.code).toBe(1);
    expect(e.err).toMatch(new RegExp(`^error: ${seed} does not hold an xkey seed \\(SX…\\): `));
    expect(e.err).not.toMatch(/\n\s+at /);
  });
});
