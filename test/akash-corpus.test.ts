/**
 * Real third-party SDLs (awesome-akash, see test/fixtures/akash-corpus/SOURCES.md) run through
 * chain-sdk's `generateManifest` (the JS side) and our mirror of Akash's Go parser. Every file on
 * which they disagree is listed below with the reason, so a change in either side shows up here.
 * The Go parser itself cannot run here (no Go toolchain offline); its rules are mirrored from
 * chain-sdk 55f1c68 go/sdl and cited rule by rule in src/akash/go-rules.ts.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { goRuleProblems } from "../src/akash/go-rules.js";

const DIR = join(import.meta.dirname, "fixtures", "akash-corpus");
const FILES = readdirSync(DIR).filter((f) => f.endsWith(".yaml")).sort();

/** Where chain-sdk (JS) and Go disagree, and why. `js`/`go`: what each says. */
const DISAGREE: Record<string, { js: "accepts" | "refuses"; go: RegExp; why: string }> = {};
const attrsNull = "placement `attributes:` left empty (YAML null): the JSON schema wants an object; Go decodes null into an empty map";
const dependsOn = "an extra service key (depends_on, environment…): the JSON schema has additionalProperties false; yaml.v3 ignores unknown struct fields";
const lowerGi = "memory/storage unit spelled in lower case or with B (gi, GB, Gb): the JS pattern is case-insensitive; Go's parseWithSuffix knows only k, Ki … E, Ei, case-sensitive, and ParseFloat fails";
for (const f of ["Llama-2-70B", "bitcoin", "dolly-v2-12b", "faster-whisper-gpu", "flan-t5-xxl", "gpt-neo", "gpustack-worker", "open-gpt", "privategpt-gpu", "redpajama-incite-7b-instruct", "semantra"]) DISAGREE[`${f}.yaml`] = { js: "refuses", go: /^$/, why: attrsNull };
for (const f of ["chatchat", "odoo", "open-webui-gpu", "phoronix", "snake-game", "tensorflow-webapp-mnist", "waku"]) DISAGREE[`${f}.yaml`] = { js: "refuses", go: /^$/, why: dependsOn };
for (const f of ["avalanche", "bancor", "bark-small", "gitea", "ray"]) DISAGREE[`${f}.yaml`] = { js: "accepts", go: /does not parse: unit "(gi|GB|Gb)" is not one Go knows/, why: lowerGi };
DISAGREE["axolotlai.yaml"] = { js: "refuses", go: /^$/, why: "a persistent volume without its own mount: JS refuses it; Go's v2.validate shares one attribute map across the service's volumes, so the other volume's mount satisfies it" };
DISAGREE["ollama-tee.yaml"] = { js: "refuses", go: /^$/, why: "params.tee: the JSON schema of chain-sdk alpha.25 predates it; Go's v2ServiceParams has `tee`" };
DISAGREE["postgres-s3-backup.yaml"] = { js: "accepts", go: /zero global services/, why: "no expose is global: JS checks no such rule; Go's Manifest.Validate (groups.go) refuses zero global services" };

async function jsProblems(doc: unknown): Promise<string[]> {
  const { generateManifest } = await import("@akashnetwork/chain-sdk");
  try {
    const r = generateManifest(doc as never, "mainnet");
    return r.ok ? [] : r.value.map((e) => `${e.instancePath} ${e.message ?? ""}`);
  } catch (e) {
    return [`throws: ${(e as Error).message}`];
  }
}

describe("corpus of real SDLs: chain-sdk vs. the Go rules", () => {
  it("holds a reasonable set", () => {
    expect(FILES.length).toBeGreaterThanOrEqual(150);
    expect(readFileSync(join(DIR, "SOURCES.md"), "utf8")).toContain("0a6f1d55cd4b09211126eebc0afe15446d0f5f48");
  });

  it("lists every disagreement, each with its reason", async () => {
    const found: Record<string, { js: string; go: string }> = {};
    for (const f of FILES) {
      const doc: unknown = parse(readFileSync(join(DIR, f), "utf8"));
      const js = await jsProblems(doc);
      const go = goRuleProblems(doc).map((p) => `${p.at}: ${p.message}`);
      if ((js.length === 0) !== (go.length === 0)) found[f] = { js: js.length ? "refuses" : "accepts", go: go.join("\n") };
    }
    expect(Object.keys(found).sort()).toEqual(Object.keys(DISAGREE).sort());
    for (const [f, d] of Object.entries(DISAGREE)) {
      expect(found[f]?.js, f).toBe(d.js);
      expect(found[f]?.go, f).toMatch(d.go);
    }
  });

  it("agrees on the rest, and most of the corpus is accepted by both", async () => {
    let both = 0;
    for (const f of FILES.filter((x) => !DISAGREE[x])) {
      const doc: unknown = parse(readFileSync(join(DIR, f), "utf8"));
      if ((await jsProblems(doc)).length === 0 && goRuleProblems(doc).length === 0) both++;
    }
    expect(both).toBeGreaterThan(100);
  });

  it("never throws, whatever a field holds (every corpus file, every field replaced by odd values)", () => {
    const odd: unknown[] = [null, [], {}, "x", 0, -1, true, 1e30, [null], "16gi"];
    let runs = 0;
    const walk = (root: unknown, node: unknown, depth: number) => {
      if (depth > 5 || typeof node !== "object" || node === null) return;
      for (const k of Object.keys(node)) {
        const saved = (node as Record<string, unknown>)[k];
        for (const v of odd) {
          (node as Record<string, unknown>)[k] = v;
          expect(() => goRuleProblems(root)).not.toThrow();
          runs++;
        }
        (node as Record<string, unknown>)[k] = saved;
        walk(root, saved, depth + 1);
      }
    };
    for (const f of FILES.slice(0, 40)) {
      const doc: unknown = parse(readFileSync(join(DIR, f), "utf8"));
      walk(doc, doc, 0);
    }
    for (const v of [undefined, null, "", 1, [], "version: 2.0"]) expect(() => goRuleProblems(v)).not.toThrow();
    expect(runs).toBeGreaterThan(1000);
  });
});
