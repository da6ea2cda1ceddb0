// The Pulumi adapter under mocks against a bare loop: `new TlosGrid` for an N-node grid vs the same
// number of ComponentResources (same tree, same inputs: path and the per-construct file maps as
// plain and secret outputs) registered by hand from one synth. Both load everything before the
// clock starts, then await every output and the mocks' RPCs.
//   node bench/lib/pulumi.mjs <N> tlos|bare
const [n, variant] = process.argv.slice(2);
const t0 = performance.now();
const pulumi = await import("@pulumi/pulumi");
const t1 = performance.now();
await pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.custom ? `${a.name}-id` : undefined, state: a.inputs }), call: (a) => a.inputs }, "tlos", "bench", false);
pulumi.runtime.setAllConfig({ "tlos:masterSeed": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08" }, ["tlos:masterSeed"]);
const { scaleGrid } = await import("./grids.mjs");
const { TlosGrid } = await import("@tlos/grid/pulumi");
const { MasterSeed, buildManifest } = await import("@tlos/grid");
const grid = await scaleGrid(Number(n));
const t2 = performance.now();
const outs = [];
let resources = 0;
if (variant === "tlos") {
  const g = new TlosGrid("grid", { grid });
  for (const c of Object.values(g.components)) outs.push(c.urn, c.files, c.secretFiles);
  outs.push(g.manifest);
  resources = Object.keys(g.components).length + 1;
} else {
  const result = grid.synth({ masterSeed: MasterSeed.parse("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08") });
  const byConstruct = new Map();
  for (const f of result.files) (byConstruct.get(f.construct) ?? byConstruct.set(f.construct, []).get(f.construct)).push(f);
  const root = new pulumi.ComponentResource("tlos:index:Grid", "grid", {}, {});
  const comps = new Map([[grid.node.path, root]]);
  for (const c of grid.node.findAll().slice(1)) {
    const parent = comps.get(c.node.scope.node.path) ?? root;
    const mine = byConstruct.get(c.node.path) ?? [];
    const files = pulumi.output(Object.fromEntries(mine.filter((f) => !f.secret).map((f) => [f.path, f.content])));
    const secretFiles = pulumi.secret(Object.fromEntries(mine.filter((f) => f.secret).map((f) => [f.path, f.content])));
    const r = new pulumi.ComponentResource("tlos:bench:Construct", `grid-${c.node.path.replace(/\//g, "-")}`, { path: c.node.path, files, secretFiles }, { parent });
    r.registerOutputs({ files, secretFiles });
    comps.set(c.node.path, r);
    outs.push(r.urn, files, secretFiles);
  }
  const manifest = pulumi.output(JSON.stringify(buildManifest(result.files, result.warnings)));
  root.registerOutputs({ manifest });
  outs.push(manifest);
  resources = comps.size;
}
await new Promise((r) => pulumi.all(outs).apply(r));
await pulumi.runtime.waitForRPCs?.();
const t3 = performance.now();
console.log(JSON.stringify({ require_ms: t1 - t0, construct_ms: t2 - t1, register_resolve_ms: t3 - t2, resources }));
