// The write floor: the same files (bytes and modes) a synth produced, written with one mkdir per
// folder and one writeFile each, as plainly as Node can. Prints one JSON line.
//   node bench/lib/floor-write.mjs <blob.json> <out>
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
const [blob, out] = process.argv.slice(2);
const t0 = performance.now();
const files = JSON.parse(readFileSync(blob, "utf8"));
const t1 = performance.now();
const dirs = new Set(files.map((f) => dirname(join(out, f.path))));
for (const d of dirs) mkdirSync(d, { recursive: true });
for (const f of files) writeFileSync(join(out, f.path), f.content, { mode: f.mode });
writeFileSync(join(out, "manifest.json"), JSON.stringify(files.map((f) => f.path)));
const t2 = performance.now();
console.log(JSON.stringify({ read_ms: t1 - t0, write_ms: t2 - t1, files: files.length }));
