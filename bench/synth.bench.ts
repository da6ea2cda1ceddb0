/**
 * `npm run bench`: synth cost per node and CLI start-up, as ratios measured in one run (the
 * machines are shared and noisy; absolute numbers are printed for context only).
 *  - linearity: per-node synth time at N=1000 over N=100 (≈1 means linear)
 *  - serializer share: synth time over the time to JSON.stringify the same artifacts
 *  - start-up: `tlos --help` over bare `node -e ""`, and importing @pulumi/pulumi over `tlos --help`
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { MasterSeed } from "@tlos/grid";
import { scaleGrid } from "../examples/scale/grid.js";

const seed = MasterSeed.parse("42".repeat(32), { insecureTestSeed: true });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

function timeSynth(n: number, runs: number): { ms: number; files: number; bytes: number; jsonMs: number } {
  const times: number[] = [];
  const jsonTimes: number[] = [];
  let files = 0, bytes = 0;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const result = scaleGrid(n).synth({ masterSeed: seed });
    times.push(performance.now() - t0);
    files = result.files.length;
    bytes = result.files.reduce((s, f) => s + f.content.length, 0);
    const t1 = performance.now();
    JSON.stringify(result.files);
    jsonTimes.push(performance.now() - t1);
  }
  return { ms: median(times), files, bytes, jsonMs: median(jsonTimes) };
}

function timeCommand(args: string[], runs: number): number {
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const p = spawnSync(process.execPath, args, { cwd: fileURLToPath(new URL("..", import.meta.url)), encoding: "utf8" });
    if (p.status !== 0) throw new Error(`${args.join(" ")} failed: ${p.stderr}`);
    times.push(performance.now() - t0);
  }
  return median(times);
}

timeSynth(50, 2); // warm-up
const small = timeSynth(100, 5);
const large = timeSynth(1000, 3);
const perSmall = small.ms / 100, perLarge = large.ms / 1000;
const bare = timeCommand(["-e", ""], 7);
const help = timeCommand(["bin/tlos.mjs", "--help"], 7);
const pulumi = timeCommand(["-e", "require('@pulumi/pulumi')"], 5);

const rows = [
  ["synth N=100", `${small.ms.toFixed(1)} ms`, `${perSmall.toFixed(3)} ms/node`, `${small.files} files, ${(small.bytes / 1024).toFixed(0)} KiB`],
  ["synth N=1000", `${large.ms.toFixed(1)} ms`, `${perLarge.toFixed(3)} ms/node`, `${large.files} files, ${(large.bytes / 1024).toFixed(0)} KiB`],
  ["linearity (per node, 1000 vs 100)", (perLarge / perSmall).toFixed(2), "", "≈1 is linear"],
  ["synth / JSON.stringify of the output (N=1000)", (large.ms / large.jsonMs).toFixed(1), "", "what building + validating + rendering costs over a bare serializer"],
  ["node -e ''", `${bare.toFixed(0)} ms`, "", ""],
  ["tlos --help", `${help.toFixed(0)} ms`, (help / bare).toFixed(2), "ratio to bare node"],
  ["require('@pulumi/pulumi')", `${pulumi.toFixed(0)} ms`, (pulumi / help).toFixed(2), "ratio to tlos --help: why synth never imports Pulumi"],
];
for (const r of rows) console.log(r.map((c, i) => (i === 0 ? c.padEnd(48) : c.padEnd(16))).join(""));
