// In-process phases of the synth pipeline on dist-lib: import, construct, synth (validate +
// render), write (writeOutput: files, modes, manifest). Prints one JSON line.
//   node bench/lib/phases.mjs <N> <out> [--dump <blob.json>]   (--dump: the files for the floors, untimed)
import { writeFileSync } from "node:fs";
const [n, out, flag, blob] = process.argv.slice(2);
const t0 = performance.now();
const lib = await import("@tlos/grid");
const { scaleGrid } = await import("./grids.mjs");
const t1 = performance.now();
const grid = await scaleGrid(Number(n));
const t2 = performance.now();
const result = grid.synth({ masterSeed: lib.MasterSeed.parse(process.env.TLOS_MASTER_SEED) });
const t3 = performance.now();
lib.writeOutput(result, out);
const t4 = performance.now();
const bytes = result.files.reduce((s, f) => s + Buffer.byteLength(f.content), 0);
if (flag === "--dump") writeFileSync(blob, JSON.stringify(result.files.map((f) => ({ path: f.path, content: f.content, mode: f.secret ? 0o600 : f.executable ? 0o755 : 0o644 }))));
console.log(JSON.stringify({ import_ms: t1 - t0, construct_ms: t2 - t1, synth_ms: t3 - t2, write_ms: t4 - t3, files: result.files.length, bytes }));
