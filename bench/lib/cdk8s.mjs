// cdk8s emitting comparable objects: every file of the same synth as a raw ApiObject (a ConfigMap
// holding the file's bytes), one Chart per top-level output folder, so cdk8s writes about the same
// bytes; `app.synth()` resolves, serializes (yaml) and writes them. Not one Chart per folder:
// cdk8s's synth grows faster than linearly in the number of charts (the 1k-node grid's 6,041
// folders took 220 s, one chart of all 15,090 objects 8 s, on the same loaded machine).
//   node bench/lib/cdk8s.mjs <blob.json> <out>
import { readFileSync } from "node:fs";
import { basename } from "node:path";
const [blob, out] = process.argv.slice(2);
const t0 = performance.now();
const { App, Chart, ApiObject } = await import("cdk8s");
const t1 = performance.now();
const files = JSON.parse(readFileSync(blob, "utf8"));
const app = new App({ outdir: out });
const charts = new Map();
let i = 0;
for (const f of files) {
  const dir = f.path.split("/")[0];
  let chart = charts.get(dir);
  if (!chart) charts.set(dir, (chart = new Chart(app, `c${charts.size}`)));
  new ApiObject(chart, `o${i++}`, { apiVersion: "v1", kind: "ConfigMap", metadata: { name: basename(f.path).toLowerCase().replace(/[^a-z0-9.-]/g, "-") }, data: { [basename(f.path)]: f.content } });
}
const t2 = performance.now();
app.synth();
const t3 = performance.now();
console.log(JSON.stringify({ require_ms: t1 - t0, construct_ms: t2 - t1, synth_ms: t3 - t2, charts: charts.size, objects: i }));
