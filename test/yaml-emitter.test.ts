/**
 * The direct YAML emitter prints exactly what `yaml`'s stringify prints for the same sorted data:
 * on every YAML document the examples synthesize, and on random JSON-shaped data.
 */
import fc from "fast-check";
import { parseAllDocuments, parse } from "yaml";
import { describe, expect, it } from "vitest";
import { emitDocument, stringifyWithYaml, yamlFallbacks } from "../src/core/yaml.js";
import { SEED } from "./helpers.js";
import home from "../examples/home-node/grid.js";
import full from "../examples/full-grid/grid.js";

describe("the YAML emitter", () => {
  it("matches yaml's stringify byte for byte on every YAML document of the examples", () => {
    let docs = 0;
    for (const grid of [home, full]) {
      for (const f of grid.synth({ masterSeed: SEED }).files.filter((x) => /\.ya?ml$/.test(x.path))) {
        for (const d of parseAllDocuments(f.content)) {
          const doc = d.toJSON() as unknown;
          const before = yamlFallbacks();
          expect(emitDocument(doc), f.path).toBe(stringifyWithYaml(doc));
          // the emitter printed it, unless it holds a multi-line string (a block scalar: yaml prints those)
          if (yamlFallbacks() > before) expect(JSON.stringify(doc), f.path).toContain("\\n");
          docs++;
        }
      }
    }
    expect(docs).toBeGreaterThan(30);
  });

  it("matches yaml's stringify on random JSON-shaped data, and reads back as the same data", () => {
    const text = fc.oneof(fc.string(), fc.constantFrom("true", "null", "~", "-1", ".5", "a: b", "x:", "#c", "- a", "yes", "0x1F", "1e3", "./a/b", "http://h:1/p", "a\nb", " lead", "trail ", "'q'", '"dq"', "@at", "*star", "&amp", "!tag", "%pct", "{}", "[]",
      "-q", "--config", "-", "--", "-1", "-.5", "-a:", "-a:b", "-.inf", "--9", "5s", "10s", "2.7.0", "0xff", "0x", "0o7", "0o8", "1e3", "1e", "1.", "12h30m", "1_000", "0b1", "1:2", "5.", "007", "1/2", "9=x", "1@x"));
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: "small" }, text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(tie("v"), { maxLength: 4 }), fc.dictionary(text, tie("v"), { maxKeys: 4 })),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(text, value, { maxKeys: 6 }), (doc) => {
        const out = emitDocument(doc);
        expect(out).toBe(stringifyWithYaml(doc));
        expect(parse(out)).toEqual(parse(stringifyWithYaml(doc)));
      }),
      { numRuns: 2000 },
    );
  });

  it("writes flags and digit-led strings (-q, --config, 5s, 2.7.0) as yaml does, as values and keys", () => {
    const near = fc.oneof(fc.stringMatching(/^-{1,3}[A-Za-z0-9.][A-Za-z0-9._:=@+\/-]{0,6}$/), fc.stringMatching(/^[0-9][A-Za-z0-9._:=@+\/-]{0,6}$/), fc.stringMatching(/^[0-9][0-9a-fA-FxXoOeE.+-]{0,5}$/));
    fc.assert(fc.property(near, near, (a, b) => {
      const doc = { [a]: b, list: [a, b] };
      expect(emitDocument(doc)).toBe(stringifyWithYaml(doc));
    }), { numRuns: 3000 });
  });

  it("matches yaml's stringify on a document far bigger than one joined chunk (a 10k-node compose file's shape)", () => {
    const services = Object.fromEntries(Array.from({ length: 3000 }, (_, i) => [`node-${i}`, { image: "docker.io/library/nats:2.10", command: ["-c", `/etc/nats/${i}.conf`], cap_drop: ["ALL"], read_only: true, volumes: [`n${i}:/data`], secrets: [{ source: `node-${i}-leaf-creds`, target: "/etc/nats/leaf.creds" }] }]));
    const doc = { name: "tlos-big", services, secrets: Object.fromEntries(Object.keys(services).map((k) => [`${k}-leaf-creds`, { file: `../${k}.creds` }])), nested: [[[...Array(5000).keys()]]] };
    expect(emitDocument(doc)).toBe(stringifyWithYaml(doc));
  });
});
