// `npm run bench`: what synth, validate, the Pulumi adapter and start-up cost, on the built
// library (dist-lib) and the examples' grids, against floors measured in the same run.
// Whole-process runs are interleaved (A B C, B C A, …) so a noisy shared machine hits every variant
// alike; ratios are taken pair by pair (same round), reported as median [min–max].
// Output is written to a tmpfs (/dev/shm) when there is one, so the disk's queue (shared with
// whatever else runs) does not swamp the CPU cost being compared; BENCH_DIR picks another folder.
// Writes bench/results.json after every step, then the README table (bench/table.mjs).
//   node bench/run.mjs                      N = 100, 1000, 10000
//   BENCH_N=100,1000 node bench/run.mjs     other sizes; BENCH_SKIP_INSTALL=1 skips the install step
//   BENCH_ONLY=startup,validate node bench/run.mjs   only those parts (synth, startup, validate,
//     pulumi, install), BENCH_ROUNDS=9 rounds each: prints the JSON, leaves results.json and the README alone
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { measureInstall } from "./lib/install.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LIB = join(ROOT, "bench/lib");
const TLOS = join(ROOT, "bin/tlos.mjs");
const RSS = join(LIB, "rss.mjs");
const SCALE = join(ROOT, "examples/scale/grid.ts");
const HOME = join(ROOT, "examples/home-node/grid.ts");
const SIZES = (process.env.BENCH_N ?? "100,1000,10000").split(",").map(Number);
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(",")) : undefined;
const part = (name) => !ONLY || ONLY.has(name);
const rounds = (n) => Number(process.env.BENCH_ROUNDS) || n;
const ROUNDS = (n) => (n <= 100 ? 5 : n <= 1000 ? 3 : 1);
const base = process.env.BENCH_DIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
const work = mkdtempSync(join(base, "tlos-bench-"));
// the examples' `import "@tlos/grid"` loaded by tlos without this repository's paths: the built package
const env = { ...process.env, TLOS_MASTER_SEED: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", TLOS_TSCONFIG: join(ROOT, "bench/tsconfig.json"), CI: "" };
const began = performance.now();
const progress = (what) => process.stderr.write(`${what} (${((performance.now() - began) / 1000).toFixed(0)} s, load ${loadavg()[0].toFixed(1)})\n`);

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length });

/** One whole-process run: wall ms, peak RSS MiB, the JSON line it printed (if any). */
function run(args, extraEnv = {}) {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", RSS, ...args], { cwd: ROOT, env: { ...env, ...extraEnv, BENCH_RSS_FILE: rssFile }, encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) / 1024 : NaN;
  rmSync(rssFile, { force: true });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  let json;
  try {
    json = JSON.parse(last);
  } catch {
    json = undefined;
  }
  return { wall, rss, json };
}

/** Interleaved rounds of named variants; `variants[name](round)` gives its args, env and cleanup. */
function interleave(variants, rounds) {
  const names = Object.keys(variants);
  const out = Object.fromEntries(names.map((k) => [k, []]));
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + r) % names.length];
      const v = variants[name](r);
      out[name].push(run(v.args, v.env));
      v.after?.();
    }
  }
  return out;
}

const save = () => (ONLY ? undefined : writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`));
const paired = (a, b) => a.map((x, i) => x.wall / b[i].wall);
const walls = (xs) => stat(xs.map((x) => x.wall));
const rsss = (xs) => stat(xs.map((x) => x.rss));
/** Removes an output folder and the state folder (`.<name>.tlos`) tlos keeps beside it. */
const rmOut = (dir, name) => () => {
  rmSync(join(dir, name), { recursive: true, force: true });
  rmSync(join(dir, `.${name}.tlos`), { recursive: true, force: true });
};

const fsType = spawnSync("stat", ["-f", "-c", "%T", work], { encoding: "utf8" }).stdout.trim() || "?";
const results = {
  machine: { cpu: cpus()[0]?.model ?? "?", cores: availableParallelism(), memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, outputFs: fsType, loadavgAtStart: loadavg().map((x) => +x.toFixed(2)), date: new Date().toISOString() },
  synth: [],
};

// ---- synth: tlos synth (whole process) vs the write floor vs cdk8s, and the in-process phases
for (const n of part("synth") ? SIZES : []) {
  const blob = join(work, `blob-${n}.json`);
  const first = run([join(LIB, "phases.mjs"), String(n), join(work, `p-${n}-dump`), "--dump", blob]); // also the floors' input
  rmOut(work, `p-${n}-dump`)();
  const rounds = ROUNDS(n);
  const r = interleave({
    tlos: (i) => ({ args: [TLOS, "synth", SCALE, "--out", join(work, `t-${n}-${i}`)], env: { TLOS_NODES: String(n) }, after: rmOut(work, `t-${n}-${i}`) }),
    floor: (i) => ({ args: [join(LIB, "floor-write.mjs"), blob, join(work, `f-${n}-${i}`)], after: rmOut(work, `f-${n}-${i}`) }),
    cdk8s: (i) => ({ args: [join(LIB, "cdk8s.mjs"), blob, join(work, `c-${n}-${i}`)], after: rmOut(work, `c-${n}-${i}`) }),
  }, rounds);
  // the phases of every round but the first come from extra runs; the dump run is one sample
  const more = rounds > 1 ? interleave({ phases: (i) => ({ args: [join(LIB, "phases.mjs"), String(n), join(work, `p-${n}-${i}`)], after: rmOut(work, `p-${n}-${i}`) }) }, rounds - 1).phases : [];
  const phases = [first, ...more];
  const ph = (k) => stat(phases.map((x) => x.json[k]));
  const render = n <= 1000 ? run([join(LIB, "render.mjs"), blob]).json : undefined;
  results.synth.push({
    nodes: n, files: first.json.files, bytes: first.json.bytes,
    wall_ms: { tlos: walls(r.tlos), floor: walls(r.floor), cdk8s: walls(r.cdk8s) },
    peak_rss_mib: { tlos: rsss(r.tlos), floor: rsss(r.floor), cdk8s: rsss(r.cdk8s) },
    ratio: { tlos_over_floor: stat(paired(r.tlos, r.floor)), tlos_over_cdk8s: stat(paired(r.tlos, r.cdk8s)) },
    phases_ms: { import: ph("import_ms"), construct: ph("construct_ms"), synth: ph("synth_ms"), write: ph("write_ms"), floor_write: stat(r.floor.map((x) => x.json.write_ms)), floor_read_input: stat(r.floor.map((x) => x.json.read_ms)) },
    ...(render ? { render: { docs: render.docs, identical: render.identical, ours_over_yaml: stat(render.ours_ms.map((x, i) => x / render.yaml_ms[i])), ours_ms: stat(render.ours_ms), yaml_ms: stat(render.yaml_ms) } } : {}),
  });
  rmSync(blob, { force: true });
  progress(`synth N=${n} done`);
  save();
}

// ---- cold start
if (part("startup")) {
  const r = interleave({
    node: () => ({ args: ["-e", "0"] }),
    yaml: () => ({ args: ["-e", 'import("yaml")'] }),
    help: () => ({ args: [TLOS, "--help"] }),
    synth1: (i) => ({ args: [TLOS, "synth", HOME, "--out", join(work, `h-${i}`)], after: rmOut(work, `h-${i}`) }),
  }, rounds(5));
  results.coldStart = {
    wall_ms: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, walls(v)])),
    peak_rss_mib: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, rsss(v)])),
    help_over_node: stat(paired(r.help, r.node)),
    synth1_over_import_yaml: stat(paired(r.synth1, r.yaml)),
  };
  progress("cold start done");
  save();
}

// ---- tlos validate vs its spawn floor (the same validator processes in a shell loop), all cores, on the N=50 output
if (part("validate")) {
  const out = join(work, "v-out");
  run([TLOS, "synth", SCALE, "--out", out], { TLOS_NODES: "50" });
  const jobs = String(availableParallelism());
  const r = interleave({
    validate: () => ({ args: [TLOS, "validate", out, "--jobs", jobs] }),
    floor: () => ({ args: [join(LIB, "validate-floor.mjs"), out, jobs] }),
  }, rounds(3));
  results.validate = { nodes: 50, jobs: Number(jobs), floor: "shell loop", spawns: r.floor[0].json.spawns, wall_ms: { validate: walls(r.validate), floor: walls(r.floor) }, ratio: stat(paired(r.validate, r.floor)) };
  progress("validate done");
  save();
}

// ---- the Pulumi adapter under mocks vs a bare loop registering the same components and outputs
if (part("pulumi")) {
  results.pulumi = [];
  for (const n of SIZES.filter((x) => x <= 1000)) {
    // 5 pairs at 100, 3 at 1k (~10 s a run on the 2-core machine): the ratio's spread, not one sample
    const r = interleave({ tlos: () => ({ args: [join(LIB, "pulumi.mjs"), String(n), "tlos"] }), bare: () => ({ args: [join(LIB, "pulumi.mjs"), String(n), "bare"] }) }, rounds(n <= 100 ? 5 : 3));
    results.pulumi.push({
      nodes: n, resources: r.tlos[0].json.resources,
      wall_ms: { tlos: walls(r.tlos), bare: walls(r.bare) },
      in_process_ms: { tlos: stat(r.tlos.map((x) => x.json.register_resolve_ms)), bare: stat(r.bare.map((x) => x.json.register_resolve_ms)) },
      ratio_in_process: stat(r.tlos.map((x, i) => x.json.register_resolve_ms / r.bare[i].json.register_resolve_ms)),
      ratio_whole_process: stat(paired(r.tlos, r.bare)),
      peak_rss_mib: { tlos: rsss(r.tlos), bare: rsss(r.bare) },
    });
    progress(`pulumi N=${n} done`);
  }
  save();
}

// ---- installed size: npm pack, then npm install of the tarball in fresh projects
if (!process.env.BENCH_SKIP_INSTALL && part("install")) {
  results.install = measureInstall(ROOT, join(tmpdir(), `tlos-bench-install-${process.pid}`));
  progress("install size done");
  save();
}

rmSync(work, { recursive: true, force: true });
results.machine.seconds = Math.round((performance.now() - began) / 1000);
save();

if (ONLY) {
  console.log(JSON.stringify(results, null, 2));
  process.exit(0);
}

// ---- the README table (bench/table.mjs renders it from results.json; a test checks the README holds it)
const { renderTable, writeReadme } = await import("./table.mjs");
writeReadme(join(ROOT, "README.md"), results);
console.log(renderTable(results));
