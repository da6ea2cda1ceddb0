/**
 * Users' mistakes that synthesized silently before: unknown props (every construct, nested
 * objects and list entries included) with "did you mean", unbounded counts, self-links.
 */
import { describe, expect, it } from "vitest";
import { AiGateway, Grid, Lattice, R2Backup, TlosNode, TurnRelay, type AppProps } from "../src/index.js";
import { checkKnownKeys } from "../src/core/known-keys.js";
import { show } from "../src/core/errors.js";
import { akashGrid } from "./fixtures/akash.js";
import { appGrid, HTTP_APP, HTTP_APP_V2 } from "./fixtures/apps.js";
import { clusterGrid, SPIN_APPS } from "./fixtures/spinkube.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { problemsOf, SEED } from "./helpers.js";

const ACCOUNT = "0123456789abcdef0123456789abcdef";
const synth = (g: Grid) => problemsOf(() => g.synth({ masterSeed: SEED })).join("\n");
const odd = { bogus: 1 } as Record<string, unknown>;

describe("unknown props are errors, on every construct", () => {
  const lattice = (extra: Record<string, unknown> = {}) => {
    const g = new Grid("u");
    return { g, l: new Lattice(g, "lattice", { hubs: THREE_HUBS, ...extra }) };
  };
  const cases: [string, () => Grid, string][] = [
    ["Lattice", () => lattice(odd).g, "[u/lattice] bogus"],
    ["TlosNode", () => { const { g, l } = lattice(); new TlosNode(l, "n", { target: "podman", ...odd }); return g; }, "[u/lattice/n] bogus"],
    ["App", () => appGrid("v1", { hello: { ...HTTP_APP, ...odd } as AppProps }), "[apps/lattice/hello] bogus"],
    ["AkashGpuPool", () => akashGrid(odd, null), "[ak/lattice/kimi] bogus"],
    ["SpinKubeCluster", () => clusterGrid(odd), "[kube/lattice/k8s] bogus"],
    ["R2Backup", () => { const { g, l } = lattice(); new R2Backup(l, "b", { accountId: ACCOUNT, ...odd }); return g; }, "[u/lattice/b] bogus"],
    ["AiGateway", () => { const { g, l } = lattice(); new AiGateway(l, "ai", { accountId: ACCOUNT, fallbacks: [], ...odd }); return g; }, "[u/lattice/ai] bogus"],
    ["TurnRelay (coturn)", () => { const { g } = lattice(); new TurnRelay(g, "t", { provider: "coturn", realm: "turn.example.net", ...odd }); return g; }, "[u/t] bogus"],
    ["TurnRelay (cloudflare)", () => { const { g } = lattice(); new TurnRelay(g, "t", { provider: "cloudflare", accountId: ACCOUNT, realm: "x" } as never); return g; }, "[u/t] realm"],
  ];
  for (const [name, make, where] of cases) {
    it(name, () => expect(synth(make())).toContain(`${where}: unknown prop`));
  }
});

describe("nested unknown props name the path and the prop meant", () => {
  it("in list entries, nested objects and maps", () => {
    const app = appGrid("v1", { hello: { ...HTTP_APP, components: [{ ...HTTP_APP.components[0]!, imag: "x" } as never], links: [{ ...HTTP_APP.links![0]!, interface: ["x"] } as never] } });
    const p = synth(app);
    expect(p).toMatch(/\[apps\/lattice\/hello\] components\[0\]\.imag: unknown prop "imag" — did you mean "image"\?/);
    expect(p).toMatch(/links\[0\]\.interface: unknown prop "interface" — did you mean "interfaces"\?/);
    expect(synth(akashGrid({ inference: { model: "m/x", modle: "y" } as never }, null))).toMatch(/inference\.modle: unknown prop "modle" — did you mean "model"\?/);
    expect(synth(clusterGrid({}, [{ ...SPIN_APPS[0]!, replica: 2 } as never]))).toMatch(/spinApps\[0\]\.replica: unknown prop "replica" — did you mean "replicas"\?/);
  });

  it("leaves free-form maps alone (labels, env, config)", () => {
    const r: string[] = [];
    checkKnownKeys((f, m) => r.push(`${f}: ${m}`), { labels: { anything: "x" }, nested: { a: { list: [{ ok: 1, bad: 2 }] } } }, { labels: true, nested: { map: { list: { list: { ok: true } } } } });
    expect(r).toEqual(['nested.a.list[0].bad: unknown prop "bad"; known here: ok']);
  });
});

describe("bounds on every count, self-links", () => {
  it("refuses App replicas 1e9", () => {
    expect(synth(appGrid("v2", { hello: { ...HTTP_APP_V2, replicas: 1e9 } }))).toMatch(/\[apps\/lattice\/hello\] replicas: 1000000000 is not allowed: use an integer from 1 to 10000/);
  });
  it("refuses SpinApp replicas 100000 and autoscaling max 100000", () => {
    expect(synth(clusterGrid({}, [{ ...SPIN_APPS[0]!, replicas: 100_000 }]))).toMatch(/spinApps\[0\]\.replicas: 100000 is not allowed: use an integer from 1 to 10000/);
    expect(synth(clusterGrid({}, [{ name: "api", image: SPIN_APPS[1]!.image, autoscaling: { min: 1, max: 100_000 }, resources: { cpu: "1", memory: "1Gi" } }]))).toMatch(/autoscaling\.max: 100000 is not allowed/);
  });
  it("refuses a link from a component to itself", () => {
    const self = { ...HTTP_APP, links: [{ from: "hello", to: "hello", namespace: "wasi", package: "http", interfaces: ["incoming-handler"] }] };
    expect(synth(appGrid("v1", { hello: self }))).toMatch(/\[apps\/lattice\/hello\] links\[0\]\.to: "hello" links to itself/);
  });
  it("names NaN, Infinity and invalid Dates as such", () => {
    expect([show(NaN), show(Infinity), show(new Date("x")), show(new Date(0))]).toEqual(["NaN", "Infinity", "an invalid Date", "Date 1970-01-01T00:00:00.000Z"]);
  });
});
