// `npm run bench`: what synth, validate and start-up cost, on the built library (dist-lib),
// against floors measured in the same run. Whole-process runs are interleaved (A B C, B C A, …)
// so a noisy shared machine hits every variant alike; ratios are taken pair by pair (same round),
// reported as median [min–max]. Writes bench/results.json and prints a Markdown table.
//   node bench/run.mjs                      N = 100, 1000, 10000
//   BENCH_N=100,1000 node bench/run.mjs     other sizes; BENCH_SKIP_INSTALL=1 skips the install-size step
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LIB = join(ROOT, "bench/lib");
const TLOS = join(ROOT, "bin/tlos.mjs");
const RSS = join(LIB, "rss.mjs");
const SIZES = (process.env.BENCH_N ?? "100,1000,10000").split(",").map(Number);
const ROUNDS = (n) => (n <= 100 ? 5 : n <= 1000 ? 3 : 1);
const work = mkdtempSync(join(tmpdir(), "tlos-bench-"));
const env = { ...process.env, TLOS_MASTER_SEED: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", CI: "" };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length });
const fmt = (s, unit = "s", k = 1000, d = 3) => `${(s.median / k).toFixed(d)}${unit} [${(s.min / k).toFixed(d)}–${(s.max / k).toFixed(d)}]`;
const ratio = (s) => `${s.median.toFixed(2)} [${s.min.toFixed(2)}–${s.max.toFixed(2)}]`;

/** One whole-process run: wall ms, peak RSS MiB, the JSON line it printed (if any). */
function run(args, extraEnv = {}) {
  const rssFile = join(work, `rss-${process.hrtime.bigint()}`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--import", RSS, ...args], { cwd: ROOT, env: { ...env, ...extraEnv, BENCH_RSS_FILE: rssFile }, encoding: "utf8", maxBuffer: 1 << 28 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const rss = existsSync(rssFile) ? Number(readFileSync(rssFile, "utf8")) / 1024 : NaN;
  const last = r.stdout.trim().split("\n").pop() ?? "";
  let json;
  try {
    json = JSON.parse(last);
  } catch {
    json = undefined;
  }
  return { wall, rss, json };
}

/** Interleaved rounds of named variants; `prepare(round)` gives each its args and cleanup. */
function interleave(variants, rounds) {
  const out = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const names = Object.keys(variants);
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

/** results.json after every step, so an interrupted run keeps what it measured. */
const save = () => writeFileSync(join(ROOT, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
const paired = (a, b) => a.map((x, i) => x.wall / b[i].wall);
const rmrf = (p) => () => rmSync(p, { recursive: true, force: true });

function du(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += du(p);
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

const results = {
  machine: { cpu: cpus()[0]?.model ?? "?", cores: availableParallelism(), memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadavgAtStart: loadavg().map((x) => +x.toFixed(2)), date: new Date().toISOString() },
  synth: [],
};

// ---- synth: tlos synth (whole process) vs the write floor vs cdk8s, and the in-process phases
for (const n of SIZES) {
  const blob = join(work, `blob-${n}.json`);
  run([join(LIB, "phases.mjs"), String(n), join(work, `prep-${n}`), "--dump", blob]); // warm-up, and the floors' input
  rmSync(join(work, `prep-${n}`), { recursive: true, force: true });
  const rounds = ROUNDS(n);
  const r = interleave({
    tlos: (i) => ({ args: [TLOS, "synth", join(LIB, "scale-grid.mjs"), "--out", join(work, `t-${n}-${i}`)], env: { TLOS_NODES: String(n) }, after: rmrf(join(work, `t-${n}-${i}`)) }),
    floor: (i) => ({ args: [join(LIB, "floor-write.mjs"), blob, join(work, `f-${n}-${i}`)], after: rmrf(join(work, `f-${n}-${i}`)) }),
    cdk8s: (i) => ({ args: [join(LIB, "cdk8s.mjs"), blob, join(work, `c-${n}-${i}`)], after: rmrf(join(work, `c-${n}-${i}`)) }),
    phases: (i) => ({ args: [join(LIB, "phases.mjs"), String(n), join(work, `p-${n}-${i}`)], after: rmrf(join(work, `p-${n}-${i}`)) }),
  }, rounds);
  const render = run([join(LIB, "render.mjs"), String(n)]).json;
  const ph = (k) => stat(r.phases.map((x) => x.json[k]));
  const files = r.phases[0].json.files, bytes = r.phases[0].json.bytes;
  results.synth.push({
    nodes: n, files, bytes,
    wall_ms: { tlos: stat(r.tlos.map((x) => x.wall)), floor: stat(r.floor.map((x) => x.wall)), cdk8s: stat(r.cdk8s.map((x) => x.wall)) },
    peak_rss_mib: { tlos: stat(r.tlos.map((x) => x.rss)), floor: stat(r.floor.map((x) => x.rss)), cdk8s: stat(r.cdk8s.map((x) => x.rss)) },
    ratio: { tlos_over_floor: stat(paired(r.tlos, r.floor)), tlos_over_cdk8s: stat(paired(r.tlos, r.cdk8s)) },
    phases_ms: { import: ph("import_ms"), construct: ph("construct_ms"), synth: ph("synth_ms"), write: ph("write_ms"), floor_write: stat(r.floor.map((x) => x.json.write_ms)), floor_read_input: stat(r.floor.map((x) => x.json.read_ms)) },
    render: { docs: render.docs, identical: render.identical, ours_over_yaml: stat(render.ours_ms.map((x, i) => x / render.yaml_ms[i])), ours_ms: stat(render.ours_ms), yaml_ms: stat(render.yaml_ms) },
  });
  rmSync(blob, { force: true });
  process.stderr.write(`synth N=${n} done\n`);
  save();
}

// ---- cold start
{
  const home = join(LIB, "home-grid.ts");
  const r = interleave({
    node: () => ({ args: ["-e", "0"] }),
    yaml: () => ({ args: ["-e", 'import("yaml")'] }),
    help: () => ({ args: [TLOS, "--help"] }),
    synth1: (i) => ({ args: [TLOS, "synth", home, "--out", join(work, `h-${i}`), "--seed-file", join(work, "seed", "master.seed")], after: rmrf(join(work, `h-${i}`)) }),
  }, 7);
  results.coldStart = {
    wall_ms: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, stat(v.map((x) => x.wall))])),
    peak_rss_mib: Object.fromEntries(Object.entries(r).map(([k, v]) => [k, stat(v.map((x) => x.rss))])),
    help_over_node: stat(paired(r.help, r.node)),
    synth1_over_import_yaml: stat(paired(r.synth1, r.yaml)),
  };
  process.stderr.write("cold start done\n");
  save();
}

// ---- tlos validate vs its spawn floor, all cores, on the N=100 output
{
  const out = join(work, "v-out");
  run([TLOS, "synth", join(LIB, "scale-grid.mjs"), "--out", out], { TLOS_NODES: "100" });
  const jobs = String(availableParallelism());
  const r = interleave({
    validate: () => ({ args: [TLOS, "validate", out, "--jobs", jobs] }),
    floor: () => ({ args: [join(LIB, "validate-floor.mjs"), out, jobs] }),
  }, 3);
  results.validate = { nodes: 100, jobs: Number(jobs), spawns: r.floor[0].json.spawns, wall_ms: { validate: stat(r.validate.map((x) => x.wall)), floor: stat(r.floor.map((x) => x.wall)) }, ratio: stat(paired(r.validate, r.floor)) };
  process.stderr.write("validate done\n");
  save();
}

// ---- the Pulumi adapter under mocks vs a bare loop registering the same components and outputs
{
  results.pulumi = [];
  for (const n of SIZES.filter((x) => x <= 1000)) {
    const r = interleave({ tlos: () => ({ args: [join(LIB, "pulumi.mjs"), String(n), "tlos"] }), bare: () => ({ args: [join(LIB, "pulumi.mjs"), String(n), "bare"] }) }, n <= 100 ? 3 : 2);
    results.pulumi.push({
      nodes: n, resources: r.tlos[0].json.resources,
      wall_ms: { tlos: stat(r.tlos.map((x) => x.wall)), bare: stat(r.bare.map((x) => x.wall)) },
      in_process_ms: { tlos: stat(r.tlos.map((x) => x.json.register_resolve_ms)), bare: stat(r.bare.map((x) => x.json.register_resolve_ms)) },
      ratio_in_process: stat(r.tlos.map((x, i) => x.json.register_resolve_ms / r.bare[i].json.register_resolve_ms)),
      peak_rss_mib: { tlos: stat(r.tlos.map((x) => x.rss)), bare: stat(r.bare.map((x) => x.rss)) },
    });
  }
  process.stderr.write("pulumi done\n");
  save();
}

// ---- installed size of a default install (npm pack, then npm install of the tarball in a fresh project)
if (!process.env.BENCH_SKIP_INSTALL) {
  try {
    const proj = join(work, "install");
    mkdirSync(proj);
    const tgz = JSON.parse(execFileSync("npm", ["pack", "--json", "--pack-destination", work], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }))[0].filename;
    execFileSync("npm", ["init", "-y"], { cwd: proj, stdio: "ignore" });
    const log = execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, tgz)], { cwd: proj, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const nm = join(proj, "node_modules");
    const lock = JSON.parse(readFileSync(join(proj, "package-lock.json"), "utf8"));
    results.install = { bytes: du(nm), packages: Object.keys(lock.packages).filter((p) => p.startsWith("node_modules/")).length, ebadengine: (log.match(/EBADENGINE/g) ?? []).length, tsx_esbuild_bytes: du(join(nm, "@esbuild")) + du(join(nm, "esbuild")) + du(join(nm, "tsx")) };
  } catch (e) {
    results.install = { error: String(e).split("\n")[0] };
  }
  process.stderr.write("install size done\n");
  save();
}

rmSync(work, { recursive: true, force: true });
save();

// ---- the README table
const m = results.machine;
const lines = [
  `Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}, load ${m.loadavgAtStart.join(" ")} at start (${m.date.slice(0, 10)}).`,
  "",
  "| N nodes (files, MiB) | `tlos synth` wall | write floor wall | cdk8s wall | tlos / floor | tlos / cdk8s | peak RSS tlos / floor / cdk8s (MiB) | in-process: construct / synth / write / floor write (ms) | emitter / yaml |",
  "|---|---|---|---|---|---|---|---|---|",
  ...results.synth.map((s) => `| ${s.nodes} (${s.files}, ${(s.bytes / 2 ** 20).toFixed(1)}) | ${fmt(s.wall_ms.tlos)} | ${fmt(s.wall_ms.floor)} | ${fmt(s.wall_ms.cdk8s)} | ${ratio(s.ratio.tlos_over_floor)} | ${ratio(s.ratio.tlos_over_cdk8s)} | ${s.peak_rss_mib.tlos.median.toFixed(0)} / ${s.peak_rss_mib.floor.median.toFixed(0)} / ${s.peak_rss_mib.cdk8s.median.toFixed(0)} | ${[s.phases_ms.construct, s.phases_ms.synth, s.phases_ms.write, s.phases_ms.floor_write].map((x) => x.median.toFixed(0)).join(" / ")} | ${ratio(s.render.ours_over_yaml)}${s.render.identical ? "" : " (NOT identical)"} |`),
  "",
  "| start-up | wall | peak RSS (MiB) |",
  "|---|---|---|",
  ...Object.entries(results.coldStart.wall_ms).map(([k, v]) => `| ${{ node: "`node -e 0`", yaml: "`node -e 'import(\"yaml\")'`", help: "`tlos --help`", synth1: "`tlos synth` of the 1-node grid (`.ts`)" }[k]} | ${fmt(v)} | ${results.coldStart.peak_rss_mib[k].median.toFixed(0)} |`),
  `| \`tlos --help\` / \`node -e 0\` | ${ratio(results.coldStart.help_over_node)} | |`,
  `| 1-node synth / \`import("yaml")\` | ${ratio(results.coldStart.synth1_over_import_yaml)} | |`,
  "",
  `\`tlos validate\` of the ${results.validate.nodes}-node output, ${results.validate.jobs} jobs: ${fmt(results.validate.wall_ms.validate)} vs its spawn floor (${results.validate.spawns} validator processes, same concurrency) ${fmt(results.validate.wall_ms.floor)}: ${ratio(results.validate.ratio)}.`,
  ...results.pulumi.map((p) => `\`TlosGrid\` under Pulumi mocks, ${p.nodes} nodes (${p.resources} components): register + resolve ${fmt(p.in_process_ms.tlos)} vs a bare loop of the same components and outputs ${fmt(p.in_process_ms.bare)}: ${ratio(p.ratio_in_process)} (peak RSS ${p.peak_rss_mib.tlos.median.toFixed(0)} / ${p.peak_rss_mib.bare.median.toFixed(0)} MiB).`),
  results.install?.bytes ? `Default install (\`npm install\` of the packed tarball in a fresh project): ${(results.install.bytes / 2 ** 20).toFixed(1)} MiB in ${results.install.packages} packages (tsx + esbuild ${(results.install.tsx_esbuild_bytes / 2 ** 20).toFixed(1)} MiB), ${results.install.ebadengine} EBADENGINE warnings.` : `Install size: ${results.install?.error ?? "skipped"}`,
];
console.log(lines.join("\n"));
