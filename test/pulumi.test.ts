/**
 * The Pulumi adapter under `pulumi.runtime.setMocks` — the Pulumi engine and CLI cannot run here
 * (no CLI, no network), so the engine is mocked; everything else is the real SDK.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { Grid, Lattice } from "../src/index.js";
import { smallGrid, THREE_HUBS } from "./fixtures/grids.js";

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));

/**
 * Fresh mocks for one test: its own list of registered resources and its own config, so no test
 * sees another's resources (nothing module-wide).
 */
async function mocked(config: Record<string, string> = { "tlos:masterSeed": "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c" }) {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        registered.push(a);
        // computed outputs the providers would return
        const extra = a.type === "cloudflare:index/accountToken:AccountToken" ? { value: `token-value-of-${a.name}` } : a.type === "cloudflare:index/callsTurnApp:CallsTurnApp" ? { keyId: `${a.name}-key-id`, key: `${a.name}-key` } : {};
        return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
      },
      call: (a) =>
        a.token === "cloudflare:index/getAccountApiTokenPermissionGroupsList:getAccountApiTokenPermissionGroupsList"
          ? { results: [{ id: "pg-read", name: "Workers R2 Storage Bucket Item Read" }, { id: "pg-write", name: "Workers R2 Storage Bucket Item Write" }, { id: "pg-other", name: "Zone Read" }] }
          : a.inputs,
    },
    "tlos", "test", false,
  );
  pulumi.runtime.setAllConfig(config, Object.keys(config));
  const mod = await import("../src/pulumi/index.js"); // after setMocks
  return { registered, mod };
}

// each test's resources finish registering (outputs included) before the next test's mocks
afterEach(() => pulumi.runtime.disconnect());

describe("TlosGrid", () => {
  it("mirrors the construct tree with typed components parented to each other", async () => {
    const { registered, mod } = await mocked();
    const g = new mod.TlosGrid("grid", { grid: smallGrid({ "home-1": {}, "home-2": {} }) });
    const node = g.components["test/lattice/home-1"]!;
    // the mock URN names the parent's type before the child's: proof of the parent link
    expect(await value(node.urn)).toMatch(/::tlos:nats:Lattice\$tlos:podman:TlosNode::grid-lattice-home-1$/);
    expect(await value(g.components["test/lattice"]!.urn)).toBe("urn:pulumi:test::tlos::tlos:index:Grid$tlos:nats:Lattice::grid-lattice");
    expect(registered.map((r) => r.type).sort()).toEqual(["tlos:index:Grid", "tlos:nats:Lattice", "tlos:podman:TlosNode", "tlos:podman:TlosNode"]);
    // each construct's component takes its path and files as inputs (what a preview diff shows)
    expect(registered.filter((r) => r.type !== "tlos:index:Grid").every((r) => Object.keys(r.inputs).sort().join() === "files,path,secretFiles")).toBe(true);
  });

  it("sends every construct's secret files to the engine only inside the secret wrapper, also when built by hand", async () => {
    const { registered, mod } = await mocked();
    const g = new mod.TlosGrid("grid-sec", { grid: smallGrid({ "home-1": {}, "home-2": {} }) });
    await value(pulumi.all(Object.values(g.components).map((c) => pulumi.all([c.urn, c.files, c.secretFiles]))));
    const SIG = "4dabf18193072939515e22adb298388d";
    const comps = registered.filter((r) => r.type !== "tlos:index:Grid");
    expect(comps).toHaveLength(3);
    const secrets: string[] = [];
    for (const r of comps) {
      expect(r.inputs.secretFiles[SIG]).toBeDefined();
      expect(r.inputs.files[SIG]).toBeUndefined();
      secrets.push(...(Object.values(r.inputs.secretFiles.value) as string[]));
      expect(Object.keys(r.inputs.files).some((f) => f.startsWith("secrets/"))).toBe(false);
    }
    expect(secrets.some((c) => /BEGIN NATS USER JWT/.test(c))).toBe(true);
    // no secret's text in any plain input
    const plain = JSON.stringify(comps.map((r) => r.inputs.files));
    expect(secrets.every((c) => !plain.includes(c))).toBe(true);
    // the public class still wraps what a caller passes: plain secrets become secret, a secret Output stays one
    const byHand = new mod.TlosConstructResource("tlos:test:Hand", "hand", { path: "hand", files: { a: "1" }, secretFiles: { "secrets/k": "key" } });
    const fromOutput = new mod.TlosConstructResource("tlos:test:Hand", "hand2", { path: "hand2", files: pulumi.output({ a: "1" }), secretFiles: pulumi.output({ "secrets/k": "key" }) });
    for (const c of [byHand, fromOutput]) {
      expect(await pulumi.isSecret(c.secretFiles)).toBe(true);
      expect(await pulumi.isSecret(c.files)).toBe(false);
    }
  });

  it("outputs the same artifacts tlos synth writes, secrets as secret outputs only", async () => {
    const { mod } = await mocked();
    const g = new mod.TlosGrid("grid2", { grid: smallGrid() });
    const node = g.components["test/lattice/home-1"]!;
    const files = await value(node.files);
    expect(Object.keys(files).sort()).toEqual([
      "lattice/nodes/home-1/quadlet/home-1-jetstream.volume", "lattice/nodes/home-1/quadlet/home-1-nats.conf",
      "lattice/nodes/home-1/quadlet/home-1-nats.container", "lattice/nodes/home-1/quadlet/home-1-wasmcloud.container",
      "lattice/nodes/home-1/quadlet/home-1.pod",
    ]);
    expect(await pulumi.isSecret(node.files)).toBe(false);
    expect(await pulumi.isSecret(node.secretFiles)).toBe(true);
    expect(Object.keys(await value(node.secretFiles))).toEqual(["secrets/lattice/nodes/home-1/leaf.creds"]);
    expect(await pulumi.isSecret(g.components["test/lattice"]!.secretFiles)).toBe(true);
    const manifest = JSON.parse(await value(g.manifest));
    expect(manifest.files.find((f: { path: string }) => f.path.endsWith("leaf.creds")).secret).toBe(true);
    expect(await pulumi.isSecret(g.manifest)).toBe(false);
  });

  it("refuses an invalid grid with every problem, before registering children", async () => {
    const { registered, mod } = await mocked();
    expect(() => new mod.TlosGrid("bad", { grid: smallGrid({ "home-1": { resources: { cpu: "lots" } } }) })).toThrow(/\[test\/lattice\/home-1\] resources.cpu: "lots" is not a CPU quantity/);
    expect(registered.filter((r) => r.type !== "tlos:index:Grid")).toEqual([]);
  });

  it("carries the same warnings in its manifest as synth, each once (validate then synth adds nothing)", async () => {
    const { mod } = await mocked();
    const { SEED } = await import("./helpers.js");
    // a lattice without nodes (a tree-rule warning) and a tag without a digest (a prop warning)
    const grid = () => {
      const g = new Grid("warn");
      new Lattice(g, "lattice", { hubs: THREE_HUBS, images: { nats: "docker.io/library/nats:2.10" } });
      return g;
    };
    const synthWarnings = grid().synth({ masterSeed: SEED }).warnings;
    expect(synthWarnings.map((w) => `${w.path} ${w.field}`).sort()).toEqual(["warn/lattice images.nats", "warn/lattice nodes"]);
    const g = new mod.TlosGrid("warn", { grid: grid(), masterSeed: "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c" });
    const manifest = JSON.parse(await value(g.manifest)) as { warnings: unknown[] };
    expect(manifest.warnings).toEqual([...synthWarnings].sort((a, b) => (a.path + a.field < b.path + b.field ? -1 : 1)));
  });
});

describe("TlosGrid with Akash deployments", () => {
  it("adds an AkashDeployment under each Akash construct, its SDL as a secret and no mnemonic (provider configuration)", async () => {
    const { registered } = await mocked({ "tlos:masterSeed": "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c", "tlos:akashMnemonic": "word ".repeat(24).trim() });
    const { akashGrid } = await import("./fixtures/akash.js");
    // the compiled adapter, loaded by Node itself as a Pulumi program would: Pulumi serializes
    // the dynamic provider's code, which must not be the test runner's transformed code
    const dist = (await import(/* @vite-ignore */ new URL("../dist-lib/pulumi/index.js", import.meta.url).href)) as typeof import("../src/pulumi/index.js");
    const g = new dist.TlosGrid("ak", { grid: akashGrid(), akash: { deposit: { denom: "uact", amount: "5000000" } } });
    const dep = g.deployments["ak/lattice/kimi"]!;
    expect(await value(dep.urn)).toMatch(/tlos:akash:AkashGpuPool\$pulumi-nodejs:dynamic:Resource::ak-lattice-kimi-deployment$/);
    expect(Object.keys(g.deployments).sort()).toEqual(["ak/lattice/cloud-1", "ak/lattice/kimi"]);
    const mine = registered;
    expect(mine.map((r) => r.type).sort()).toEqual(["pulumi-nodejs:dynamic:Resource", "pulumi-nodejs:dynamic:Resource", "tlos:akash:AkashGpuPool", "tlos:akash:TlosNode", "tlos:index:Grid", "tlos:nats:Lattice"]);
    const inputs = mine.find((r) => r.name === "ak-lattice-kimi-deployment")!.inputs;
    // secrets reach the engine wrapped in Pulumi's secret signature, so state stores them encrypted
    const SECRET_SIG = "4dabf18193072939515e22adb298388d";
    expect(inputs.sdl[SECRET_SIG]).toBeDefined();
    expect(inputs.mnemonic).toBeUndefined();
    expect(inputs.sdl.value).toMatch(/NATS_CREDS_B64=(?!<secret)/);
    expect(inputs.deposit).toEqual({ denom: "uact", amount: "5000000" });
    expect(await pulumi.isSecret((dep as unknown as { sdl: pulumi.Output<string> }).sdl)).toBe(true);
  });
});

describe("TlosGrid with a SpinKubeCluster on @pulumi/kubernetes", () => {
  it("creates every object through the given provider, parented to the cluster component, charts as Releases", async () => {
    const { registered, mod } = await mocked();
    const { clusterGrid } = await import("./fixtures/spinkube.js");
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("kube", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    const g = new mod.TlosGrid("kube", { grid: clusterGrid(), kubernetes: { providers: { "kube/lattice/k8s": provider } } });
    const objs = g.kubernetesObjects["kube/lattice/k8s"]!;
    await value(pulumi.all(Object.values(objs).map((r) => r.urn)));
    const mine = registered.filter((r) => r.type !== "pulumi:providers:kubernetes");
    const types = mine.map((r) => r.type);
    for (const t of ["kubernetes:core/v1:Namespace", "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", "kubernetes:helm.sh/v3:Release", "kubernetes:runtime.spinkube.dev/v1alpha1:Shim", "kubernetes:core.spinkube.dev/v1alpha1:SpinApp", "kubernetes:core.spinkube.dev/v1alpha1:SpinAppExecutor", "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy", "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Secret", "kubernetes:runtime.wasmcloud.dev/v1alpha1:WorkloadDeployment"]) {
      expect(types, t).toContain(t);
    }
    expect(mine.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs.chart).sort()).toEqual(["cert-manager", "oci://ghcr.io/spinframework/charts/runtime-class-manager", "oci://ghcr.io/spinframework/charts/spin-operator", "oci://ghcr.io/wasmcloud/charts/runtime-operator", "policy-controller"]);
    // every object goes through the cluster's provider and hangs under the cluster component
    for (const r of mine.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider, r.name).toMatch(/pulumi:providers:kubernetes::kube::/);
    expect(await value(objs["05-spin-apps.yaml/SpinApp/apps/hello"]!.urn)).toMatch(/tlos:kubernetes:SpinKubeCluster\$kubernetes:core\.spinkube\.dev\/v1alpha1:SpinApp::kube-lattice-k8s-spinapp-apps-hello$/);
    const app = mine.find((r) => r.name === "kube-lattice-k8s-spinapp-apps-hello")!;
    expect(app.inputs.spec).toMatchObject({ image: expect.stringMatching(/^ghcr\.io\/tlos\/hello-spin:1\.0\.0@sha256:/), replicas: 2, executor: "containerd-shim-spin" });
    const secret = mine.find((r) => r.type === "kubernetes:core/v1:Secret")!;
    // the creds reach the engine only inside Pulumi's secret wrapper
    expect(secret.inputs.stringData["4dabf18193072939515e22adb298388d"]).toBeDefined();
    expect(secret.inputs.stringData.value["leaf.creds"]).toMatch(/BEGIN NATS USER JWT/);
    const wasmcloud = mine.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs.chart.endsWith("runtime-operator"))!;
    expect(wasmcloud.inputs.values).toMatchObject({ nats: { enabled: false } });
  });

  it("gives the in-cluster leaf the seed-derived CA: its ConfigMap and Deployment are the ones synth writes", async () => {
    const seedHex = "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c";
    const { registered, mod } = await mocked({ "tlos:masterSeed": seedHex });
    const { clusterGrid } = await import("./fixtures/spinkube.js");
    const { MasterSeed } = await import("../src/index.js");
    const { parseAllDocuments } = await import("yaml");
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("kca-kube", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    const g = new mod.TlosGrid("kca", { grid: clusterGrid(), kubernetes: { providers: { "kube/lattice/k8s": provider } } });
    const objs = g.kubernetesObjects["kube/lattice/k8s"]!;
    await value(pulumi.all(Object.values(objs).map((r) => r.urn)));
    // what `tlos synth` writes for the same seed
    const files = clusterGrid().synth({ masterSeed: MasterSeed.parse(seedHex) }).files;
    const wasmcloudFile = files.find((f) => /^lattice\/k8s\/k8s\/\d+-wasmcloud\.yaml$/.test(f.path))!;
    const synthDocs = parseAllDocuments(wasmcloudFile.content).map((d) => d.toJS() as { kind: string; metadata: { name: string }; data?: Record<string, string>; spec?: unknown });
    const ca = files.find((f) => f.path === "lattice/tls/ca.pem")!.content;
    const want = synthDocs.find((d) => d.kind === "ConfigMap" && d.metadata.name === "tlos-leaf")!;
    expect(want.data?.["ca.pem"]).toBe(ca);
    const cm = registered.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.inputs.metadata?.name === "tlos-leaf")!;
    expect(cm.inputs.data).toEqual(want.data);
    expect(cm.inputs.data["nats-server.conf"]).toContain('ca_file: "/etc/nats/ca/ca.pem"');
    // a public certificate: not stored as a secret
    expect(cm.inputs.data["4dabf18193072939515e22adb298388d"]).toBeUndefined();
    const dep = registered.find((r) => r.type === "kubernetes:apps/v1:Deployment" && r.inputs.metadata?.name === "tlos-leaf")!;
    expect(dep.inputs.spec).toEqual(synthDocs.find((d) => d.kind === "Deployment" && d.metadata.name === "tlos-leaf")!.spec);
  });
});

describe("TlosGrid with Cloudflare resources (@pulumi/cloudflare 6)", () => {
  it("creates the R2 bucket, lifecycle and bucket-scoped token, the TURN key and the AI gateway, credentials secret", async () => {
    const { registered, mod } = await mocked();
    const { cloudflareGrid, ACCOUNT } = await import("./fixtures/cloudflare.js");
    const g = new mod.TlosGrid("cf", { grid: cloudflareGrid(), cloudflare: {} });
    const backup = g.cloudflare["cf/lattice/nightly"] as { accessKeyId: pulumi.Output<string>; secretAccessKey: pulumi.Output<string>; token: pulumi.Resource; bucket: pulumi.Resource };
    const turn = g.cloudflare["cf/turn"] as { key: pulumi.Output<string>; keyId: pulumi.Output<string> };
    const gw = (g.cloudflare["cf/lattice/ai"] as { gateway: pulumi.Resource }).gateway;
    await value(pulumi.all([backup.token.urn, backup.bucket.urn, gw.urn]));
    const mine = registered;
    const byType = (t: string) => mine.filter((r) => r.type === t);
    expect(byType("cloudflare:index/r2Bucket:R2Bucket")[0]!.inputs).toMatchObject({ accountId: ACCOUNT, name: "tlos-lattice-nightly", jurisdiction: "default", storageClass: "Standard" });
    expect(byType("cloudflare:index/r2BucketLifecycle:R2BucketLifecycle")[0]!.inputs.rules.map((r: { id: string }) => r.id)).toEqual(["abort-incomplete-multipart"]);
    const token = byType("cloudflare:index/accountToken:AccountToken")[0]!.inputs;
    expect(JSON.parse(token.policies[0].resources)).toEqual({ [`com.cloudflare.edge.r2.bucket.${ACCOUNT}_default_tlos-lattice-nightly`]: "*" });
    expect(token.policies[0].permissionGroups).toEqual([{ id: "pg-read" }, { id: "pg-write" }]);
    expect(byType("cloudflare:index/aiGateway:AiGateway")[0]!.inputs).toMatchObject({ aiGatewayId: "tlos-lattice-ai", cacheTtl: 300, rateLimitingLimit: 120, authentication: true });
    expect(byType("cloudflare:index/callsTurnApp:CallsTurnApp")[0]!.inputs).toMatchObject({ accountId: ACCOUNT, name: "tlos-turn" });
    // parents: every Cloudflare resource hangs under its construct's component
    expect(await value(backup.bucket.urn)).toMatch(/tlos:cloudflare:R2Backup\$cloudflare:index\/r2Bucket:R2Bucket::cf-lattice-nightly-bucket$/);
    expect(await value(gw.urn)).toMatch(/tlos:cloudflare:AiGateway\$cloudflare:index\/aiGateway:AiGateway::/);
    // every credential output is secret; the S3 secret is sha256(token value)
    for (const o of [backup.accessKeyId, backup.secretAccessKey, turn.key]) expect(await pulumi.isSecret(o)).toBe(true);
    const { createHash } = await import("node:crypto");
    expect(await value(backup.secretAccessKey)).toBe(createHash("sha256").update("token-value-of-cf-lattice-nightly-token").digest("hex"));
    expect(await value(backup.accessKeyId)).toBe("cf-lattice-nightly-token-id");
  });

  it("creates a Registry's R2 bucket (protected) and a token scoped to it, its S3 keys secret", async () => {
    const { registered, mod } = await mocked();
    const { cloudflareGrid, ACCOUNT } = await import("./fixtures/cloudflare.js");
    const { Registry } = await import("../src/index.js");
    const grid = cloudflareGrid();
    new Registry(grid.node.findChild("lattice") as Lattice, "oci", { host: "hub-1", storage: { driver: "r2", accountId: ACCOUNT, bucket: "tlos-oci" } });
    const g = new mod.TlosGrid("cf", { grid, cloudflare: {} });
    const reg = g.cloudflare["cf/lattice/oci"] as { accessKeyId: pulumi.Output<string>; secretAccessKey: pulumi.Output<string>; token: pulumi.Resource; bucket: pulumi.Resource };
    await value(pulumi.all([reg.token.urn, reg.bucket.urn]));
    const bucket = registered.find((r) => r.type === "cloudflare:index/r2Bucket:R2Bucket" && r.inputs.name === "tlos-oci")!;
    expect(bucket.inputs).toMatchObject({ accountId: ACCOUNT, jurisdiction: "default" });
    const token = registered.find((r) => r.type === "cloudflare:index/accountToken:AccountToken" && r.inputs.name === "tlos-oci-registry")!.inputs;
    expect(JSON.parse(token.policies[0].resources)).toEqual({ [`com.cloudflare.edge.r2.bucket.${ACCOUNT}_default_tlos-oci`]: "*" });
    expect(token.policies[0].permissionGroups).toEqual([{ id: "pg-read" }, { id: "pg-write" }]);
    expect(await value(reg.bucket.urn)).toMatch(/tlos:podman:Registry\$cloudflare:index\/r2Bucket:R2Bucket::cf-lattice-oci-bucket$/);
    for (const o of [reg.accessKeyId, reg.secretAccessKey]) expect(await pulumi.isSecret(o)).toBe(true);
    expect(await value(reg.accessKeyId)).toBe("cf-lattice-oci-token-id");
    // the registry machine's install.sh asks for the keys (no credentials in the props)
    const hub = grid.synth({ masterSeed: (await import("./helpers.js")).SEED }).files.find((f) => f.path === "hosts/hub-1/install.sh")!.content;
    expect(hub).toContain("tlos-oci-registry-s3-secret-key");
  });
});

describe("one Kubernetes apply order", () => {
  it("every Kubernetes document synth writes for a cluster is applied by 02-install.sh and by the Pulumi adapter, in the one order", async () => {
    const { mod } = await mocked();
    const { clusterGrid } = await import("./fixtures/spinkube.js");
    const { R2Backup, writeOutput } = await import("../src/index.js");
    const { APPLY_ORDER } = await import("../src/kubernetes/stages.js");
    const { SEED, tempDir } = await import("./helpers.js");
    const { readFileSync } = await import("node:fs");
    const { join } = await import("node:path");
    const { parseAllDocuments } = await import("yaml");
    // a cluster, a backup that runs there and adds its CronJob to the cluster (08-backup-nightly.yaml), and a registry placed there (04b-registry-oci.yaml)
    const { Registry } = await import("../src/index.js");
    const grid = () => {
      const g = clusterGrid();
      new R2Backup(g.node.findChild("lattice") as import("../src/index.js").Lattice, "nightly", { accountId: "0123456789abcdef0123456789abcdef", runOn: "kubernetes", streams: ["KV_app-data"] });
      new Registry(g.node.findChild("lattice") as import("../src/index.js").Lattice, "oci", { host: "k8s", address: "oci.k8s.example.net", kubernetes: { pullFrom: ["10.0.0.0/16"] } });
      return g;
    };
    const out = tempDir("tlos-k8s-order-");
    writeOutput(grid().synth({ masterSeed: SEED }), out);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { path: string; kind: string; secret: boolean }[] };
    const dir = "lattice/k8s/k8s";
    const written = manifest.files.filter((f) => f.kind === "k8s-manifest" && !f.secret && f.path.startsWith(`${dir}/`)).map((f) => f.path.slice(dir.length + 1));
    expect(written).toContain("08-backup-nightly.yaml");
    expect(written).toContain("04b-registry-oci.yaml");
    const rank = (file: string) => APPLY_ORDER.findIndex((s) => file.startsWith(`${s.stem}.`) || file.startsWith(`${s.stem}-`));
    const inOrder = [...written].sort((a, b) => rank(a) - rank(b));
    // the install script applies exactly these files, in the table's order
    const script = readFileSync(join(out, dir, "02-install.sh"), "utf8");
    // file names follow "$here/", shell-quoted where they need it (core/shell)
    const applied = [...script.matchAll(/^kubectl apply -f "\$here\/"?'?([^'"/\s]+\.yaml)'?"?$/gm)].map((m) => m[1]);
    expect(applied).toEqual(inOrder);
    // the Pulumi adapter creates every document of every file, and registers them stage by stage
    const k8s = await import("@pulumi/kubernetes");
    const provider = new k8s.Provider("order", { kubeconfig: "apiVersion: v1\nkind: Config\n" });
    const g = new mod.TlosGrid("kube", { grid: grid(), kubernetes: { providers: { "kube/lattice/k8s": provider } } });
    const objs = g.kubernetesObjects["kube/lattice/k8s"]!;
    await value(pulumi.all(Object.values(objs).map((r) => r.urn)));
    const expected = written.flatMap((file) => parseAllDocuments(readFileSync(join(out, dir, file), "utf8")).map((d) => {
      const doc = d.toJS() as { kind: string; metadata: { name: string; namespace?: string } };
      return `${file}/${doc.kind}/${doc.metadata.namespace ?? ""}/${doc.metadata.name}`;
    }));
    const created = Object.keys(objs).filter((k) => !k.startsWith("helm/") && !k.startsWith("secrets/"));
    expect([...created].sort()).toEqual([...expected].sort());
    // created stage by stage (the mock engine registers asynchronously, so creation order is what shows the table's order)
    const order = created.map((k) => k.split("/")[0]!);
    expect(order.map(rank)).toEqual([...order.map(rank)].sort((a, b) => a - b));
  });
});
