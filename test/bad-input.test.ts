/**
 * Bad input gets a clear error through the CLI: exit 1, `[construct path] field: message` for
 * every problem, no stack trace, and no output folder written.
 */
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { main } from "../src/cli/main.js";
import { BAD_INPUTS, BAD_MULTI } from "./fixtures/bad-inputs.js";
import { tempDir } from "./helpers.js";

const LIB = fileURLToPath(new URL("../dist-lib/index.js", import.meta.url));
const HUBS = `[{ id: "hub-1", host: "hub-1.example.net" }, { id: "hub-2", host: "hub-2.example.net" }, { id: "hub-3", host: "hub-3.example.net" }]`;

async function runCli(body: string): Promise<{ code: number; out: string; err: string; outDir: string }> {
  const dir = tempDir("tlos-bad-");
  const program = join(dir, "grid.mjs");
  writeFileSync(program, `import { Grid, Lattice, TlosNode } from ${JSON.stringify(LIB)};\nconst HUBS = ${HUBS};\nexport default () => { ${body} };\n`);
  let out = "", err = "";
  const outDir = join(dir, "dist");
  const code = await main(["synth", program, "--out", outDir], { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err, outDir };
}

/** The `[path] field: message` lines of an error report. */
const problemLines = (err: string) => err.split("\n").map((l) => l.trim()).filter((l) => /^\[[^\]]+\] [^ :]+: /.test(l));

describe("bad input through tlos synth", () => {
  it("has at least 30 cases", () => {
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(30);
  });

  for (const c of [...BAD_INPUTS, ...BAD_MULTI]) {
    it(`refuses ${c.name} naming [${c.path}] ${c.field}`, async () => {
      const r = await runCli(c.body);
      expect(r.code).toBe(1);
      // the exact problem list: this one problem and nothing else
      const lines = problemLines(r.err);
      expect(lines.map((l) => l.slice(0, l.indexOf(": "))), r.err).toEqual([`[${c.path}] ${c.field}`, ...(c.also ?? [])]);
      expect(lines[0]).toMatch(c.message);
      expect(r.err).not.toMatch(/^\s+at /m);
      expect(existsSync(r.outDir)).toBe(false);
    });
  }

  it("reports every problem of a synth at once", async () => {
    const r = await runCli(`const g = new Grid("g"); const l = new Lattice(g, "lattice", { hubs: HUBS.slice(0, 2), wasmcloud: "v9" });
      new TlosNode(l, "Bad", { target: "podman" }); new TlosNode(l, "home-1", { target: "podman", resources: { cpu: "x", memory: "y" } }); return g;`);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/Validation failed with 5 problems/);
    expect(problemLines(r.err).map((l) => l.slice(0, l.indexOf(": ") + 1)).sort()).toEqual(["[g/lattice/Bad] id:", "[g/lattice/home-1] resources.cpu:", "[g/lattice/home-1] resources.memory:", "[g/lattice] hubs:", "[g/lattice] wasmcloud:"]);
  });

  it("turns an exception in the user's program into one line without a stack trace", async () => {
    const r = await runCli(`throw new TypeError("hubs is undefined in my helper");`);
    expect(r.code).toBe(1);
    expect(r.err).toBe("error: TypeError: hubs is undefined in my helper\n(set TLOS_DEBUG=1 to see where it came from)\n");
  });

  it("says what the default export must be", async () => {
    const r = await runCli(`return 42;`);
    expect(r.err).toMatch(/default export must be a Grid \(or a function returning one\), got number/);
  });
});

describe("podman.extraKeys cannot silently undo a default", () => {
  it("refuses weakening keys without allowInsecure, unknown units, bad key names and values systemd would cut", async () => {
    const { smallGrid } = await import("./fixtures/grids.js");
    const { problemsOf, SEED } = await import("./helpers.js");
    const weak = { pod: { PublishPort: "0.0.0.0:4222:4222", Network: "host" }, host: { PodmanArgs: "--privileged", AddCapability: "ALL", ReadOnly: "false", Volume: "/:/host:rw" } };
    const p = problemsOf(() => smallGrid({ "home-1": { podman: { extraKeys: weak } } }).synth({ masterSeed: SEED }));
    for (const k of ["pod.PublishPort", "pod.Network", "host.PodmanArgs", "host.AddCapability", "host.ReadOnly", "host.Volume"]) {
      expect(p.some((l) => l.includes(`podman.extraKeys.${k}:`) && l.includes("list it in podman.allowInsecure")), `${k}: ${p.join("\n")}`).toBe(true);
    }
    const q = problemsOf(() => smallGrid({ "home-1": { podman: { extraKeys: { sidecar: { DNS: "x" }, host: { "Label\n[Service]\nExecStartPre": "x", AddHost: ["a\u0000b", "c\\"] } } as never } } }).synth({ masterSeed: SEED }));
    expect(q.join("\n")).toMatch(/podman\.extraKeys\.sidecar: "sidecar" is not a unit of the node/);
    expect(q.join("\n")).toMatch(/is not a Quadlet key name/);
    expect(q.join("\n")).toMatch(/contains a line break or a NUL byte/);
    expect(q.join("\n")).toMatch(/ends with a backslash/);
  });

  it("accepts a weakening key listed in allowInsecure, with a warning naming the risk", async () => {
    const { smallGrid } = await import("./fixtures/grids.js");
    const { SEED } = await import("./helpers.js");
    const r = smallGrid({ "home-1": { podman: { extraKeys: { host: { AddCapability: "NET_BIND_SERVICE" } }, allowInsecure: ["AddCapability"] } } }).synth({ masterSeed: SEED });
    expect(r.warnings.map((w) => `${w.field}: ${w.message}`)).toContainEqual(expect.stringMatching(/^podman\.extraKeys: AddCapability adds Linux capabilities .* accepted because podman\.allowInsecure lists it$/));
    expect(r.files.find((f) => f.path.endsWith("home-1-wasmcloud.container"))!.content).toMatch(/^AddCapability=NET_BIND_SERVICE$/m);
  });
});
