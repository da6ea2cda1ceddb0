// Render vs yaml: every YAML document a synth wrote (read from the floors' blob and parsed back to
// data, untimed), printed by our emitter and by yaml's Document model (stringify), alternately,
// 3 times each. Prints one JSON line.
//   node bench/lib/render.mjs <blob.json>
import { readFileSync } from "node:fs";
import { parseAllDocuments } from "yaml";
const { emitDocument, stringifyWithYaml } = await import("../../dist-lib/core/yaml.js");
const files = JSON.parse(readFileSync(process.argv[2], "utf8"));
const docs = files.filter((f) => /\.ya?ml$/.test(f.path)).flatMap((f) => parseAllDocuments(f.content).map((d) => d.toJSON()));
const ours = [], theirs = [];
let same = true;
for (let r = 0; r < 3; r++) {
  let t = performance.now();
  const a = docs.map(emitDocument);
  ours.push(performance.now() - t);
  t = performance.now();
  const b = docs.map(stringifyWithYaml);
  theirs.push(performance.now() - t);
  same &&= a.every((x, i) => x === b[i]);
}
console.log(JSON.stringify({ docs: docs.length, ours_ms: ours, yaml_ms: theirs, identical: same }));
