// Render vs yaml: every YAML document of an N-node synth, parsed back to data (untimed), then
// printed by our emitter and by yaml's Document model (stringify), alternately, 3 times each.
//   node bench/lib/render.mjs <N>
import { parseAllDocuments } from "yaml";
const { MasterSeed } = await import("../../dist-lib/index.js");
const { emitDocument, stringifyWithYaml } = await import("../../dist-lib/core/yaml.js");
const { scaleGrid } = await import("./scale-grid.mjs");
const files = scaleGrid(Number(process.argv[2])).synth({ masterSeed: MasterSeed.parse("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") }).files;
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
