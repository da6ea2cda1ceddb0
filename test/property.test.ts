/**
 * Property tests (fast-check): random valid grids synthesize and pass the real validators;
 * random props — valid or not — only ever produce a ValidationError, never another exception.
 */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Grid, Lattice, TlosNode, ValidationError, writeOutput, type TlosNodeProps } from "../src/index.js";
import { runValidators } from "../src/validate/run.js";
import { realBinary, SEED, tempDir } from "./helpers.js";

const label = fc.stringMatching(/^[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?$/);
const hostName = fc.oneof(
  fc.tuple(label, label).map(([a, b]) => `${a}.${b}.example`),
  fc.tuple(fc.integer({ min: 1, max: 223 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 })).map(([a, b, c]) => `${a}.${b}.0.${c}`),
);

const nodeProps: fc.Arbitrary<Partial<TlosNodeProps>> = fc.record(
  {
    podman: fc.record({ version: fc.constantFrom("5.0", "5.1", "5.2", "5.3", "5.4"), userNS: fc.constantFrom("auto", "keep-id", "nomap", "auto:size=65536"), autoUpdate: fc.constantFrom("local" as const, false as const) }, { requiredKeys: [] }),
    resources: fc.record({ cpu: fc.constantFrom("250m", "1", "2", 0.5, "1500m"), memory: fc.constantFrom("128Mi", "1Gi", "2G", "768M") }, { requiredKeys: [] }),
    labels: fc.dictionary(label, label, { maxKeys: 3 }),
    publishPorts: fc.uniqueArray(fc.integer({ min: 9000, max: 9999 }), { maxLength: 2 }).map((ps) => ps.map((p) => ({ host: p, container: p }))),
  },
  { requiredKeys: [] },
);

const validGrid = fc.record({
  hubCount: fc.constantFrom(3, 5),
  hosts: fc.uniqueArray(hostName, { minLength: 5, maxLength: 5 }),
  wasmcloud: fc.constantFrom("v1" as const, "v2" as const),
  nodes: fc.uniqueArray(label.filter((l) => !/^hub/.test(l)), { minLength: 1, maxLength: 3 }).chain((ids) => fc.tuple(...ids.map((id) => nodeProps.map((p) => [id, p] as const)))),
});

interface GridCase { hubCount: number; hosts: string[]; wasmcloud: "v1" | "v2"; nodes: readonly (readonly [string, Partial<TlosNodeProps>])[] }

function build(g: GridCase): Grid {
  const grid = new Grid("prop");
  const lattice = new Lattice(grid, "lattice", {
    wasmcloud: g.wasmcloud,
    hubs: g.hosts.slice(0, g.hubCount).map((host, i) => ({ id: `hub-${i + 1}`, host })),
  });
  for (const [id, p] of g.nodes) new TlosNode(lattice, id, { target: "podman", ...p } as TlosNodeProps);
  return grid;
}

const quadlet = realBinary("quadlet");
const nats = realBinary("nats-server");

describe("property: random grids", () => {
  it.skipIf(!quadlet || !nats)("random valid grids synthesize and pass quadlet -dryrun and nats-server -t", async () => {
    await fc.assert(
      fc.asyncProperty(validGrid, async (g) => {
        const out = join(tempDir("tlos-prop-"), "out");
        writeOutput(build(g).synth({ masterSeed: SEED }), out);
        const r = await runValidators(out, { requireAll: true });
        expect(r.ok, r.lines.join("\n")).toBe(true);
      }),
      { numRuns: 12, seed: 20261127 },
    );
  }, 120_000);

  it("random props only ever produce a ValidationError", () => {
    const junk = fc.oneof(fc.anything({ maxDepth: 2 }), fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null));
    fc.assert(
      fc.property(
        fc.record({
          grid: fc.oneof(fc.constant("g"), fc.string()),
          node: fc.oneof(label, fc.string()),
          lattice: fc.record({ name: junk, jetstreamDomain: junk, hubs: fc.oneof(junk, fc.array(fc.record({ id: junk, host: junk, ports: junk, storeDir: junk, jetstream: junk }), { maxLength: 4 })), wasmcloud: junk, limits: junk, images: junk, podman: junk }, { requiredKeys: [] }),
          props: fc.record({ target: fc.oneof(fc.constant("podman"), junk), podman: junk, resources: fc.oneof(junk, fc.record({ cpu: junk, memory: junk })), labels: junk, images: junk, nats: junk, publishPorts: fc.oneof(junk, fc.array(junk, { maxLength: 3 })) }, { requiredKeys: [] }),
        }),
        (c) => {
          try {
            const grid = new Grid(c.grid);
            const lattice = new Lattice(grid, "lattice", c.lattice as never);
            new TlosNode(lattice, c.node, c.props as never);
            grid.synth({ masterSeed: SEED });
          } catch (e) {
            if (!(e instanceof ValidationError)) throw e;
          }
        },
      ),
      { numRuns: Number(process.env["TLOS_PROP_RUNS"] ?? 1500), seed: Number(process.env["TLOS_PROP_SEED"] ?? 4242) },
    );
  });
});

describe("property: random props of every construct", () => {
  it("App, AkashGpuPool, Akash TlosNode and SpinKubeCluster props only ever produce a ValidationError", async () => {
    const { App, AkashGpuPool, SpinKubeCluster } = await import("../src/index.js");
    const junk = fc.oneof(fc.anything({ maxDepth: 3 }), fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null));
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.oneof(a, junk);
    const record = (keys: string[]) => fc.record(Object.fromEntries(keys.map((k) => [k, junk])), { requiredKeys: [] });
    fc.assert(
      fc.property(
        fc.record({
          version: fc.constantFrom("v1" as const, "v2" as const),
          app: fc.record({ version: maybe(fc.constant("1.0.0")), components: maybe(fc.array(record(["name", "image", "instances", "spread", "perHost", "config", "secrets", "build"]), { maxLength: 3 })), providers: maybe(fc.array(record(["name", "image", "instances", "requirements", "config"]), { maxLength: 2 })), links: maybe(fc.array(record(["from", "to", "namespace", "package", "interfaces", "name", "targetConfig", "sourceConfig"]), { maxLength: 2 })), hostInterfaces: junk, namespace: junk, replicas: junk, hostSelector: junk }, { requiredKeys: [] }),
          pool: fc.record({ gpu: maybe(record(["model", "units", "ram", "interface"])), count: junk, resources: maybe(record(["cpu", "memory", "ephemeralStorage"])), modelCache: maybe(record(["size", "class", "mount", "persistent"])), volumes: maybe(fc.array(record(["name", "size", "class", "mount"]), { maxLength: 2 })), inference: maybe(record(["model", "image", "args", "port", "env"])), public: junk, placement: maybe(fc.record({ attributes: junk, signedBy: maybe(record(["anyOf", "allOf"])) }, { requiredKeys: [] })), pricing: maybe(record(["denom", "amount", "sidecarAmount"])), images: junk }, { requiredKeys: [] }),
          node: fc.record({ pricing: maybe(record(["denom", "amount", "sidecarAmount"])), placement: junk, kernel: maybe(record(["image", "cpu", "memory", "storage", "env"])) }, { requiredKeys: [] }),
          cluster: fc.record({ install: maybe(record(["certManager", "runtimeClassManager", "spinCrds", "spinOperator", "admission", "wasmcloudOperator"])), runtime: maybe(record(["name", "nodeSelector", "sha256"])), executor: maybe(record(["runtimeClassName", "spinImage"])), spinApps: maybe(fc.array(record(["name", "namespace", "image", "replicas", "autoscaling", "resources", "variables", "runtimeConfigSecret", "checks", "imagePullSecrets", "components", "invocationMemoryLimit", "executor"]), { maxLength: 2 })), cosignPublicKeys: junk, wasmcloud: maybe(record(["namespace", "hostGroups"])) }, { requiredKeys: [] }),
        }),
        (c) => {
          try {
            const grid = new Grid("g");
            const lattice = new Lattice(grid, "lattice", { hubs: [1, 2, 3].map((i) => ({ id: `hub-${i}`, host: `h${i}.example` })), wasmcloud: c.version });
            new App(lattice, "app", c.app as never);
            new AkashGpuPool(lattice, "pool", c.pool as never);
            new TlosNode(lattice, "cloud", { target: "akash", akash: c.node } as never);
            new SpinKubeCluster(lattice, "k8s", c.cluster as never);
            grid.synth({ masterSeed: SEED });
          } catch (e) {
            if (!(e instanceof ValidationError)) throw e;
          }
        },
      ),
      { numRuns: Number(process.env["TLOS_PROP_RUNS"] ?? 600), seed: Number(process.env["TLOS_PROP_SEED"] ?? 777) },
    );
  });
});
