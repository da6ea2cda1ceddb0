/**
 * Attacks on the output writer: symlinks inside and around the output folder, a manipulated
 * previous manifest, and kill -9 at random points of a large re-synth. After each, the folder is
 * exactly the old or the new output, nothing outside it was read, written or deleted, and no
 * secret lies outside secrets/.
 */
import { spawn } from "node:child_process";
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { sha256 } from "../src/synth/manifest.js";
import type { SynthResult } from "../src/synth/artifact.js";
import { OTHER_SEED, SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

/** Every file under `dir` (following the output link once, never one inside): path → sha256 and mode. */
function snapshot(dir: string): Map<string, { sha: string; mode: number }> {
  const out = new Map<string, { sha: string; mode: number }>();
  const stack = [""];
  while (stack.length > 0) {
    const rel = stack.pop()!;
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const p = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) stack.push(p);
      else out.set(p, { sha: e.isSymbolicLink() ? `link:${readlinkSync(join(dir, p))}` : sha256(readFileSync(join(dir, p), "utf8")), mode: lstatSync(join(dir, p)).mode & 0o777 });
    }
  }
  return out;
}

/** What the folder must hold after writing `r` (its files plus manifest.json). */
function expected(r: SynthResult): Map<string, string> {
  return new Map(r.files.map((f) => [f.path, sha256(f.content)]));
}

function sameAs(snap: Map<string, { sha: string }>, r: SynthResult): boolean {
  const want = expected(r);
  const got = [...snap].filter(([p]) => p !== "manifest.json");
  return got.length === want.size && got.every(([p, v]) => want.get(p) === v.sha);
}

function secretsOnlyUnderSecrets(snap: Map<string, { sha: string; mode: number }>, r: SynthResult): void {
  const secret = new Set(r.files.filter((f) => f.secret).map((f) => sha256(f.content)));
  for (const [p, v] of snap) {
    if (secret.has(v.sha)) {
      expect(p.split("/")).toContain("secrets");
      expect(v.mode).toBe(0o600);
    }
  }
}

describe("output writer under attack", () => {
  it("refuses a symlink in the output folder where it writes a folder, and writes nothing through it", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(elsewhere);
    writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    const before = snapshot(out);
    rmSync(join(out, "secrets"), { recursive: true });
    symlinkSync(elsewhere, join(out, "secrets"));
    expect(() => writeOutput(smallGrid().synth({ masterSeed: SEED }), out)).toThrow(/secrets is a symbolic link \(to ".*elsewhere"\) where tlos writes a folder: it never writes through a link/);
    expect(readdirSync(elsewhere)).toEqual([]);
    expect(before.size).toBeGreaterThan(10);
  });

  it("replaces a planted symlink at a file path with the real file, never writing its target", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "precious");
    const r = smallGrid().synth({ masterSeed: SEED });
    writeOutput(r, out);
    const unit = r.files.find((f) => f.path.endsWith(".pod"))!;
    rmSync(join(out, unit.path));
    symlinkSync(victim, join(out, unit.path));
    writeOutput(r, out);
    expect(readFileSync(victim, "utf8")).toBe("precious");
    expect(lstatSync(join(out, unit.path)).isFile()).toBe(true);
    expect(readFileSync(join(out, unit.path), "utf8")).toBe(unit.content);
  });

  it("refuses an output folder that is a foreign symlink, or a state folder that is a symlink", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "target"));
    symlinkSync(join(dir, "target"), join(dir, "out"));
    expect(() => writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "out"))).toThrow(/is a symbolic link to ".*target", not one tlos made/);
    expect(readdirSync(join(dir, "target"))).toEqual([]);
    mkdirSync(join(dir, "state-target"));
    symlinkSync(join(dir, "state-target"), join(dir, ".out2.tlos"));
    expect(() => writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "out2"))).toThrow(/\.out2\.tlos is not a folder \(a symbolic link or a file\)/);
    expect(readdirSync(join(dir, "state-target"))).toEqual([]);
  });

  it("treats a previous manifest listing paths outside the folder as corrupt: clear error, nothing written or deleted", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const victim = join(dir, "victim.txt");
    writeFileSync(victim, "precious");
    writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    for (const bad of ["../victim.txt", victim, "a/../../victim.txt", "x\u0000y"]) {
      writeFileSync(join(out, "manifest.json"), JSON.stringify({ ...m, files: [...m.files, { path: bad, sha256: "0" }] }));
      const before = snapshot(out);
      expect(() => writeOutput(smallGrid({ "home-1": {}, "home-9": {} }).synth({ masterSeed: SEED }), out)).toThrow(/manifest\.json is corrupt: it lists paths outside the output folder, so nothing was written/);
      expect(snapshot(out)).toEqual(before);
      expect(readFileSync(victim, "utf8")).toBe("precious");
    }
  });

  it("never deletes through a linked folder the old manifest lists (link/victim.txt)", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    mkdirSync(join(dir, "outside"));
    writeFileSync(join(dir, "outside/victim.txt"), "precious");
    writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    symlinkSync(join(dir, "outside"), join(out, "link"));
    const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    writeFileSync(join(out, "manifest.json"), JSON.stringify({ ...m, files: [...m.files, { path: "link/victim.txt", sha256: "0" }] }));
    const r = writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    expect(r.removed).toEqual(["link/victim.txt"]);
    expect(readFileSync(join(dir, "outside/victim.txt"), "utf8")).toBe("precious");
    expect(readlinkSync(join(out, "link"))).toBe(join(dir, "outside")); // the user's link is kept, not followed
  });

  it("keeps foreign files as they are (hard links), removes a stale stage of a crashed run and reports it", () => {
    const dir = tempDir();
    const out = join(dir, "out");
    writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
    writeFileSync(join(out, "NOTES.md"), "mine");
    mkdirSync(join(dir, ".out.tlos/gen-crashed/secrets"), { recursive: true });
    writeFileSync(join(dir, ".out.tlos/gen-crashed/secrets/x.creds"), "secret", { mode: 0o600 });
    const r = writeOutput(smallGrid().synth({ masterSeed: OTHER_SEED }), out);
    expect(r.cleaned).toEqual([".out.tlos/gen-crashed"]);
    expect(r.kept).toBe(1);
    expect(readFileSync(join(out, "NOTES.md"), "utf8")).toBe("mine");
    expect(readdirSync(join(dir, ".out.tlos"))).toHaveLength(1);
    expect(statSync(join(dir, ".out.tlos")).mode & 0o777).toBe(0o700);
  });

  it("refuses / and a folder holding files it did not write; moves a folder an older tlos wrote to the link form", () => {
    expect(() => writeOutput(smallGrid().synth({ masterSeed: SEED }), "/")).toThrow(/refusing to use \/ as the output folder/);
    const dir = tempDir();
    mkdirSync(join(dir, "project"));
    writeFileSync(join(dir, "project/main.c"), "int main;");
    expect(() => writeOutput(smallGrid().synth({ masterSeed: SEED }), join(dir, "project"))).toThrow(/holds files tlos did not write \(it has no manifest\.json\): pass a new or empty folder/);
    expect(readdirSync(join(dir, "project"))).toEqual(["main.c"]);
    // a plain folder with a tlos manifest (an older tlos) becomes the link form, keeping foreign files
    const r = smallGrid().synth({ masterSeed: SEED });
    const legacy = join(dir, "legacy");
    writeOutput(r, legacy);
    const real = join(dir, ".legacy.tlos", readlinkSync(legacy).split("/")[1]!);
    rmSync(legacy);
    rmSync(join(dir, ".legacy.tlos/lock"), { force: true });
    renameSync(real, legacy);
    writeFileSync(join(legacy, "mine.txt"), "mine");
    const again = writeOutput(r, legacy);
    expect(again.unchanged).toBe(r.files.length);
    expect(lstatSync(legacy).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(legacy, "mine.txt"), "utf8")).toBe("mine");
  });
});

function bigGrid(nodes: number, tag: string): Grid {
  const grid = new Grid("big");
  const lattice = new Lattice(grid, "lattice", { hubs: [1, 2, 3].map((i) => ({ id: `hub-${i}`, host: `hub-${i}.example.net` })) });
  for (let i = 0; i < nodes; i++) new TlosNode(lattice, `n-${i}`, { target: "podman", labels: { gen: tag } });
  return grid;
}

describe("kill -9 during a large re-synth", () => {
  it("leaves the folder exactly the old or the new output, every time (bounded loop)", async () => {
    const dir = tempDir();
    const out = join(dir, "out");
    const results = [bigGrid(300, "a").synth({ masterSeed: SEED }), bigGrid(320, "b").synth({ masterSeed: OTHER_SEED })];
    const files = results.map((r, i) => {
      const f = join(dir, `result-${i}.json`);
      writeFileSync(f, JSON.stringify(r));
      return f;
    });
    writeOutput(results[0]!, out);
    let state = 0;
    // first measure a whole write, then kill at random points inside that span
    const run = (which: number, killAfterMs?: number) =>
      new Promise<{ killed: boolean; ms: number }>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", join(__dirname, "fixtures/write-child.ts"), files[which]!, out], { stdio: ["ignore", "pipe", "pipe"] });
        let t0 = 0;
        let err = "";
        child.stderr.on("data", (d) => (err += String(d)));
        child.stdout.on("data", (d: Buffer) => {
          if (t0 === 0 && String(d).includes("writing")) {
            t0 = performance.now();
            if (killAfterMs !== undefined) setTimeout(() => child.kill("SIGKILL"), killAfterMs);
          }
        });
        child.on("exit", (code, sig) => (sig === "SIGKILL" || code === 0 ? resolve({ killed: sig === "SIGKILL", ms: performance.now() - t0 }) : reject(new Error(`child failed (${code}): ${err}`))));
      });
    const whole = await run(1);
    expect(sameAs(snapshot(out), results[1]!)).toBe(true);
    state = 1;
    let killedMidway = 0, killedAfter = 0;
    for (let i = 0; i < 8; i++) {
      const next = 1 - state;
      const r = await run(next, Math.random() * whole.ms * 1.5);
      const snap = snapshot(out);
      const isOld = sameAs(snap, results[state]!), isNew = sameAs(snap, results[next]!);
      expect(isOld || isNew, `after kill ${i}: neither the old nor the new output`).toBe(true);
      secretsOnlyUnderSecrets(snap, results[0]!);
      secretsOnlyUnderSecrets(snap, results[1]!);
      if (r.killed && isOld) killedMidway++;
      if (r.killed && isNew) killedAfter++;
      if (isNew) state = next;
      expect(existsSync(join(out, "manifest.json"))).toBe(true);
    }
    // the next run cleans whatever the kills left and ends whole
    const final = writeOutput(results[0]!, out);
    expect(sameAs(snapshot(out), results[0]!)).toBe(true);
    expect(readdirSync(join(dir, ".out.tlos"))).toHaveLength(1);
    expect(final.manifest.files.length).toBe(results[0]!.files.length);
    console.log(`kill -9 loop: whole write ${whole.ms.toFixed(0)} ms, ${killedMidway} kills landed before the switch, ${killedAfter} after it`);
  }, 180_000);
});
