/**
 * SpinKubeCluster: every custom resource against its CRD schema, every core object against the
 * Kubernetes schema (kubernetes-models), the webhook rules at synth, apply order, node setup.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, parseAllDocuments, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { type SpinAppProps } from "../src/index.js";
import { k8sChecks } from "../src/validate/k8s.js";
import { makeTestTls, natsConfigTest, stageConfig } from "../src/validate/nats.js";
import { realBinary, SEED, tempDir, problemsOf } from "./helpers.js";
import { clusterGrid, SPIN_APPS } from "./fixtures/spinkube.js";

const files = (g = clusterGrid()) => g.synth({ masterSeed: SEED }).files.filter((f) => f.path.includes("/k8s/k8s/"));
const docsOf = (text: string) => parseAllDocuments(text).map((d) => d.toJSON() as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; handler?: string; data?: Record<string, string> });

describe("SpinKubeCluster manifests", () => {
  it("validate: custom resources against their CRDs, core and KEDA objects against kubernetes-models", async () => {
    const g = clusterGrid({}, [...SPIN_APPS, { name: "keda-app", image: SPIN_APPS[0]!.image, autoscaling: { kind: "keda", min: 1, max: 3 }, resources: { cpu: "1", memory: "1Gi" } }]);
    const checks = (await Promise.all(files(g).filter((f) => f.kind === "k8s-manifest").map((f) => k8sChecks(f.content)))).flat();
    const bad = checks.filter((c) => c.problems.length > 0);
    expect(bad).toEqual([]);
    const by = (k: string) => checks.filter((c) => c.kind.endsWith(`/${k}`)).map((c) => c.checkedBy);
    for (const k of ["SpinApp", "SpinAppExecutor", "Shim", "WorkloadDeployment", "ClusterImagePolicy"]) expect(by(k)[0], k).toBe("crd");
    for (const k of ["Namespace", "CustomResourceDefinition", "HorizontalPodAutoscaler", "ScaledObject", "ConfigMap", "Deployment", "Service", "NetworkPolicy", "Secret"]) expect(by(k)[0], k).toBe("kubernetes-models");
  });

  it("fails the schemas on broken objects (the checks can fail)", async () => {
    const apps = files().find((f) => f.path.endsWith("05-spin-apps.yaml"))!.content;
    const broken = apps.replace(/image: ghcr\.io\/tlos\/hello-spin/, "imag: ghcr.io/tlos/hello-spin").replace("maxReplicas: 10", "maxReplicas: ten");
    const bad = (await k8sChecks(broken)).filter((c) => c.problems.length > 0).map((c) => c.name);
    expect(bad).toEqual(["SpinApp/hello", "HorizontalPodAutoscaler/api-autoscaler"]);
    const policy = files().find((f) => f.path.endsWith("04-admission.yaml"))!.content;
    const doc = parse(policy) as { metadata: { name: string }; spec: { authorities: unknown; images: { glob: unknown }[] } };
    doc.spec.authorities = { name: "not-a-list" };
    doc.spec.images[0]!.glob = 42;
    const policyBad = (await k8sChecks(stringify(doc))).filter((c) => c.problems.length > 0);
    expect(policyBad.map((c) => c.name)).toEqual([`ClusterImagePolicy/${doc.metadata.name}`]);
    expect(policyBad[0]!.problems.join("; ")).toMatch(/authorities must be array.*glob must be string|glob must be string.*authorities must be array/);
  });

  it("writes namespaces and CRDs first, an executor in every app namespace, autoscalers on Deployment/<app>", () => {
    const fs = files();
    expect(fs.filter((f) => f.kind === "k8s-manifest" && !f.secret).map((f) => f.path.split("/").pop())).toEqual(["00-namespaces.yaml", "01-crds.yaml", "03-runtime.yaml", "04-admission.yaml", "05-spin-apps.yaml", "06-wasmcloud.yaml", "07-workloads.yaml"]);
    const apps = docsOf(fs.find((f) => f.path.endsWith("05-spin-apps.yaml"))!.content);
    expect(apps.filter((d) => d.kind === "SpinAppExecutor").map((d) => d.metadata.namespace)).toEqual(["api", "apps"]);
    const hello = apps.find((d) => d.kind === "SpinApp" && d.metadata.name === "hello")!;
    expect(hello.spec).toMatchObject({ executor: "containerd-shim-spin", replicas: 2, runtimeConfig: { loadFromSecret: "hello-runtime-config" } });
    const api = apps.find((d) => d.kind === "SpinApp" && d.metadata.name === "api")!;
    expect(api.spec).toMatchObject({ enableAutoscaling: true, invocationLimits: { memory: String(128 * 2 ** 20) }, components: ["api"] });
    expect(api.spec).not.toHaveProperty("replicas");
    expect(apps.find((d) => d.kind === "HorizontalPodAutoscaler")!.spec).toMatchObject({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, minReplicas: 2, maxReplicas: 10 });
    const ns = docsOf(fs.find((f) => f.path.endsWith("00-namespaces.yaml"))!.content);
    expect(ns.map((d) => d.metadata.name)).toEqual(["api", "apps", "wasmcloud"]);
    const script = fs.find((f) => f.path.endsWith("02-install.sh"))!.content;
    const order = ["00-namespaces.yaml", "01-crds.yaml", "cert-manager.yaml", "runtime-class-manager", "03-runtime.yaml", "spin-operator", "policy-controller", "05-spin-apps.yaml", "charts/runtime-operator", "06-wasmcloud.yaml", "07-workloads.yaml"];
    expect(order.map((s) => script.indexOf(s))).toEqual([...order.map((s) => script.indexOf(s))].sort((a, b) => a - b));
    expect(order.every((s) => script.includes(s))).toBe(true);
  });

  it("uses runtime-class-manager's handler spin-v2, or a RuntimeClass with handler spin plus containerd fragments", () => {
    const rcm = docsOf(files().find((f) => f.path.endsWith("03-runtime.yaml"))!.content)[0]!;
    expect(rcm).toMatchObject({ kind: "Shim", spec: { runtimeClass: { name: "wasmtime-spin-v2", handler: "spin-v2" }, nodeSelector: { spin: "true" } } });
    const manual = files(clusterGrid({ install: { runtimeClassManager: false } }));
    expect(docsOf(manual.find((f) => f.path.endsWith("03-runtime.yaml"))!.content)[0]).toMatchObject({ kind: "RuntimeClass", handler: "spin", scheduling: { nodeSelector: { spin: "true" } } });
    const c1 = manual.find((f) => f.path.endsWith("containerd-1.x.toml"))!.content;
    const c2 = manual.find((f) => f.path.endsWith("containerd-2.x.toml"))!.content;
    expect(c1).toContain('[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.spin]');
    expect(c2).toContain('[plugins."io.containerd.cri.v1.runtime".containerd.runtimes.spin]');
    for (const c of [c1, c2]) expect(c).toMatch(/runtime_type = "io\.containerd\.spin\.v2"[\s\S]*SystemdCgroup = true/);
  });

  it("pins the shim tarballs by sha256, sets SystemdCgroup, and installs a release that exists", () => {
    type ShimDoc = { spec: { containerdRuntimeOptions: unknown; fetchStrategy: { platforms: { location: string; sha256: string }[] } } };
    const rcm = docsOf(files().find((f) => f.path.endsWith("03-runtime.yaml"))!.content)[0] as unknown as ShimDoc;
    expect(rcm.spec.containerdRuntimeOptions).toEqual({ SystemdCgroup: "true" });
    // the digests runtime-class-manager v0.2.0's sample states for v0.23.0
    expect(rcm.spec.fetchStrategy.platforms).toEqual([
      { os: "linux", arch: "x86_64", location: "https://github.com/spinframework/containerd-shim-spin/releases/download/v0.23.0/containerd-shim-spin-v2-linux-x86_64.tar.gz", sha256: "eec8df96fa3a4fe5dbc57ffb706461692c055299dd6d22dff9444863a2a12281" },
      { os: "linux", arch: "aarch64", location: "https://github.com/spinframework/containerd-shim-spin/releases/download/v0.23.0/containerd-shim-spin-v2-linux-aarch64.tar.gz", sha256: "a923f08d91c110d2cda29fbc380273e6d0a97aa0bab455c55f613c8d5a8bfbe4" },
    ]);
    const sha = { x86_64: "1".repeat(64), aarch64: "2".repeat(64) };
    const v24 = docsOf(files(clusterGrid({ runtime: { shimVersion: "v0.24.0", sha256: sha } })).find((f) => f.path.endsWith("03-runtime.yaml"))!.content)[0] as unknown as ShimDoc;
    expect(v24.spec.fetchStrategy.platforms.map((p) => [p.location.split("/")[7], p.sha256])).toEqual([["v0.24.0", sha.x86_64], ["v0.24.0", sha.aarch64]]);
    const noSha = problemsOf(() => clusterGrid({ runtime: { shimVersion: "v0.24.0" } }).synth({ masterSeed: SEED }));
    expect(noSha).toEqual(expect.arrayContaining([expect.stringMatching(/\] runtime.sha256.x86_64: no sha256 on record for containerd-shim-spin v0.24.0 x86_64/), expect.stringMatching(/runtime.sha256.aarch64: no sha256 on record/)]));
    expect(problemsOf(() => clusterGrid({ runtime: { shimVersion: "v0.25.0" } }).synth({ masterSeed: SEED })).join("\n")).toMatch(/runtime.shimVersion: "v0.25.0" is not a containerd-shim-spin release \(v0.12.0 … v0.24.0\)/);
    expect(problemsOf(() => clusterGrid({ runtime: { shimVersion: "0.23.0" } }).synth({ masterSeed: SEED })).join("\n")).toMatch(/did you mean "v0.23.0"\?/);
  });

  it("admits only images signed with the grid's cosign keys, in labelled namespaces", () => {
    const fs = files();
    const cip = docsOf(fs.find((f) => f.path.endsWith("04-admission.yaml"))!.content)[0]!;
    expect(cip.spec).toMatchObject({ images: [{ glob: "**" }], authorities: [{ name: "grid-key-1", key: { hashAlgorithm: "sha256" } }] });
    for (const ns of docsOf(fs.find((f) => f.path.endsWith("00-namespaces.yaml"))!.content)) expect((ns.metadata as unknown as { labels: Record<string, string> }).labels["policy.sigstore.dev/include"]).toBe("true");
  });

  it("joins the lattice through an in-cluster leaf that takes the chart's NATS place, creds only under secrets/", () => {
    const fs = files();
    const values = parse(fs.find((f) => f.path.endsWith("wasmcloud-values.yaml"))!.content);
    expect(values).toMatchObject({ nats: { enabled: false }, global: { tls: { enabled: true } }, runtime: { hostGroups: [{ name: "default", replicas: 2 }] } });
    const wc = docsOf(fs.find((f) => f.path.endsWith("06-wasmcloud.yaml"))!.content);
    expect(wc.find((d) => d.kind === "Service")!.metadata.name).toBe("nats");
    const conf = wc.find((d) => d.kind === "ConfigMap")!.data!["nats-server.conf"]!;
    expect(conf).toMatch(/verify_and_map: true/);
    expect(conf).toMatch(/"tls:\/\/hub-1\.example\.net:7422"/);
    const creds = fs.find((f) => f.path.endsWith("leaf-creds.yaml"))!;
    expect(creds.secret).toBe(true);
    expect(creds.path.startsWith("secrets/")).toBe(true);
    for (const f of fs.filter((x) => !x.secret)) expect(f.content).not.toContain("NKEY SEED");
    const workloads = docsOf(fs.find((f) => f.path.endsWith("07-workloads.yaml"))!.content);
    expect(workloads.map((w) => `${w.kind}/${w.metadata.name}`)).toEqual(["WorkloadDeployment/hello-wasm"]);
  });

  it.skipIf(!realBinary("nats-server") || !realBinary("openssl"))("has a leaf config nats-server accepts", async () => {
    const wc = docsOf(files().find((f) => f.path.endsWith("06-wasmcloud.yaml"))!.content);
    const conf = wc.find((d) => d.kind === "ConfigMap")!.data!["nats-server.conf"]!;
    const dir = tempDir();
    expect(makeTestTls(realBinary("openssl")!, join(dir, "tls"))).toBe(true);
    const creds = join(dir, "leaf.creds");
    writeFileSync(creds, "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.e30.x\n------END NATS USER JWT------\n");
    writeFileSync(join(dir, "n.conf"), stageConfig(conf, join(dir, "s"), { creds, tlsDir: join(dir, "tls") }));
    const r = await natsConfigTest(realBinary("nats-server")!, join(dir, "n.conf"), { ...process.env, HOSTNAME: "tlos-leaf-0" });
    expect(r.ok, r.output).toBe(true);
  });
});

const problems = problemsOf;
const withApp = (a: Partial<SpinAppProps>) => () => clusterGrid({}, [{ ...SPIN_APPS[0]!, ...a } as SpinAppProps]).synth({ masterSeed: SEED });

describe("the SpinKube webhook rules, enforced at synth", () => {
  it("refuses replicas together with autoscaling", () => {
    expect(problems(withApp({ autoscaling: { min: 1, max: 2 }, resources: { cpu: "1", memory: "1Gi" } }))).toContainEqual(expect.stringMatching(/^\[kube\/lattice\/k8s\] spinApps\[0\]\.replicas: replicas cannot be set when autoscaling is enabled/));
  });
  it("refuses an executor that is not in the app's namespace", () => {
    expect(problems(withApp({ executor: "other" }))).toContainEqual(expect.stringMatching(/spinApps\[0\]\.executor: "other" does not exist in namespace apps/));
  });
  it("refuses an executor with both runtimeClassName and spinImage, and with neither", () => {
    const img = `ghcr.io/spinframework/spin:3.0.0@sha256:${"d".repeat(64)}`;
    expect(problems(() => clusterGrid({ executor: { runtimeClassName: "wasmtime-spin-v2", spinImage: img } }).synth({ masterSeed: SEED }))).toContainEqual(expect.stringMatching(/\] executor: set exactly one of runtimeClassName and spinImage/));
    expect(problems(() => clusterGrid({ executor: {} }).synth({ masterSeed: SEED }))).toContainEqual(expect.stringMatching(/\] executor: set exactly one/));
  });
  it("refuses autoscaling without limits and an invocation limit above the memory limit", () => {
    expect(problems(withApp({ replicas: undefined, autoscaling: { min: 1, max: 2 } }))).toContainEqual(expect.stringMatching(/spinApps\[0\]\.resources: autoscaling on utilization needs resources\.cpu and resources\.memory limits/));
    expect(problems(withApp({ resources: { memory: "128Mi" }, invocationMemoryLimit: "256Mi" }))).toContainEqual(expect.stringMatching(/spinApps\[0\]\.invocationMemoryLimit: "256Mi" exceeds the memory limit 128Mi/));
  });
  it("refuses :latest app images, missing cosign keys, and wasmCloud on a v1 lattice", async () => {
    expect(problems(withApp({ image: "ghcr.io/x/app:latest" }))).toContainEqual(expect.stringMatching(/spinApps\[0\]\.image: .*':latest', which is refused/));
    expect(problems(() => clusterGrid({ cosignPublicKeys: [] }).synth({ masterSeed: SEED }))).toContainEqual(expect.stringMatching(/cosignPublicKeys: name at least one cosign public key/));
    const { Grid, Lattice, SpinKubeCluster } = await import("../src/index.js");
    const { THREE_HUBS } = await import("./fixtures/grids.js");
    const { COSIGN_KEY } = await import("./fixtures/spinkube.js");
    const g = new Grid("kube");
    new SpinKubeCluster(new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v1" }), "k8s", { cosignPublicKeys: [COSIGN_KEY], wasmcloud: {} });
    expect(problems(() => g.synth({ masterSeed: SEED }))).toContainEqual(expect.stringMatching(/\] wasmcloud: wasmCloud on Kubernetes here is v2/));
  });
});
