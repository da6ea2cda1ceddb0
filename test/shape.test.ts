/**
 * The shape of src/ (DESIGN.md "Layers"), read from the source itself: imports point down only
 * (cli → pulumi → synth → constructs → target modules → core), no import cycle between files
 * (type-only imports count: they tie files just the same), no file over 400 lines, and no
 * `as unknown as` outside the Pulumi typing seam.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SRC = join(ROOT, "src");

/**
 * The layer of each top-level entry of src/, lowest first. A folder not named here is a target
 * module (one module per target: typed model + pure builders + renderer), the most common kind.
 */
const LAYERS: Readonly<Record<string, number>> = {
  core: 0,
  constructs: 2,
  synth: 3,
  // the C4 view: built from the construct tree (its renderers are pure), drawn by synth and the CLI
  diagram: 3,
  validate: 4,
  pulumi: 4,
  cli: 5,
  "index.ts": 6,
};
const TARGET_LAYER = 1;
const LAYER_NAMES = ["core", "target modules", "constructs", "synth", "pulumi / validate", "cli", "index.ts"];
const MAX_LINES = 400;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const files = sourceFiles(SRC).map((p) => relative(ROOT, p));
const text = new Map(files.map((f) => [f, readFileSync(join(ROOT, f), "utf8")]));

/** Relative imports of a file (static, `export … from`, `import type`, and `import("…")` types). */
function importsOf(file: string): string[] {
  const re = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
  return [...(text.get(file) ?? "").matchAll(re)].map((m) => relative(ROOT, resolve(ROOT, dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
}

const edges = new Map(files.map((f) => [f, importsOf(f)]));
const layerOf = (file: string): number => LAYERS[file.split("/")[1]!] ?? TARGET_LAYER;

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

describe("the shape of src/", () => {
  it("reads a real tree: every relative import names a file that exists", () => {
    expect(files.length).toBeGreaterThan(100);
    const missing = [...edges].flatMap(([f, ts]) => ts.filter((t) => !text.has(t)).map((t) => `${f} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it("imports point down only: cli → pulumi → synth → constructs → target modules → core", () => {
    const upward = [...edges].flatMap(([f, ts]) =>
      ts.filter((t) => layerOf(t) > layerOf(f)).map((t) => `${f} (${LAYER_NAMES[layerOf(f)]}) imports ${t} (${LAYER_NAMES[layerOf(t)]})`),
    );
    expect(upward).toEqual([]);
  });

  it("the CLI never loads the Pulumi adapter (synth must start without a Pulumi package)", () => {
    const seen = new Set<string>();
    const walk = (f: string): void => {
      if (seen.has(f)) return;
      seen.add(f);
      for (const t of edges.get(f) ?? []) walk(t);
    };
    for (const f of files.filter((f) => f.startsWith("src/cli/"))) walk(f);
    expect([...seen].filter((f) => f.startsWith("src/pulumi/"))).toEqual([]);
    expect([...seen].filter((f) => /from\s+["']@pulumi\//.test(text.get(f) ?? ""))).toEqual([]);
  });

  it("has no import cycle between files, type-only imports included", () => {
    expect(cycles()).toEqual([]);
  });

  it("finds a cycle when there is one (the check itself works)", () => {
    const a = "src/constructs/lattice.ts";
    const b = "src/constructs/lattice-member.ts";
    const saved = edges.get(b)!;
    edges.set(b, [...saved, a]);
    try {
      expect(cycles().filter((c) => c.includes(a) && c.includes(b))).toHaveLength(1);
    } finally {
      edges.set(b, saved);
    }
  });

  it(`has no file over ${MAX_LINES} lines`, () => {
    const long = files.map((f) => [f, (text.get(f) ?? "").split("\n").length - 1] as const).filter(([, n]) => n > MAX_LINES).map(([f, n]) => `${f}: ${n} lines`);
    expect(long).toEqual([]);
  });

  it("has no `as unknown as` outside the Pulumi typing seam (src/pulumi/)", () => {
    const casts = files.filter((f) => !f.startsWith("src/pulumi/") && /\bas unknown as\b/.test(text.get(f) ?? ""));
    expect(casts).toEqual([]);
  });
});
