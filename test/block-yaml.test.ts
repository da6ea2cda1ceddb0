/**
 * `readBlockYaml`, the reader `tlos validate` tries before `yaml`: on every text it accepts it
 * gives exactly what `yaml`'s `parse` gives, and it accepts the YAML documents tlos writes.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Grid } from "../src/index.js";
import { readBlockYaml } from "../src/validate/block-yaml.js";
import { scaleGrid } from "../examples/scale/grid.js";
import { SEED } from "./helpers.js";

/** Same as yaml's parse, or undefined (left to yaml). Never a different value. */
function agrees(text: string): unknown {
  const ours = readBlockYaml(text);
  if (ours === undefined) return undefined;
  expect(ours).toStrictEqual(parse(text));
  return ours;
}

describe("block YAML reader", () => {
  it("reads every YAML document of the examples as yaml does, compose and wadm files without yaml", async () => {
    const grids: Grid[] = [(await import("../examples/full-grid/grid.js")).default as Grid, (await import("../examples/home-node/grid.js")).default as Grid, scaleGrid(20)];
    let read = 0;
    for (const grid of grids) {
      for (const f of grid.synth({ masterSeed: SEED }).files) {
        if (!/\.ya?ml$/.test(f.path)) continue;
        const v = agrees(f.content);
        if (v !== undefined) read++;
        if (/(^|\/)(compose|wadm)\.yaml$/.test(f.path)) expect(v, f.path).not.toBeUndefined();
      }
    }
    expect(read).toBeGreaterThan(10);
  });

  it("leaves to yaml what it does not read exactly", () => {
    const left = [
      "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: [1, 2]\n", "a: {b: 1}\n", "a: |\n  text\n", "a: >\n  text\n", "a: 1 # note\n",
      "a: 1\na: 2\n", "key:\n- a\n", "a:\n  b\n  c\n", "a: b\n  c\n", "- - a\n", "-\n  a\n", "a: 0x1f\n", "a: 1e3\n", "a: .inf\n",
      "a: 012\n", "a: +1\n", "a: -0\n", "a: 12345678901234567890\n", "a: 1.\n", "true: 1\n", "null: 1\n", "~: 1\n", "1: a\n", "__proto__: 1\n",
      "\"q\": 1\n", "a:  1\n", "a: 1 \n", "a:\tb\n", "a: b\r\n", "---\na: 1\n", "%YAML 1.2\n---\na: 1\n", "a: 'it''s\n", "a: \"x\\ty\\e\"\n",
      "a: \"x\" y\n", "a: 'x' y\n", "a: b: c\n", "  a: 1\n", "", "# only a comment\n", "plain\n", "a: @x\n", "a: `x`\n", "a: %x\n", "<<: {a: 1}\n",
    ];
    for (const t of left) {
      expect(readBlockYaml(t), JSON.stringify(t)).toBeUndefined();
      // and yaml either reads it or refuses it: the caller's own parse decides
    }
  });

  it("reads plain block YAML as yaml does", () => {
    const texts = [
      "a: 1\nb: -2\nc: 0.50\nd: true\ne: False\nf: ~\ng: null\nh:\ni: 5s\nj: 2.7.0\nk: no-new-privileges:true\nl: http://127.0.0.1:8222/healthz\n",
      "# head\nservices:\n  hub:\n    command:\n      - nats-server\n      - --config\n      - -q\n    ports:\n      - \"8080:80\"\n      - '127.0.0.1:53:53/udp'\n    labels:\n      tlos.grid/node: node-0\n",
      "list:\n  - source: s\n    target: /etc/x\n  - plain\n  - name: n\n    env:\n      A: \"x\\\\y\\\"z\\u00e9\"\n      B: 'it''s'\n      C: a#b\n",
      "a:\n  # inside\n  b: 1\n\n  c: [x\nd: yes\n",
      "a:\n  b:\n    c: 1\n  d: 2\ne: 3\n",
    ];
    for (const t of texts) agrees(t);
    expect(readBlockYaml(texts[0] as string)).toMatchObject({ a: 1, c: 0.5, h: null, i: "5s", j: "2.7.0" });
  });

  it("agrees with yaml on generated documents", () => {
    const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_./-]{0,8}$/);
    const leaf = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null), fc.constantFrom("5s", "1.0", "0x1", "-", "- a", "a: b", "#", "'", '"', "~", "yes", "1e3", "010"));
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: "small" }, leaf, fc.array(tie("node"), { maxLength: 4 }), fc.dictionary(key, tie("node"), { maxKeys: 4 })),
    })).node;
    fc.assert(fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 5 }), (doc) => {
      agrees(stringify(doc));
      agrees(stringify(doc, { indentSeq: false }));
    }), { numRuns: 400 });
  });
});
