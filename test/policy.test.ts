/**
 * The tLOS CrossGuard policies, without the Pulumi CLI or policy engine (neither can run here):
 * each policy's `validateResource`/`validateStack` is called with hand-built arguments shaped as
 * CrossGuard passes them (secrets unwrapped), so the engine is mocked. Each policy has a passing
 * and a failing case; then the whole pack runs over every resource the full-grid program
 * registers under `pulumi.runtime.setMocks` (the engine mocked too).
 */
import * as pulumi from "@pulumi/pulumi";
import type { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { afterEach, describe, expect, it } from "vitest";
import * as policies from "../src/pulumi/policy/index.js";
import { FULL_CONFIG, SECRET_KEYS } from "./fixtures/stack-config.js";

const DIGEST = `@sha256:${"a".repeat(64)}`;

/** The arguments CrossGuard passes a resource policy (the engine is mocked: built by hand). */
function resource(type: string, props: Record<string, unknown>, o: { protect?: boolean; config?: object; name?: string } = {}): ResourceValidationArgs {
  const name = o.name ?? "r";
  return {
    type, props, name, urn: `urn:pulumi:test::tlos::${type}::${name}`,
    opts: { protect: o.protect ?? false, ignoreChanges: [], aliases: [], additionalSecretOutputs: [], customTimeouts: {} } as unknown as ResourceValidationArgs["opts"],
    stackTags: new Map(),
    isType: () => false,
    asType: () => undefined,
    getConfig: <T extends object>() => (o.config ?? {}) as T,
    notApplicable: (reason?: string): never => { throw new Error(`not applicable: ${reason}`); },
  };
}

async function violations(p: ResourceValidationPolicy, args: ResourceValidationArgs): Promise<string[]> {
  const out: string[] = [];
  const report: ReportViolation = (m) => out.push(m);
  for (const v of [p.validateResource].flat()) await v!(args, report);
  return out;
}

async function stackViolations(p: StackValidationPolicy, resources: PolicyResource[]): Promise<string[]> {
  const out: string[] = [];
  await p.validateStack({ resources, getConfig: <T extends object>() => ({}) as T, stackTags: new Map(), notApplicable: (): never => { throw new Error("n/a"); } } as Parameters<StackValidationPolicy["validateStack"]>[0], (m, urn) => out.push(`${urn ?? ""}: ${m}`));
  return out;
}

const deployment = (image: string, extra: Record<string, unknown> = {}) => ({ spec: { template: { spec: { containers: [{ name: "c", image, ...extra }] } } } });

describe("tlos-no-public-ingress", () => {
  it("passes a ClusterIP Service and a pod without host ports; fails LoadBalancer, NodePort, hostPort and Ingress unless the port is allowed", async () => {
    const p = policies.noPublicIngress;
    expect(await violations(p, resource("kubernetes:core/v1:Service", { spec: { type: "ClusterIP", ports: [{ port: 80 }] } }))).toEqual([]);
    expect(await violations(p, resource("kubernetes:apps/v1:Deployment", deployment(`x${DIGEST}`, { ports: [{ containerPort: 8080 }] })))).toEqual([]);
    expect(await violations(p, resource("kubernetes:core/v1:Service", { spec: { type: "LoadBalancer", ports: [{ port: 443 }] } }))).toEqual([expect.stringMatching(/^Service type LoadBalancer publishes port\(s\) 443 outside the cluster; allowed: ClusterIP/)]);
    expect(await violations(p, resource("kubernetes:core/v1:Service", { spec: { type: "NodePort", ports: [{ port: 7422 }] } }, { config: { allowedPorts: [7422] } }))).toEqual([]);
    expect(await violations(p, resource("kubernetes:apps/v1:Deployment", deployment(`x${DIGEST}`, { ports: [{ containerPort: 4222, hostPort: 4222 }] })))).toEqual([expect.stringMatching(/^containers\[0\] publishes hostPort 4222 on the node/)]);
    expect(await violations(p, resource("kubernetes:networking.k8s.io/v1:Ingress", { spec: {} }))).toHaveLength(1);
  });
});

describe("tlos-images-pinned-by-digest", () => {
  it("passes digest-pinned containers, SpinApps and Quadlet units; fails a tag, a missing image and a tagged unit", async () => {
    const p = policies.imagesPinnedByDigest;
    expect(await violations(p, resource("kubernetes:apps/v1:Deployment", deployment(`ghcr.io/x/y:1${DIGEST}`)))).toEqual([]);
    expect(await violations(p, resource("kubernetes:core.spinkube.dev/v1alpha1:SpinApp", { spec: { image: `ghcr.io/x/app:1${DIGEST}` } }))).toEqual([]);
    expect(await violations(p, resource("kubernetes:batch/v1:CronJob", { spec: { jobTemplate: { spec: { template: { spec: { containers: [{ image: "restic/restic:0.17" }], initContainers: [{}] } } } } } }))).toEqual([
      'containers[0].image is "restic/restic:0.17", not pinned; allowed: an image reference ending in @sha256:<64 hex digits>',
      "initContainers[0].image is undefined, not pinned; allowed: an image reference ending in @sha256:<64 hex digits>",
    ]);
    expect(await violations(p, resource("tlos:podman:TlosNode", { files: { "n/quadlet/n.container": `[Container]\nImage=docker.io/library/nats:2.11.16${DIGEST}\n` } }))).toEqual([]);
    expect(await violations(p, resource("tlos:podman:TlosNode", { files: { "n/quadlet/n-wasmcloud.container": "[Container]\nImage=ghcr.io/wasmcloud/wash:2.7.0\n" } }))).toEqual([expect.stringMatching(/^files\["n\/quadlet\/n-wasmcloud\.container"\] Image= is "ghcr\.io\/wasmcloud\/wash:2\.7\.0", not pinned/)]);
  });
});

describe("tlos-signed-image-admission", () => {
  const r = (type: string, name: string, parent?: PolicyResource): PolicyResource => ({ type, name, urn: `urn:${type}::${name}`, props: {}, opts: {} as PolicyResource["opts"], dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined, ...(parent ? { parent } : {}) });
  it("passes a deployed cluster with a ClusterImagePolicy below it (and one whose objects do not deploy); fails one without", async () => {
    const p = policies.signedImageAdmission;
    const guarded = r("tlos:kubernetes:SpinKubeCluster", "a");
    const bare = r("tlos:kubernetes:SpinKubeCluster", "b");
    const undeployed = r("tlos:kubernetes:SpinKubeCluster", "c");
    const cip = r("kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy", "a-cip", guarded);
    const resources = [guarded, bare, undeployed, cip, r("kubernetes:core/v1:Namespace", "a-ns", guarded), r("kubernetes:core/v1:Namespace", "b-ns", bare)];
    expect(await stackViolations(p, resources)).toEqual([expect.stringMatching(/^urn:tlos:kubernetes:SpinKubeCluster::b: b has no ClusterImagePolicy below it/)]);
  });
});

describe("tlos-hub-nats-version", () => {
  it("passes hubs on 2.11.16 and 2.12.7; fails 2.11.15, 2.10 and an untagged image", async () => {
    const p = policies.hubsEnforceLeafPermissions;
    const lattice = (image: string) => resource("tlos:nats:Lattice", { files: { "lattice/hubs/hub-1/quadlet/hub-1-nats.container": `[Container]\nImage=${image}\n` } });
    expect(await violations(p, lattice(`docker.io/library/nats:2.11.16-alpine${DIGEST}`))).toEqual([]);
    expect(await violations(p, lattice("docker.io/library/nats:2.12.7"))).toEqual([]);
    for (const old of ["docker.io/library/nats:2.11.15-alpine", "nats:2.10.27", `nats${DIGEST}`]) expect(await violations(p, lattice(old)), old).toEqual([expect.stringMatching(/allowed: a nats image tagged 2\.11\.16\+ on 2\.11, 2\.12\.7\+ on 2\.12, or 2\.14\+$/)]);
  });
});

describe("tlos-akash-price-cap", () => {
  const pool = (amount: number, denom = "uact") => resource("tlos:akash:AkashGpuPool", { files: { "lattice/akash/kimi/deploy.yaml": `version: "2.0"\nprofiles:\n  placement:\n    dc:\n      pricing:\n        vllm: { denom: ${denom}, amount: ${amount} }\n` } });
  it("passes a bid under the cap; fails one over it, over a configured cap, and an unknown denomination", async () => {
    const p = policies.akashPriceCap;
    expect(await violations(p, pool(30_000))).toEqual([]);
    expect(await violations(p, pool(60_000))).toEqual(['files["lattice/akash/kimi/deploy.yaml"] placement dc bids 60000 uact/block for vllm; allowed: at most 50000 (policy config maxAmountPerBlock)']);
    const tight = { ...pool(30_000), getConfig: <T extends object>() => ({ maxAmountPerBlock: { uact: 10_000 } }) as T };
    expect(await violations(p, tight)).toHaveLength(1);
    expect(await violations(p, pool(1, "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"))).toEqual([expect.stringMatching(/prices vllm in "ibc\/.*"; allowed denominations: uact, uakt$/)]);
  });
});

describe("tlos-stateful-protected", () => {
  it("passes a protected bucket and namespace; fails an unprotected CRD", async () => {
    const p = policies.statefulProtected;
    expect(await violations(p, resource("cloudflare:index/r2Bucket:R2Bucket", {}, { protect: true }))).toEqual([]);
    expect(await violations(p, resource("kubernetes:core/v1:Namespace", {}, { protect: true }))).toEqual([]);
    expect(await violations(p, resource("kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition", {}, { name: "crd" }))).toEqual(["crd (kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition) is not protected; allowed: protect: true (tlos:protect, default true)"]);
  });
});

describe("tlos-no-plain-secrets", () => {
  const seed = `SU${"A".repeat(56)}`;
  it("passes secret material in secret inputs (secretFiles, a Secret, stdin); fails it in files, a ConfigMap or a command line", async () => {
    const p = policies.noPlainSecrets;
    expect(await violations(p, resource("tlos:podman:TlosNode", { files: { a: "public" }, secretFiles: { "secrets/x.creds": `-----BEGIN USER NKEY SEED-----\n${seed}\n` } }))).toEqual([]);
    expect(await violations(p, resource("kubernetes:core/v1:Secret", { stringData: { "leaf.creds": seed } }))).toEqual([]);
    expect(await violations(p, resource("command:remote:Command", { stdin: seed, connection: { privateKey: "-----BEGIN OPENSSH PRIVATE KEY-----" }, create: "bash ./install.sh" }))).toEqual([]);
    expect(await violations(p, resource("tlos:podman:TlosNode", { files: { "a.conf": `seed: ${seed}` } }))).toEqual(["files.a.conf holds a NATS nkey seed in a plain input; allowed: secret material only in secret inputs (secretFiles, a Kubernetes Secret, stdin)"]);
    expect(await violations(p, resource("kubernetes:core/v1:ConfigMap", { data: { "leaf.creds": "-----BEGIN USER NKEY SEED-----" } }))).toEqual([expect.stringMatching(/^data\.leaf\.creds holds a NATS creds file/)]);
    expect(await violations(p, resource("command:remote:Command", { create: `echo '-----BEGIN EC PRIVATE KEY-----' > k` }))).toEqual([expect.stringMatching(/^create holds a private key/)]);
  });
});

afterEach(() => pulumi.runtime.disconnect());

/** Pulumi's mark of a secret in mocked inputs; CrossGuard hands policies the plain value. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
function unwrap(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(unwrap);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (o[SECRET_SIG] !== undefined) return unwrap(o.value);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, unwrap(x)]));
  }
  return v;
}

describe("the pack over the full-grid program (mocked engine)", () => {
  it("finds only the default images no digest is known for: no ingress, secret, hub, price or admission violation", async () => {
    const registered: pulumi.runtime.MockResourceArgs[] = [];
    await pulumi.runtime.setMocks({
      newResource: (a) => {
        registered.push(a);
        const extra = a.type === "cloudflare:index/accountToken:AccountToken" ? { value: "v" } : a.type === "cloudflare:index/callsTurnApp:CallsTurnApp" ? { keyId: "k", key: "k" } : {};
        return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
      },
      call: (a) => (a.token.endsWith("getAccountApiTokenPermissionGroupsList") ? { results: [{ id: "r", name: "Workers R2 Storage Bucket Item Read" }, { id: "w", name: "Workers R2 Storage Bucket Item Write" }] } : a.inputs),
    }, "tlos", "test", false);
    const config = { ...FULL_CONFIG, "tlos:deploy": JSON.stringify(["kubernetes", "cloudflare", "akash"]) };
    pulumi.runtime.setAllConfig(config, SECRET_KEYS.filter((k) => k in config));
    // the compiled adapter, as a program loads it (the Akash dynamic provider's code is serialized)
    const { TlosGrid } = (await import(/* @vite-ignore */ new URL("../dist-lib/pulumi/index.js", import.meta.url).href)) as typeof import("../src/pulumi/index.js");
    const { default: grid } = await import("../examples/full-grid/grid.js");
    const g = new TlosGrid("tlos", { grid });
    await new Promise((r) => g.manifest.apply(r));
    await pulumi.runtime.disconnect();
    const found = new Map<string, string[]>();
    const all: PolicyResource[] = [];
    for (const a of registered) {
      const args = resource(a.type, unwrap(a.inputs) as Record<string, unknown>, { name: a.name, protect: true });
      all.push({ ...args, dependencies: [], propertyDependencies: {} } as unknown as PolicyResource);
      for (const p of policies.tlosPolicies) {
        if (!("validateResource" in p)) continue;
        for (const v of await violations(p, args)) found.set(p.name, [...(found.get(p.name) ?? []), `${a.name}: ${v}`]);
      }
    }
    expect([...found.keys()].filter((k) => k !== "tlos-images-pinned-by-digest")).toEqual([]);
    // the known gap the README names: the default wasmCloud host images are tagged only
    // the known gap the README names: default images no digest could be confirmed for here (no registry access)
    const tagged = new Set((found.get("tlos-images-pinned-by-digest") ?? []).map((v) => /Image= is "([^"]+)"/.exec(v)?.[1]));
    expect([...tagged].sort()).toEqual(["docker.io/coturn/coturn:4.6.3", "ghcr.io/wasmcloud/wadm:0.21.1", "ghcr.io/wasmcloud/wash:2.7.0", "ghcr.io/wasmcloud/wasmcloud:1.9.2"]);
    expect(registered.some((r) => r.type === "kubernetes:policy.sigstore.dev/v1beta1:ClusterImagePolicy")).toBe(true);
  });
});
