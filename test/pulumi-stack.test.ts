/**
 * The full-grid Pulumi program driven by stack config, under `pulumi.runtime.setMocks`: the
 * Pulumi engine and CLI cannot run here (no CLI, no network), so the engine is mocked and every
 * other part is the real SDK and the real providers' SDKs. The compiled adapter (dist-lib) is
 * loaded, as a Pulumi program loads it: the Akash dynamic provider's code is serialized.
 */
import * as pulumi from "@pulumi/pulumi";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Grid, Lattice, TlosNode, type TlosNodeProps } from "../src/index.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { FULL_CONFIG, SECRET_KEYS, SECRETS } from "./fixtures/stack-config.js";

const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));
type Adapter = typeof import("../src/pulumi/index.js");


/** Inputs as the mock engine sees them (JSON-like; secrets wrapped in Pulumi's secret signature). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;
interface Registration { readonly type: string; readonly name: string; readonly provider?: string; readonly inputs: Inputs }

async function mocked(config: Record<string, string>) {
  const registered: Registration[] = [];
  const calls: { token: string; provider?: string }[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => {
        registered.push({ type: a.type, name: a.name, inputs: a.inputs, ...(a.provider ? { provider: a.provider } : {}) });
        const extra = a.type === "cloudflare:index/accountToken:AccountToken" ? { value: `token-value-of-${a.name}` } : a.type === "cloudflare:index/callsTurnApp:CallsTurnApp" ? { keyId: `${a.name}-key-id`, key: `${a.name}-key` } : {};
        return { id: `${a.name}-id`, state: { ...a.inputs, ...extra } };
      },
      call: (a) => {
        calls.push({ token: a.token, ...(a.provider ? { provider: a.provider } : {}) });
        return a.token.endsWith("getAccountApiTokenPermissionGroupsList")
          ? { results: [{ id: "pg-read", name: "Workers R2 Storage Bucket Item Read" }, { id: "pg-write", name: "Workers R2 Storage Bucket Item Write" }] }
          : a.inputs;
      },
    },
    "tlos", "test", false,
  );
  pulumi.runtime.setAllConfig(config, SECRET_KEYS.filter((k) => k in config));
  const dist = (await import(/* @vite-ignore */ new URL("../dist-lib/pulumi/index.js", import.meta.url).href)) as Adapter;
  return { registered, calls, dist };
}

/** Every URN the grid holds (components and their real resources), resolved. */
async function urns(g: InstanceType<Adapter["TlosGrid"]>): Promise<string[]> {
  const rs: pulumi.Resource[] = [g, ...Object.values(g.components), ...Object.values(g.deployments), ...Object.values(g.claimsPushes), ...Object.values(g.hosts).flatMap((h) => [h.install, ...(h.copy ? [h.copy] : []), ...(h.secrets ? [h.secrets] : [])]), ...Object.values(g.kubernetesObjects).flatMap((o) => Object.values(o))];
  for (const c of Object.values(g.cloudflare)) rs.push(...Object.values(c).filter((x): x is pulumi.Resource => pulumi.Resource.isInstance(x)));
  return (await value(pulumi.all(rs.map((r) => r.urn)))).sort();
}

/** Registrations in a stable order, secrets unwrapped, the dynamic provider's serialized code left out. */
const canonical = (rs: readonly Registration[]) => JSON.stringify([...rs].sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : 1)));

async function fullGridRun(config = FULL_CONFIG) {
  const m = await mocked(config);
  const { default: grid } = await import("../examples/full-grid/grid.js");
  const g = new m.dist.TlosGrid("tlos", { grid });
  const all = await urns(g);
  await value(g.manifest);
  await pulumi.runtime.disconnect();
  return { ...m, g, urns: all };
}

afterEach(() => pulumi.runtime.disconnect());

describe("the full-grid program with a complete stack config (mocked engine)", () => {
  it("registers every target's real resources, through the configured providers", async () => {
    const { registered, calls, g } = await fullGridRun();
    const types = new Set(registered.map((r) => r.type));
    for (const t of [
      "tlos:index:Grid", "tlos:nats:Lattice", "tlos:podman:TlosNode", "tlos:akash:AkashGpuPool", "tlos:akash:TlosNode", "tlos:kubernetes:SpinKubeCluster",
      "tlos:cloudflare:R2Backup", "tlos:cloudflare:TurnRelay", "tlos:cloudflare:AiGateway", "tlos:wasmcloud:App",
      "pulumi:providers:kubernetes", "kubernetes:core/v1:Namespace", "kubernetes:helm.sh/v3:Release", "kubernetes:core.spinkube.dev/v1alpha1:SpinApp",
      "cloudflare:index/r2Bucket:R2Bucket", "cloudflare:index/r2BucketLifecycle:R2BucketLifecycle", "cloudflare:index/accountToken:AccountToken",
      "cloudflare:index/callsTurnApp:CallsTurnApp", "cloudflare:index/aiGateway:AiGateway", "pulumi-nodejs:dynamic:Resource",
    ]) expect(types, t).toContain(t);
    expect(Object.keys(FULL_CONFIG).sort()).toEqual(["cloudflare:apiToken", "tlos:akash", "tlos:akashMnemonic", "tlos:deploy", "tlos:hosts", "tlos:kubeconfig", "tlos:kubernetes", "tlos:lattices", "tlos:masterSeed", "tlos:protect", "tlos:sshPrivateKey"]);
    expect(Object.keys(g.deployments).sort()).toEqual(["tlos/lattice/cloud-1", "tlos/lattice/kimi"]);
    // the cluster's provider: the secret kubeconfig and the context stack config names
    const kube = registered.find((r) => r.type === "pulumi:providers:kubernetes")!;
    expect(kube.name).toBe("tlos-lattice-k8s-kubernetes");
    expect(kube.inputs.context).toBe("prod");
    for (const r of registered.filter((x) => x.type.startsWith("kubernetes:"))) expect(r.provider, r.name).toMatch(/pulumi:providers:kubernetes::tlos-lattice-k8s-kubernetes::/);
    const dep = registered.find((r) => r.name === "tlos-lattice-kimi-deployment")!;
    expect(dep.inputs).toMatchObject({ deposit: { denom: "uact", amount: "5000000" }, allowedProviders: ["akash1…"], readyTimeoutMs: 3_600_000 });
    expect(calls.map((c) => c.token)).toContain("cloudflare:index/getAccountApiTokenPermissionGroupsList:getAccountApiTokenPermissionGroupsList");
  });

  it("builds the same tree whatever the environment says, and two runs register identical URNs and inputs", async () => {
    const saved = { ...process.env };
    const first = await fullGridRun();
    Object.assign(process.env, { TLOS_KUBERNETES: "", TLOS_CLOUDFLARE: "", TLOS_AKASH_DEPLOY: "", KUBECONFIG: "/nonexistent", PULUMI_NODEJS_SKIP_COMPONENT_INPUTS: "" });
    try {
      const second = await fullGridRun();
      expect(second.urns).toEqual(first.urns);
      expect(canonical(second.registered)).toBe(canonical(first.registered));
    } finally {
      process.env = saved;
    }
    expect(first.urns.length).toBeGreaterThan(40);
    // and no module of the adapter reads the environment at all
    const dir = new URL("../src/pulumi/", import.meta.url).pathname;
    const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    for (const f of files) expect(readFileSync(join(dir, f), "utf8"), f).not.toMatch(/process\.env/);
  });

  it("without tlos:deploy registers components only (nothing is deleted by a config-less preview: the tree is the config's)", async () => {
    const config = Object.fromEntries(Object.entries(FULL_CONFIG).filter(([k]) => k !== "tlos:deploy"));
    const { registered } = await fullGridRun(config);
    expect(registered.filter((r) => !r.type.startsWith("tlos:"))).toEqual([]);
  });

  it("refuses a bad stack config with every problem at once, before registering children", async () => {
    const { registered, dist } = await mocked({ ...FULL_CONFIG, "tlos:deploy": JSON.stringify(["kubernetes", "akash", "docker"]), "tlos:akash": JSON.stringify({ deposit: { denom: "uact", amount: "5 ACT" } }), "tlos:kubernetes": JSON.stringify({ "lattice/k8z": {} }) });
    const { default: grid } = await import("../examples/full-grid/grid.js");
    expect(() => new dist.TlosGrid("tlos", { grid })).toThrow(
      /3 problem\(s\):\n {2}\[tlos\] tlos:deploy: "docker" is not a target; allowed: kubernetes, cloudflare, akash, hosts\n {2}\[tlos\] tlos:akash.deposit: .*"5 ACT".* is not a deposit.*\n {2}\[tlos\] tlos:kubernetes.lattice\/k8z: "lattice\/k8z" is not a SpinKubeCluster of the grid; allowed: lattice\/k8s/,
    );
    expect(registered.filter((r) => r.type !== "tlos:index:Grid")).toEqual([]);
  });
});

const SECRET_SIG = "4dabf18193072939515e22adb298388d";
/** A registration's inputs with every secret-wrapped value cut out: what state keeps in plain text. */
const plainPart = (x: unknown): unknown => {
  if (Array.isArray(x)) return x.map(plainPart);
  if (typeof x !== "object" || x === null) return x;
  const o = x as Record<string, unknown>;
  if (o[SECRET_SIG] === "1b47061264138c4ac30d75fd1eb44270") return "<secret>";
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plainPart(v)]));
};

describe("hosts deployed by @pulumi/command (mocked engine)", () => {
  it("every machine gets its bundle copied as assets, its secrets over stdin and its install.sh run; claims push per lattice", async () => {
    const { registered, g } = await fullGridRun();
    const { default: grid } = await import("../examples/full-grid/grid.js");
    const { MasterSeed } = await import("../src/core/seed.js");
    const synth = grid.synth({ masterSeed: MasterSeed.parse(SECRETS["tlos:masterSeed"]!) });
    const machines = [...new Set(synth.files.filter((f) => f.path.startsWith("hosts/")).map((f) => f.path.split("/")[1]!))].sort();
    expect(machines.length).toBe(12);
    expect(Object.keys(g.hosts).sort()).toEqual(machines);
    const byName = (n: string) => registered.find((r) => r.name === n);
    for (const m of machines) {
      const install = byName(`tlos-host-${m}-install`)!;
      expect(install, m).toBeDefined();
      if (m === "home-1") {
        expect(install.type).toBe("command:local:Command");
        expect(install.inputs.stdin[SECRET_SIG]).toBeDefined();
        continue;
      }
      expect(install.type).toBe("command:remote:Command");
      expect(install.inputs.create).toMatch(/^cd 'tlos-[a-z0-9-]+' && bash \.\/install\.sh$/);
      // the whole connection (its key) is a secret input
      expect(install.inputs.connection[SECRET_SIG]).toBeDefined();
      expect(install.inputs.connection.value.privateKey).toContain("OPENSSH PRIVATE KEY");
      const copy = byName(`tlos-host-${m}-bundle`)!;
      expect(copy.type).toBe("command:remote:CopyToRemote");
      // the mock engine hands the archive back as an AssetArchive: its assets are a promise
      const archive = (await copy.inputs.source.assets) as Record<string, { text: Promise<string> }>;
      const assets = Object.keys(archive).sort();
      expect(await archive["install.sh"]!.text).toBe(synth.files.find((f) => f.path === `hosts/${m}/install.sh`)!.content);
      const bundle = synth.files.filter((f) => f.path.startsWith(`hosts/${m}/`));
      expect(assets).toEqual(bundle.filter((f) => !f.secret).map((f) => f.path.slice(`hosts/${m}/`.length)).sort());
      expect(assets).toContain("install.sh");
      const secrets = byName(`tlos-host-${m}-secrets`)!;
      expect(secrets.inputs.stdin[SECRET_SIG]).toBeDefined();
      // the secret files of this machine, and only those, travel on stdin
      const lines = (secrets.inputs.stdin.value as string).trim().split("\n").map((l) => l.split(" ")[0]).sort();
      expect(lines).toEqual(bundle.filter((f) => f.secret).map((f) => f.path.slice(`hosts/${m}/`.length)).sort());
      expect(copy.inputs.triggers[0]).toMatch(/^[0-9a-f]{64}$/);
    }
    // no secret file of any machine, nor the SSH key, is in any command's plain inputs
    const secretContents = synth.files.filter((f) => f.secret && f.path.startsWith("hosts/")).map((f) => f.content.trim()).filter((c) => c.length > 40);
    for (const r of registered.filter((x) => x.type.startsWith("command:"))) {
      const plain = JSON.stringify(plainPart(r.inputs));
      for (const c of secretContents) expect(plain.includes(JSON.stringify(c).slice(1, 41)), `${r.name} leaks a secret`).toBe(false);
      expect(plain).not.toContain("OPENSSH PRIVATE KEY");
    }
    const push = byName("tlos-lattice-claims-push")!;
    expect(push.type).toBe("command:local:Command");
    expect(push.inputs.create).toContain("npx --no-install tlos claims push \"$d/account.jwt\" --server 'tls://hub-1.grid.example.net:4222' --creds \"$d/sys.creds\" --tls-ca 'secrets/lattice/tls/ca.pem'");
    expect(push.inputs.triggers[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(push.inputs.stdin[SECRET_SIG]).toBeDefined();
    expect(Object.keys(g.claimsPushes).sort()).toEqual(["lattice", "legacy"]);
  });

  it("a machine without a connection, or a connection to no machine, is refused before registration", async () => {
    const hosts = JSON.parse(FULL_CONFIG["tlos:hosts"]!) as Record<string, unknown>;
    delete hosts["relay-1"];
    hosts["hub-9"] = { connection: "ssh", host: "x" };
    const { registered, dist } = await mocked({ ...FULL_CONFIG, "tlos:hosts": JSON.stringify(hosts) });
    const { default: grid } = await import("../examples/full-grid/grid.js");
    expect(() => new dist.TlosGrid("tlos", { grid })).toThrow(/\[tlos\] tlos:hosts\.relay-1: machine relay-1 has a bundle but no connection[\s\S]*\[tlos\] tlos:hosts\.hub-9: "hub-9" is not a machine of the grid/);
    expect(registered.filter((r) => r.type !== "tlos:index:Grid")).toEqual([]);
  });
});

describe("previews name the file that changes (mocked engine)", () => {
  const grid = (memory: string) => {
    const g = new Grid("test");
    const lattice = new Lattice(g, "lattice", { hubs: THREE_HUBS });
    for (const [id, p] of Object.entries<Partial<TlosNodeProps>>({ "home-1": { resources: { memory } }, "home-2": {} })) new TlosNode(lattice, id, { target: "podman", ...p } as TlosNodeProps);
    return g;
  };
  const run = async (memory: string) => {
    const { registered, dist } = await mocked({ "tlos:masterSeed": "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c" });
    const g = new dist.TlosGrid("grid", { grid: grid(memory) });
    await value(pulumi.all(Object.values(g.components).map((c) => c.files)));
    await pulumi.runtime.disconnect();
    return new Map(registered.map((r) => [r.name, r.inputs]));
  };

  it("changing one node's memory changes exactly that node's inputs, in the file that holds it", async () => {
    const before = await run("1Gi");
    const after = await run("3Gi");
    const changed = [...after].filter(([n, i]) => JSON.stringify(i) !== JSON.stringify(before.get(n))).map(([n]) => n);
    expect(changed).toEqual(["grid-lattice-home-1"]);
    const files = (m: Map<string, Record<string, unknown>>) => m.get("grid-lattice-home-1")!.files as Record<string, string>;
    const diffFiles = Object.keys(files(after)).filter((f) => files(after)[f] !== files(before)[f]);
    expect(diffFiles).toEqual(["lattice/nodes/home-1/quadlet/home-1-wasmcloud.container"]);
    // secret files are inputs too, but only inside Pulumi's secret wrapper
    const secretFiles = after.get("grid-lattice-home-1")!.secretFiles as Record<string, unknown>;
    expect(secretFiles["4dabf18193072939515e22adb298388d"]).toBeDefined();
  });
});
