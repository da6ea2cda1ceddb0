/** The output contract: deterministic, atomic, never deletes foreign files, secrets only under secrets/ at 0600. */
import { existsSync, mkdirSync, readdirSync, readlinkSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { ValidationError, writeOutput } from "../src/index.js";
import { sha256 } from "../src/synth/manifest.js";
import { SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

function listFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p, "utf8");
    }
  };
  walk(dir);
  return out;
}

describe("tlos synth output", () => {
  it("is byte-identical when the same grid is synthesized twice", () => {
    const a = tempDir(), b = tempDir();
    writeOutput(smallGrid({ "home-1": {}, "home-2": {} }).synth({ masterSeed: SEED }), join(a, "out"));
    writeOutput(smallGrid({ "home-1": {}, "home-2": {} }).synth({ masterSeed: SEED }), join(b, "out"));
    const fa = listFiles(join(a, "out")), fb = listFiles(join(b, "out"));
    expect(Object.keys(fa).length).toBeGreaterThan(20);
    expect(fb).toEqual(fa);
  });

  it("changes every credential when the master seed changes, and nothing else", async () => {
    const { OTHER_SEED } = await import("./helpers.js");
    const one = smallGrid().synth({ masterSeed: SEED }).files;
    const two = smallGrid().synth({ masterSeed: OTHER_SEED }).files;
    expect(two.map((f) => f.path)).toEqual(one.map((f) => f.path));
    const changed = one.filter((f, i) => f.content !== two[i]?.content).map((f) => f.path);
    expect(changed).toContain("secrets/lattice/nodes/home-1/leaf.creds");
    // expected.json names the account's public key (and v1 hosts'), derived from the seed like account.jwt
    expect(changed.filter((p) => !/\.(creds|jwt|conf|nk|pem)$|\/expected\.json$/.test(p))).toEqual([]);
  });

  it("writes a manifest listing every file with its sha256, kind, target, construct and secret flag", () => {
    const out = join(tempDir(), "out");
    const r = writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(m.files.length).toBe(r.manifest.files.length);
    for (const f of m.files) {
      expect(sha256(readFileSync(join(out, f.path), "utf8"))).toBe(f.sha256);
      // host bundles, the plan and the diagram are assembled by the grid itself
      expect(f.construct).toMatch(f.path.startsWith("hosts/") || f.path.startsWith("diagram/") || f.path === "PLAN.md" ? /^test$/ : /^test\/lattice/);
      expect(typeof f.secret).toBe("boolean");
    }
    expect(m.files.map((f: { path: string }) => f.path)).toEqual([...m.files.map((f: { path: string }) => f.path)].sort());
  });

  it("keeps secret material under secrets/ with mode 0600 and out of every other file", () => {
    const out = join(tempDir(), "out");
    const result = smallGrid({ "home-1": {} }, "v1").synth({ masterSeed: SEED });
    writeOutput(result, out);
    const secrets = result.files.filter((f) => f.secret && f.path.startsWith("secrets/"));
    // bundle secrets are copies of these, each in its own machine's bundle (test/bundles.test.ts)
    expect(result.files.filter((f) => f.secret && !f.path.startsWith("secrets/")).every((f) => /^hosts\/[^/]+\/secrets\//.test(f.path))).toBe(true);
    expect(secrets.map((f) => f.path)).toEqual([
      "secrets/lattice/admin.creds", "secrets/lattice/compose/home-1-host.env", "secrets/lattice/issuer.nk", "secrets/lattice/nodes/home-1/host.seed", "secrets/lattice/nodes/home-1/leaf.creds",
      "secrets/lattice/policy.creds", "secrets/lattice/sys.creds",
      "secrets/lattice/tls/ca-key.pem", "secrets/lattice/tls/hub-1-key.pem", "secrets/lattice/tls/hub-2-key.pem", "secrets/lattice/tls/hub-3-key.pem",
      "secrets/lattice/wadm.creds",
    ]);
    for (const s of secrets) expect(statSync(join(out, s.path)).mode & 0o777).toBe(0o600);
    // the nkey seeds inside the creds never appear in a non-secret file
    const seeds = secrets.flatMap((s) => s.content.match(/\bS[A-Z][A-Z2-7]{56}\b/g) ?? []);
    expect(seeds.length).toBe(8); // 7 files, the host seed twice (Podman secret file and compose env file)
    for (const f of result.files.filter((x) => !x.secret)) for (const seed of seeds) expect(f.content).not.toContain(seed);
    // no private key (the CA's, a hub's) outside secrets/
    for (const f of result.files.filter((x) => !x.secret)) expect(f.content, f.path).not.toMatch(/PRIVATE KEY/);
  });

  it("leaves a foreign file in the output folder alone and removes only files it wrote before", () => {
    const out = join(tempDir(), "out");
    writeOutput(smallGrid({ "home-1": {}, "home-2": {} }).synth({ masterSeed: SEED }), out);
    mkdirSync(join(out, "lattice/nodes/home-2/quadlet"), { recursive: true });
    writeFileSync(join(out, "lattice/nodes/home-2/quadlet/NOTES.md"), "mine");
    writeFileSync(join(out, "README.local"), "mine too");
    const r = writeOutput(smallGrid({ "home-1": {} }).synth({ masterSeed: SEED }), out);
    expect(r.removed).toContain("lattice/nodes/home-2/quadlet/home-2.pod");
    expect(existsSync(join(out, "lattice/nodes/home-2/quadlet/home-2.pod"))).toBe(false);
    expect(readFileSync(join(out, "lattice/nodes/home-2/quadlet/NOTES.md"), "utf8")).toBe("mine");
    expect(readFileSync(join(out, "README.local"), "utf8")).toBe("mine too");
  });

  it("reports unchanged files on a second write and leaves no staging folder behind", () => {
    const parent = tempDir();
    const out = join(parent, "out");
    writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    const r = writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    expect(r.written).toBe(0);
    expect(r.unchanged).toBe(r.manifest.files.length);
    // the output is a link to its one generation; no stage, lock or older generation is left
    expect(readdirSync(parent)).toEqual([".out.tlos", "out"]);
    expect(readdirSync(join(parent, ".out.tlos"))).toEqual([readlinkSync(out).replace(".out.tlos/", "")]);
  });

  it("leaves the output folder untouched when synth fails", () => {
    const out = join(tempDir(), "out");
    writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    const before = listFiles(out);
    const bad = smallGrid({ "home-1": { resources: { memory: "lots" } } });
    expect(() => writeOutput(bad.synth({ masterSeed: SEED }), out)).toThrow(ValidationError);
    expect(listFiles(out)).toEqual(before);
  });
});
