/**
 * Pulumi conventions of the adapter under `pulumi.runtime.setMocks` — the Pulumi engine and CLI
 * cannot run here (no CLI, no network), so the engine is mocked; everything else is the real SDK.
 * Names that collide, aliases of renamed constructs, protect on stateful resources, providers
 * through `opts.providers` (invokes included), unknown provider keys.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { Grid, Lattice, TlosNode } from "../src/index.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

async function mocked(config: Record<string, string> = {}) {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  const calls: pulumi.runtime.MockCallArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        registered.push(a);
        const extra = a.type === "cloudflare:index/accountToken:AccountToken" ? { value: "v" } : a.type === "cloudflare:index/callsTurnApp:CallsTurnApp" ? { keyId: "k", key: "k" } : {};
        return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
      },
      call: (a) => {
        calls.push(a);
        return a.token.endsWith("getAccountApiTokenPermissionGroupsList")
          ? { results: [{ id: "pg-read", name: "Workers R2 Storage Bucket Item Read" }, { id: "pg-write", name: "Workers R2 Storage Bucket Item Write" }] }
          : a.inputs;
      },
    },
    "tlos", "test", false,
  );
  const all = { "tlos:masterSeed": "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c", ...config };
  pulumi.runtime.setAllConfig(all, ["tlos:masterSeed"]);
  return { registered, calls, mod: await import("../src/pulumi/index.js") };
}

afterEach(() => pulumi.runtime.disconnect());

describe("collision-free names", () => {
  it("refuses a grid whose paths join to one Pulumi name (lat/x-y and lat-x/y), before registering children", async () => {
    const { registered, mod } = await mocked();
    const g = new Grid("g");
    const a = new Lattice(g, "lat", { hubs: THREE_HUBS });
    const b = new Lattice(g, "lat-x", { name: "other", hubs: THREE_HUBS.map((h) => ({ ...h, id: `b-${h.id}` })) });
    new TlosNode(a, "x-y", { target: "podman" });
    new TlosNode(b, "y", { target: "podman" });
    expect(() => new mod.TlosGrid("grid", { grid: g })).toThrow(
      /\[g\/lat\/x-y\] id: its Pulumi name "grid-lat-x-y" is also the name of g\/lat-x\/y; allowed: ids whose paths join to distinct names[\s\S]*\[g\/lat-x\/y\] id: its Pulumi name "grid-lat-x-y" is also the name of g\/lat\/x-y/,
    );
    expect(registered.filter((r) => r.type !== "tlos:index:Grid")).toEqual([]);
  });
});

describe("collision-free Kubernetes object names", () => {
  it("refuses two objects of a cluster whose kind, namespace and name join to one name", async () => {
    const { registered, mod } = await mocked();
    const { clusterGrid, SPIN_APPS } = await import("./fixtures/spinkube.js");
    const base = SPIN_APPS[1]!;
    const grid = clusterGrid({}, [{ ...base, name: "c", namespace: "a-b" }, { ...base, name: "b-c", namespace: "a" }]);
    expect(() => new mod.TlosGrid("kube", { grid, deploy: ["kubernetes"] })).toThrow(/\[kube\/lattice\/k8s\] docs: two objects share the Pulumi name "kube-lattice-k8s-spinapp-a-b-c"/);
    expect(registered.filter((r) => r.type !== "tlos:index:Grid")).toEqual([]);
  });
});

describe("stateful resources", () => {
  const protectOf = (r: pulumi.Resource) => Reflect.get(r, "__protect") as boolean | undefined;

  it("protects the R2 bucket, namespaces and CRDs by default, and tlos:protect=false opts out", async () => {
    for (const [config, want] of [[{}, true], [{ "tlos:protect": "false" }, false]] as const) {
      const { mod } = await mocked(config);
      const { cloudflareGrid } = await import("./fixtures/cloudflare.js");
      const { clusterGrid } = await import("./fixtures/spinkube.js");
      const cf = new mod.TlosGrid("cf", { grid: cloudflareGrid(), deploy: ["cloudflare"] });
      const kube = new mod.TlosGrid("kube", { grid: clusterGrid(), deploy: ["kubernetes"] });
      const backup = cf.r2Backups["cf/lattice/nightly"]!;
      expect(protectOf(backup.bucket)).toBe(want);
      expect(protectOf(backup.token)).toBeFalsy(); // a token is re-made, not kept
      const objs = kube.kubernetesObjects["kube/lattice/k8s"]!;
      const stateful = Object.entries(objs).filter(([k]) => /\/(Namespace|CustomResourceDefinition)\//.test(k));
      expect(stateful.length).toBeGreaterThan(3);
      for (const [k, r] of stateful) expect(protectOf(r), k).toBe(want);
      expect(protectOf(objs["05-spin-apps.yaml/SpinApp/apps/hello"]!)).toBeFalsy();
      await value(pulumi.all([backup.bucket.urn, ...Object.values(objs).map((r) => r.urn)]));
      await pulumi.runtime.disconnect();
    }
  });

  it("a renamed construct keeps its resources: its component aliases the old name, its children's names carry the prefix the engine re-aliases", async () => {
    const { mod } = await mocked();
    const { cloudflareGrid } = await import("./fixtures/cloudflare.js");
    const g = new mod.TlosGrid("cf", { grid: cloudflareGrid(), deploy: ["cloudflare"], renamed: { "cf/lattice/nightly": "cf/lattice/backups" } });
    const comp = g.components["cf/lattice/nightly"]!;
    const aliases = await value(pulumi.all(Reflect.get(comp, "__aliases") as pulumi.Output<string>[]));
    expect(aliases).toEqual(["urn:pulumi:test::tlos::tlos:index:Grid$tlos:nats:Lattice$tlos:cloudflare:R2Backup::cf-lattice-backups"]);
    // Pulumi aliases each child whose name starts with its parent's name to the parent's old name
    const bucketUrn = await value(g.r2Backups["cf/lattice/nightly"]!.bucket.urn);
    expect(bucketUrn).toMatch(/::cf-lattice-nightly-bucket$/);
    expect(Reflect.get(g.components["cf/lattice/ai"]!, "__aliases")).toEqual([]);
    expect(() => new mod.TlosGrid("cf2", { grid: cloudflareGrid(), renamed: { "cf/lattice/nighly": "cf/lattice/backups" } })).toThrow(/\[cf\] renamed\.cf\/lattice\/nighly: "cf\/lattice\/nighly" is not the path of a construct of the grid/);
  });
});

describe("providers through opts.providers", () => {
  it("the Cloudflare provider given to the grid reaches every resource and the permission-group invoke", async () => {
    const { registered, calls, mod } = await mocked();
    const cloudflare = await import("@pulumi/cloudflare");
    const provider = new cloudflare.Provider("cf-prod", { apiToken: "t" });
    const { cloudflareGrid } = await import("./fixtures/cloudflare.js");
    const g = new mod.TlosGrid("cf", { grid: cloudflareGrid(), deploy: ["cloudflare"] }, { providers: [provider] });
    await value(pulumi.all(Object.values(g.cloudflare).flatMap((c) => Object.values(c)).filter((x): x is pulumi.Resource => pulumi.Resource.isInstance(x)).map((r) => r.urn)));
    const cf = registered.filter((r) => r.type.startsWith("cloudflare:"));
    expect(cf.length).toBe(5);
    for (const r of cf) expect(r.provider, r.name).toMatch(/::pulumi:providers:cloudflare::cf-prod::cf-prod-id$/);
    const invoke = calls.find((c) => c.token.endsWith("getAccountApiTokenPermissionGroupsList"))!;
    expect(invoke.provider).toMatch(/::pulumi:providers:cloudflare::cf-prod::cf-prod-id$/);
  });

  it("an unknown Kubernetes provider key (a typo) is an error, not the default kubeconfig", async () => {
    const { registered, mod } = await mocked({ "tlos:kubernetes": JSON.stringify({ "lattice/k8": { context: "x" } }) });
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("kube", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    const { clusterGrid } = await import("./fixtures/spinkube.js");
    expect(() => new mod.TlosGrid("kube", { grid: clusterGrid(), kubernetes: { providers: { "kube/lattice/k9s": provider } } })).toThrow(
      /\[kube\] kubernetes\.providers\.kube\/lattice\/k9s: "kube\/lattice\/k9s" is not a SpinKubeCluster of the grid; allowed: kube\/lattice\/k8s/,
    );
    expect(() => new mod.TlosGrid("kube2", { grid: clusterGrid(), deploy: ["kubernetes"] })).toThrow(
      /\[kube\] tlos:kubernetes\.lattice\/k8: "lattice\/k8" is not a SpinKubeCluster of the grid; allowed: lattice\/k8s/,
    );
    expect(registered.filter((r) => !["tlos:index:Grid", "pulumi:providers:kubernetes"].includes(r.type))).toEqual([]);
  });
});
