/**
 * Garbage props — NaN, ±Infinity, cyclic objects, getters that throw, null-prototype objects,
 * proxies that throw on every access, huge arrays, symbols, bigints, functions — in every
 * field of every construct: only a ValidationError ever escapes, never a TypeError, a
 * RangeError, a stack overflow or an "internal" error. Bounded (fixed seed, fixed runs).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AiGateway, AkashGpuPool, App, Grid, Lattice, R2Backup, SpinKubeCluster, TlosNode, TurnRelay, ValidationError } from "../src/index.js";
import { SEED } from "./helpers.js";

function cyclic(): unknown {
  const o: Record<string, unknown> = { a: 1 };
  o["self"] = o;
  o["list"] = [o];
  return o;
}
function throwingGetter(): unknown {
  return Object.defineProperty({}, "x", { enumerable: true, get: () => { throw new Error("getter"); } });
}
function throwingProxy(): unknown {
  const boom = () => { throw new Error("proxy trap"); };
  return new Proxy({}, { get: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom, getPrototypeOf: boom });
}
function nullProto(): unknown {
  const o = Object.create(null) as Record<string, unknown>;
  o["name"] = "x";
  o["version"] = "1.0.0";
  return o;
}

const HUGE = 100_001;
// fast-check clones what it generates (and a throwing proxy breaks that), so it generates a tag
// and the property builds the value
const MAKERS: Record<string, () => unknown> = {
  cyclic,
  throwingGetter,
  throwingProxy,
  nullProto,
  symbol: () => Symbol("s"),
  bigint: () => BigInt(7),
  fn: () => () => 1,
  badDate: () => new Date(NaN),
  hugeObjects: () => Array.from({ length: HUGE }, (_, i) => ({ id: `x-${i}`, host: `h${i}.example`, name: `n${i}` })),
  hugeStrings: () => new Array(HUGE).fill("x"),
  deep: () => { let o: unknown = "x"; for (let i = 0; i < 5000; i++) o = { o }; return o; },
};
type Tag = { readonly make: string } | { readonly value: unknown };
const garbage: fc.Arbitrary<Tag> = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53 + 2, 1e308, -1, 0.5, true, false, null, undefined, "", "secrets", "manifest.json", "..", "a".repeat(20_000)).map((value) => ({ value })),
  fc.constantFrom(...Object.keys(MAKERS)).map((make) => ({ make })),
  fc.anything({ maxDepth: 2 }).map((value) => ({ value })),
);
const build = (d: Record<string, Tag>): Record<string, unknown> => Object.fromEntries(Object.entries(d).map(([k, t]) => [k, "make" in t ? MAKERS[t.make]!() : t.value]));

const pick = (keys: string[]) => fc.dictionary(fc.constantFrom(...keys), garbage, { maxKeys: 3 });

const HUBS = [1, 2, 3].map((i) => ({ id: `hub-${i}`, host: `h${i}.example` }));

function expectOnlyValidationError(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
  }
}

describe("fuzz: garbage props only ever produce a ValidationError", () => {
  it("in every construct's fields, nested one level", () => {
    fc.assert(
      fc.property(
        fc.record({
          latticeId: fc.oneof(fc.constant("lattice"), fc.constantFrom("secrets", "hosts", "manifest.json", "cloudflare", "turn")),
          lattice: pick(["name", "jetstreamDomain", "hubs", "wasmcloud", "limits", "images", "podman", "revokedNodes", "trustedIssuers", "caCertificate"]),
          hub: pick(["id", "host", "bind", "ports", "storeDir", "configDir", "jetstream"]),
          node: pick(["target", "podman", "akash", "resources", "labels", "images", "nats", "publishPorts"]),
          podman: pick(["version", "userNS", "autoUpdate", "extraKeys", "allowInsecure"]),
          app: pick(["version", "components", "providers", "links", "hostInterfaces", "namespace", "replicas", "hostSelector"]),
          component: pick(["name", "image", "instances", "spread", "perHost", "config", "secrets", "build"]),
          build: pick(["crate", "path", "target", "features"]),
          pool: pick(["gpu", "count", "resources", "modelCache", "volumes", "inference", "public", "placement", "pricing", "images"]),
          cluster: pick(["install", "runtime", "executor", "spinApps", "cosignPublicKeys", "wasmcloud"]),
          backup: pick(["accountId", "bucket", "retentionDays", "abortMultipartDays", "at", "keep", "endpoint", "images"]),
          turn: pick(["realm", "externalIp", "ports", "relayPorts", "ttlSeconds", "target", "image"]),
          gateway: pick(["accountId", "cache", "rateLimit", "collectLogs", "authentication", "fallbacks"]),
        }),
        (tags) => {
          const c = Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, typeof v === "string" ? v : build(v as Record<string, Tag>)])) as Record<string, Record<string, unknown>> & { latticeId: string };
          expectOnlyValidationError(() => {
            const grid = new Grid("g");
            const lattice = new Lattice(grid, c.latticeId, { hubs: [{ ...HUBS[0]!, ...c.hub }, HUBS[1]!, HUBS[2]!], ...c.lattice } as never);
            new TlosNode(lattice, "home-1", { target: "podman", ...c.node, podman: { ...c.podman } } as never);
            new App(lattice, "app", { version: "1.0.0", components: [{ name: "c", image: "ghcr.io/x/c@sha256:" + "a".repeat(64), build: c.build, ...c.component }], ...c.app } as never);
            new AkashGpuPool(lattice, "pool", c.pool as never);
            new SpinKubeCluster(lattice, "k8s", c.cluster as never);
            new R2Backup(lattice, "backup", { accountId: "0123456789abcdef0123456789abcdef", ...c.backup } as never);
            new AiGateway(lattice, "ai", { accountId: "0123456789abcdef0123456789abcdef", fallbacks: [], ...c.gateway } as never);
            new TurnRelay(grid, "turn", { provider: "coturn", realm: "turn.example", ...c.turn } as never);
            grid.synth({ masterSeed: SEED });
          });
        },
      ),
      { numRuns: Number(process.env["TLOS_FUZZ_RUNS"] ?? 250), seed: Number(process.env["TLOS_FUZZ_SEED"] ?? 1111) },
    );
  }, 180_000);

  it("as the props object itself, and as ids", () => {
    const things = [NaN, null, undefined, 7, "x", cyclic(), throwingGetter(), throwingProxy(), nullProto(), Symbol("s"), []];
    for (const t of things) {
      for (const make of [
        (g: Grid, l: Lattice) => new TlosNode(l, "n", t as never),
        (g: Grid, l: Lattice) => new App(l, "a", t as never),
        (g: Grid, l: Lattice) => new AkashGpuPool(l, "p", t as never),
        (g: Grid, l: Lattice) => new SpinKubeCluster(l, "k", t as never),
        (g: Grid, l: Lattice) => new R2Backup(l, "b", t as never),
        (g: Grid, l: Lattice) => new AiGateway(l, "ai", t as never),
        (g: Grid) => new TurnRelay(g, "t", t as never),
        (g: Grid) => new Lattice(g, "l2", t as never),
      ]) {
        expectOnlyValidationError(() => {
          const g = new Grid("g");
          make(g, new Lattice(g, "lattice", { hubs: HUBS }));
          g.synth({ masterSeed: SEED });
        });
      }
    }
    expect(true).toBe(true);
  });

  it("the cases found by the injection attack: build.crate NaN/true/Infinity, lattice id secrets, 100,001 hubs, a cyclic podman.version", () => {
    const image = "ghcr.io/x/c@sha256:" + "a".repeat(64);
    const cases: [string, (g: Grid) => void][] = [
      ...[NaN, true, Infinity].map((crate) => [`crate ${String(crate)}`, (g: Grid) => new App(new Lattice(g, "lattice", { hubs: HUBS }), "app", { version: "1.0.0", components: [{ name: "c", image, build: { crate } }] } as never)] as [string, (g: Grid) => void]),
      ["lattice id secrets", (g) => new TlosNode(new Lattice(g, "secrets", { hubs: HUBS }), "n", { target: "podman" })],
      ["100,001 hubs", (g) => new Lattice(g, "lattice", { hubs: Array.from({ length: 100_001 }, (_, i) => ({ id: `hub-${i}`, host: `h${i}.example` })) })],
      ["9,999 hubs", (g) => new Lattice(g, "lattice", { hubs: Array.from({ length: 9_999 }, (_, i) => ({ id: `hub-${i}`, host: `h${i}.example` })) })],
      ["app replicas 1e9", (g) => new App(new Lattice(g, "lattice", { hubs: HUBS }), "app", { version: "1.0.0", components: [{ name: "c", image }], replicas: 1e9 } as never)],
      ["cyclic podman.version", (g) => new TlosNode(new Lattice(g, "lattice", { hubs: HUBS }), "n", { target: "podman", podman: { version: cyclic() } } as never)],
    ];
    for (const [name, make] of cases) {
      const g = new Grid("g");
      make(g);
      expect(() => g.synth({ masterSeed: SEED }), name).toThrow(ValidationError);
    }
  });
});
