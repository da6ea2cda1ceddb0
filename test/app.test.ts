/** App → wadm OAM (v1) and WorkloadDeployment (v2), checked by wadm's schema, the CRD and wadm's rules. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { type AppProps } from "../src/index.js";
import { wadmSchemaProblems, workloadDeploymentProblems } from "../src/validate/schemas.js";
import { SEED, problemsOf } from "./helpers.js";
import { appGrid, D, HTTP_APP, HTTP_APP_V2, KV_APP } from "./fixtures/apps.js";

const file = (grid: ReturnType<typeof appGrid>, path: string) => grid.synth({ masterSeed: SEED }).files.find((f) => f.path === path)?.content ?? "";

describe("App on a v1 lattice: wadm OAM", () => {
  const grid = appGrid("v1", { hello: HTTP_APP, counter: KV_APP });
  const hello = file(grid, "lattice/apps/hello/wadm.yaml");
  const counter = file(grid, "lattice/apps/counter/wadm.yaml");

  it("validates against wadm's schema", async () => {
    expect(await wadmSchemaProblems(hello)).toEqual([]);
    expect(await wadmSchemaProblems(counter)).toEqual([]);
  });

  it("renders spread scaling, provider placement, links with config, and secrets through the nats-kv policy", () => {
    const h = parse(hello);
    expect(h.metadata).toEqual({ name: "hello", annotations: { version: "0.3.0", description: "hello over HTTP" } });
    const [comp, prov] = h.spec.components;
    expect(comp.traits[0]).toEqual({ type: "spreadscaler", properties: { instances: 4, spread: [{ name: "home", requirements: { zone: "home" }, weight: 80 }, { name: "edge", requirements: { zone: "edge" }, weight: 20 }] } });
    expect(prov.type).toBe("capability");
    expect(prov.traits[1].properties).toEqual({ namespace: "wasi", package: "http", interfaces: ["incoming-handler"], target: { name: "hello" }, source: { config: [{ name: "hello-link0-source-config", properties: { address: "0.0.0.0:8080" } }] } });
    const c = parse(counter);
    expect(c.spec.components[0].traits[0]).toEqual({ type: "daemonscaler", properties: { instances: 1, spread: [{ name: "hosts", requirements: { zone: "home" } }] } });
    expect(c.spec.components[0].properties.secrets).toEqual([{ name: "kv-token", properties: { policy: "nats-kv", key: "token" } }]);
    expect(c.spec.policies).toEqual([{ name: "nats-kv", type: "policy.secret.wasmcloud.dev/v1alpha1", properties: { backend: "nats-kv" } }]);
  });

  it("is refused by wadm's schema when it is wrong (the check can fail)", async () => {
    const broken = parse(hello);
    broken.spec.components[0].type = "actor";
    delete broken.spec.components[0].properties.image;
    expect((await wadmSchemaProblems(JSON.stringify(broken))).length).toBeGreaterThan(0);
  });
});

describe("App on a v2 lattice: WorkloadDeployment", () => {
  const grid = appGrid("v2", { hello: HTTP_APP_V2 });
  const wd = file(grid, "lattice/apps/hello/workload-deployment.yaml");

  it("validates against the wasmCloud v2.7 CRD and carries host interfaces, replicas and selector", async () => {
    expect(await workloadDeploymentProblems(wd)).toEqual([]);
    const d = parse(wd);
    expect(d.metadata.namespace).toBe("apps");
    expect(d.spec.replicas).toBe(3);
    expect(d.spec.template.spec.hostSelector).toEqual({ hostgroup: "default" });
    expect(d.spec.template.spec.hostInterfaces).toEqual([{ namespace: "wasi", package: "http", interfaces: ["incoming-handler"], version: "0.2.0", config: { host: "hello.example.net" } }]);
    expect(d.spec.template.spec.components[0].localResources).toEqual({ config: { greeting: "hi" }, environment: { secretFrom: [{ name: "hello-secrets" }] } });
  });

  it("is refused by the CRD schema when it is wrong (the check can fail)", async () => {
    const d = parse(wd);
    d.spec.template.spec.components[0].image = 42;
    d.spec.replicas = "three";
    expect((await workloadDeploymentProblems(JSON.stringify(d))).length).toBe(2);
  });
});

const bad = (version: "v1" | "v2", app: Partial<AppProps>) => () => appGrid(version, { app: { ...HTTP_APP, ...app } as AppProps }).synth({ masterSeed: SEED });
const problems = problemsOf;

describe("wadm's rules, enforced at synth", () => {
  it("refuses an app name wadm would refuse (via the construct id)", () => {
    expect(problems(() => appGrid("v1", { "Bad.Name": HTTP_APP }).synth({ masterSeed: SEED })).join("\n")).toMatch(/\[apps\/lattice\/Bad\.Name\] id:/);
  });
  it("refuses version latest", () => {
    expect(problems(bad("v1", { version: "latest" }))).toContainEqual(expect.stringMatching(/^\[apps\/lattice\/app\] version: "latest" is not allowed/));
  });
  it("refuses duplicate component names, across components and providers", () => {
    expect(problems(bad("v1", { providers: [{ name: "hello", image: `ghcr.io/x/p:1@${D(5)}` }] }))).toContainEqual(expect.stringMatching(/providers\[0\]\.name: duplicate name "hello": components\[0\]\.name has it already/));
  });
  it("refuses a dangling link", () => {
    expect(problems(bad("v1", { links: [{ from: "hello", to: "nowhere", namespace: "wasi", package: "keyvalue", interfaces: ["store"] }] }))).toContainEqual(expect.stringMatching(/links\[0\]\.to: "nowhere" is not a component or provider of this app \(dangling link\)/));
  });
  it("refuses a duplicate link from one source", () => {
    const l = { from: "http-server", to: "hello", namespace: "wasi", package: "http", interfaces: ["incoming-handler"] };
    expect(problems(bad("v1", { links: [l, l] }))).toContainEqual(expect.stringMatching(/links\[1\]\.interfaces: wasi:http\/incoming-handler \(link name "default"\) is already linked from "http-server" by links\[0\]/));
  });
  it("refuses :latest and unpinned component images", () => {
    expect(problems(bad("v1", { components: [{ name: "hello", image: "ghcr.io/x/hello:latest" }] }))).toContainEqual(expect.stringMatching(/components\[0\]\.image: .*':latest', which is refused/));
  });
  it("refuses providers on a v2 lattice and host interfaces on a v1 lattice", () => {
    expect(problems(bad("v2", {}))).toContainEqual(expect.stringMatching(/providers: capability providers are a wasmCloud v1 concept/));
    expect(problems(bad("v1", { hostInterfaces: HTTP_APP_V2.hostInterfaces }))).toContainEqual(expect.stringMatching(/hostInterfaces: host interfaces are a wasmCloud v2 concept/));
  });
  it("refuses bad WIT names, bad counts and perHost with spread", () => {
    const p = problems(bad("v1", { components: [{ name: "hello", image: `ghcr.io/x/h:1@${D(6)}`, instances: 0, perHost: true, spread: [] }], links: [{ from: "http-server", to: "hello", namespace: "WASI", package: "http", interfaces: [] }] }));
    expect(p).toContainEqual(expect.stringMatching(/components\[0\]\.instances: 0 is not allowed/));
    expect(p).toContainEqual(expect.stringMatching(/components\[0\]\.perHost: perHost and spread exclude each other/));
    expect(p).toContainEqual(expect.stringMatching(/links\[0\]\.namespace: "WASI" is not a WIT namespace/));
    expect(p).toContainEqual(expect.stringMatching(/links\[0\]\.interfaces: \[\] is not allowed/));
  });
});

describe("vendored schemas", () => {
  it("are byte-identical to the reference copies they came from", () => {
    const ref = fileURLToPath(new URL("../../shared/reference/", import.meta.url));
    const here = fileURLToPath(new URL("../schemas/", import.meta.url));
    let ok = 0;
    for (const [a, b] of [["wadm.schema.json", "wadm.schema.json"], ["crds/wasmcloud-v2.7.0-runtime.wasmcloud.dev_workloaddeployments.yaml", "crds/wasmcloud-v2.7.0-runtime.wasmcloud.dev_workloaddeployments.yaml"]]) {
      try {
        expect(readFileSync(here + a, "utf8")).toBe(readFileSync(ref + b, "utf8"));
        ok++;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
      }
    }
    if (ok === 0) console.warn("reference folder not found next to the repository: vendored schemas not compared");
  });
});

describe("component CI workflows", () => {
  it("pass actionlint and the workflow schema, v1 (wash claims) and v2 (cosign)", async () => {
    const { workflowProblems } = await import("../src/validate/workflow.js");
    const v1 = file(appGrid("v1", { hello: HTTP_APP }), "lattice/apps/hello/ci/hello.yml");
    const v2 = file(appGrid("v2", { hello: HTTP_APP_V2 }), "lattice/apps/hello/ci/hello.yml");
    expect(await workflowProblems(v1)).toEqual([]);
    expect(await workflowProblems(v2)).toEqual([]);
    expect(v1).toMatch(/wash claims sign target\/wasm32-wasip2\/release\/hello\.wasm .* --expires 365/);
    expect(v1).toMatch(/WASH_ISSUER_KEY: \$\{\{ secrets\.WASH_ISSUER_KEY \}\}/);
    expect(v2).toMatch(/cosign sign --yes --key env:\/\/COSIGN_PRIVATE_KEY "ghcr\.io\/tlos\/hello@\$\{\{ steps\.digest\.outputs\.digest \}\}"/);
    // the only action is pinned by commit SHA
    expect([...v1.matchAll(/uses: (\S+)/g)].map((m) => m[1])).toEqual(["actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683"]);
  });

  it("are refused by the linters when wrong (the checks can fail)", async () => {
    const { workflowProblems } = await import("../src/validate/workflow.js");
    const v1 = file(appGrid("v1", { hello: HTTP_APP }), "lattice/apps/hello/ci/hello.yml");
    const broken = v1.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    bogus: 1").replace("${{ steps.digest.outputs.digest }}", "${{ steps.digest.outputz }}");
    const p = await workflowProblems(broken);
    expect(p.some((x) => /unexpected key "bogus"/.test(x))).toBe(true);
    expect(p.some((x) => x.startsWith("schema"))).toBe(true);
  });
});
