/**
 * A team stack that *defines* one AkashGpuPool and one SpinKubeCluster (examples/team-stack/index.ts,
 * type-checked here with tsc) and joins the platform's lattice through a StackReference, without
 * the master seed. The Pulumi engine, CLI and backend cannot run here, so both programs run under
 * `pulumi.runtime.setMocks` (the mock answers the StackReference with what the platform program,
 * run under mocks first, exported); the compiled adapter (dist-lib) is loaded as a program loads
 * it. The platform's hub runs for real on 127.0.0.1 (nats-server-hub) from the same grid and seed:
 * the creds the team's resources carry connect to it and have only their role's rights.
 */
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { NatsConnection } from "@nats-io/transport-node";
import { connect } from "@nats-io/transport-node";
import { realBinary, tempDir } from "./helpers.js";
import { SECRETS } from "./fixtures/stack-config.js";
import { connectWith, delivered, LAB, leafWith, PLATFORM_SEED_HEX, received, startTeamHub, type TeamHub } from "./fixtures/team-hub.js";

type Adapter = typeof import("../src/pulumi/index.js");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const unwrap = (v: Inputs | string) => (typeof v === "object" && v !== null && v[SECRET_SIG] !== undefined ? v["value"] : v);
const adapter = async () => (await import(/* @vite-ignore */ new URL("../dist-lib/pulumi/index.js", import.meta.url).href)) as Adapter;
const EXAMPLE = fileURLToPath(new URL("../examples/team-stack/index.ts", import.meta.url));
const TEAM_SEED = "5b0d6c1f9e2a47388f3e21d4c6a9b07e1c2d3f4a5b6c7d8e9f00112233445566";
const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");

afterEach(() => pulumi.runtime.disconnect());

/** The platform program under mocks: TlosGrid over the hub's grid, exporting team ml's lattice and keys. */
async function platformExports(hub: TeamHub): Promise<{ lattice: unknown; keys: Record<string, string>; latticeSecret: boolean; keysSecret: boolean }> {
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "tlos-grid", "prod", false);
  pulumi.runtime.setAllConfig({ "tlos:masterSeed": PLATFORM_SEED_HEX }, ["tlos:masterSeed"]);
  const { TlosGrid } = await adapter();
  const tlos = new TlosGrid("tlos", { grid: hub.grid });
  expect(Object.keys(tlos.teams)).toEqual(["platform/lattice"]);
  const ml = tlos.teams["platform/lattice"]!["ml"]!;
  const out = { lattice: await value(ml.lattice), keys: await value(ml.signingKeySeeds), latticeSecret: await pulumi.isSecret(ml.lattice), keysSecret: await pulumi.isSecret(ml.signingKeySeeds) };
  await value(tlos.manifest);
  await pulumi.runtime.disconnect();
  return out;
}

describe.skipIf(!hubBin || !leafBin)("a team stack defining an AkashGpuPool and a SpinKubeCluster", () => {
  let hub: TeamHub;
  let spy: NatsConnection;
  const conns: NatsConnection[] = [];
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  let config: Record<string, string> = {};
  let platform: Awaited<ReturnType<typeof platformExports>>;

  beforeAll(async () => {
    hub = await startTeamHub(hubBin!, tempDir("tlos-team-stack-"));
    spy = (await connectWith(hub.client, hub.admin)) as NatsConnection;
    conns.push(spy);
    platform = await platformExports(hub);
    await pulumi.runtime.setMocks({
      newResource: (a) => {
        registered.push(a);
        if (a.type === "pulumi:pulumi:StackReference") return { id: a.inputs.name, state: { name: a.inputs.name, outputs: { mlLattice: platform.lattice, mlSigningKeys: platform.keys }, secretOutputNames: ["mlSigningKeys"] } };
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call: (a) => a.inputs,
    }, "team-ml", "prod", false);
    // the team's own config: its seed, its wallet and deposit, what it deploys — no master seed
    config = {
      "tlos:teamSeed": TEAM_SEED, "tlos:akashMnemonic": SECRETS["tlos:akashMnemonic"]!,
      "tlos:deploy": JSON.stringify(["akash", "kubernetes"]), "tlos:akash": JSON.stringify({ deposit: { denom: "uact", amount: "5000000" } }),
    };
    pulumi.runtime.setAllConfig(config, ["tlos:teamSeed", "tlos:akashMnemonic"]);
    const { tsImport } = await import("tsx/esm/api");
    const program = (await tsImport(EXAMPLE, import.meta.url)) as { poolFiles: pulumi.Output<Record<string, string>>; clusterFiles: pulumi.Output<Record<string, string>> };
    await value(program.poolFiles);
    await value(program.clusterFiles);
    await new Promise((r) => setTimeout(r, 200));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await hub?.stop();
  });

  it("type-checks (tsc over the example program)", () => {
    const parsed = ts.getParsedCommandLineOfConfigFile(fileURLToPath(new URL("../tsconfig.json", import.meta.url)), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })!;
    const program = ts.createProgram([EXAMPLE], { ...parsed.options, noEmit: true });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(diags).toEqual([]);
  }, 120_000);

  it("the platform exports the reference in the clear and the key seeds as a secret", () => {
    expect(platform.latticeSecret).toBe(false);
    expect(platform.keysSecret).toBe(true);
    expect(Object.keys(platform.keys).sort()).toEqual(["ai-pool", "k8s-leaf"]);
  });

  it("registers the same components and real resources TlosGrid registers for the two constructs", () => {
    const byType = (t: string) => registered.filter((r) => r.type === t);
    expect(byType("tlos:akash:AkashGpuPool").map((r) => r.name)).toEqual(["qwen"]);
    expect(byType("tlos:kubernetes:SpinKubeCluster").map((r) => r.name)).toEqual(["ml-k8s"]);
    expect(byType("pulumi-nodejs:dynamic:Resource").map((r) => r.name)).toEqual(["qwen-deployment"]);
    for (const t of ["kubernetes:core/v1:Namespace", "kubernetes:core/v1:Secret", "kubernetes:core/v1:ConfigMap", "kubernetes:helm.sh/v3:Release"]) expect(byType(t).length, t).toBeGreaterThan(0);
    const pool = byType("tlos:akash:AkashGpuPool")[0]!;
    expect(pool.inputs.path).toBe("ml/lattice/qwen");
    expect(Object.keys(pool.inputs.files)).toEqual(["lattice/akash/qwen/deploy.yaml"]);
  });

  it("holds no master seed, operator or account seed in its config or any input", () => {
    const all = JSON.stringify([config, registered.map((r) => r.inputs)]);
    expect(all).not.toContain(PLATFORM_SEED_HEX);
    expect(all).not.toMatch(/S[OA][A-Z2-7]{56}/);
    // the scoped keys sign; their seeds are in no input either
    for (const seed of Object.values(platform.keys)) expect(all).not.toContain(seed);
  });

  it("the pool's creds (from its deployment's SDL) connect to the platform's hub with the pool role only", async () => {
    const dep = registered.find((r) => r.type === "pulumi-nodejs:dynamic:Resource")!;
    const sdl = unwrap(dep.inputs.sdl) as string;
    const creds = Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sdl)![1]!, "base64").toString();
    const nc = await connectWith(hub.client, creds);
    expect(typeof nc, String(nc)).toBe("object");
    conns.push(nc as NatsConnection);
    const marker = `_TLOS_AI.${LAB}.marker`;
    expect(await delivered(spy, nc as NatsConnection, [`_TLOS_AI.${LAB}.r`, `tlos.ai.${LAB}.v1.chat`, "runtime.host.h1.start", ">x"], marker)).toEqual([`_TLOS_AI.${LAB}.r`]);
    expect(await received(spy, nc as NatsConnection, [`tlos.ai.${LAB}.pool.qwen`, `wasmbus.evt.${LAB}.x`], `tlos.ai.${LAB}.pool.m`)).toEqual([`tlos.ai.${LAB}.pool.qwen`]);
  }, 60_000);

  it("the cluster's leaf creds (its Kubernetes Secret) attach as a leaf with the cluster role only", async () => {
    const secret = registered.find((r) => r.type === "kubernetes:core/v1:Secret" && r.inputs.metadata?.name === "tlos-leaf-creds")!;
    const creds = (unwrap(secret.inputs.stringData) as Record<string, string>)["leaf.creds"]!;
    expect(await connectWith(hub.client, creds)).toMatch(/authorization violation/i);
    const leaf = await leafWith(leafBin!, hub, "team-k8s", creds);
    try {
      expect(leaf.attached, leaf.log).toBe(true);
      const nc = await connect({ servers: leaf.url, reconnect: false });
      conns.push(nc);
      expect(await delivered(spy, nc, [`tlos.ai.${LAB}.pool.qwen`, `_TLOS_AI.${LAB}.r`, "runtime.host.h1.start"], "runtime.operator.heartbeat")).toEqual(["runtime.host.h1.start"]);
    } finally {
      await leaf.stop();
    }
    // the in-cluster leaf's config dials the platform's hubs, and verifies them with the platform's CA
    const maps = JSON.stringify(registered.filter((r) => r.type === "kubernetes:core/v1:ConfigMap").map((r) => r.inputs));
    expect(maps).toContain(hub.leafUrls[0]!);
    expect(maps).toContain(JSON.stringify(hub.reference.caPem).slice(1, 80));
  }, 60_000);
});

describe("team components refuse bad input before anything registers (mocked engine)", () => {
  it("is the README's team-stack example, word for word", () => {
    expect(readFileSync(fileURLToPath(new URL("../README.md", import.meta.url)), "utf8")).toContain(`\`\`\`ts\n${readFileSync(EXAMPLE, "utf8")}\`\`\``);
  });

  it("lists a missing team seed, a bad reference and an undelegated role in one ValidationError", async () => {
    const registered: string[] = [];
    await pulumi.runtime.setMocks({ newResource: (a) => (registered.push(a.type), { id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "team-ml", "prod", false);
    pulumi.runtime.setAllConfig({}, []);
    const { SpinKubeCluster } = await adapter();
    const reference = { id: "lattice", name: LAB, jetstreamDomain: "hub", wasmcloud: "v2" as const, natsImage: "docker.io/library/nats:2.11.16-alpine", leafUrls: ["hub-1.example.net:7422"], caPem: "not a pem", accountPublicKey: `A${"B".repeat(55)}`, team: "ml", signingKeys: { "ai-pool": `A${"C".repeat(55)}` } };
    let err: Error | undefined;
    try {
      new SpinKubeCluster("ml-k8s", { lattice: { reference, signingKeySeeds: {} }, cosignPublicKeys: ["-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"], wasmcloud: {} });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.name).toBe("ValidationError");
    expect(err?.message).toMatch(/\[ml\] tlos:teamSeed: is not set; allowed: a secret of 32\+ random bytes/);
    expect(err?.message).toMatch(/\[ml\/lattice\] reference\.caPem: "not a pem" is not allowed/);
    expect(err?.message).toMatch(/\[ml\/lattice\] ml-k8s: team "ml" was delegated no signing key for role "k8s-leaf"; allowed: ai-pool/);
    expect(registered).toEqual([]);
  });
});
