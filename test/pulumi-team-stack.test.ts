/**
 * A team stack that deploys one of the platform's GPU pools through a `StackReference`, without
 * the master seed, under `pulumi.runtime.setMocks` (the Pulumi engine, CLI and backend cannot run
 * here: the engine is mocked, and the stack reference is answered by the mock with what the
 * platform program exported). The platform program exports the pool's deployable SDL as a secret;
 * the team program has no `tlos:masterSeed`, only its own wallet, and what it receives can run
 * the pool's leaf but sign nothing: no operator or account seed.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { SECRETS } from "./fixtures/stack-config.js";

type Adapter = typeof import("../src/pulumi/index.js");
const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
// the compiled adapter, as a program loads it (the Akash dynamic provider's code is serialized)
const adapter = async () => (await import(/* @vite-ignore */ new URL("../dist-lib/pulumi/index.js", import.meta.url).href)) as Adapter;

afterEach(() => pulumi.runtime.disconnect());

/** The platform program: the full grid, exporting the kimi pool's SDL (a secret) for team stacks. */
async function platformExports(): Promise<{ kimiSdl: string; secret: boolean }> {
  await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "tlos-grid", "prod", false);
  pulumi.runtime.setAllConfig({ "tlos:masterSeed": SECRETS["tlos:masterSeed"]! }, ["tlos:masterSeed"]);
  const { TlosGrid } = await adapter();
  const { default: grid } = await import("../examples/full-grid/grid.js");
  const tlos = new TlosGrid("tlos", { grid });
  // every GPU pool and Akash node, whether or not this stack deploys akash itself
  expect(Object.keys(tlos.akashSdls).sort()).toEqual(["tlos/lattice/cloud-1", "tlos/lattice/kimi"]);
  const kimiSdl = tlos.akashSdls["tlos/lattice/kimi"]!;
  const out = { kimiSdl: await value(kimiSdl), secret: await pulumi.isSecret(kimiSdl) };
  await value(tlos.manifest);
  await pulumi.runtime.disconnect();
  return out;
}

describe("a team stack on the platform's exports", () => {
  it("deploys the platform's GPU pool with its own wallet through a StackReference, never holding the master seed", async () => {
    const platform = await platformExports();
    expect(platform.secret).toBe(true);
    // the export lets its holder run the pool's leaf, not mint identities: no operator or account seed
    // (the SDL carries files as base64 env values)
    const decoded = [platform.kimiSdl, ...[...platform.kimiSdl.matchAll(/_B64=([A-Za-z0-9+/=]+)/g)].map((m) => Buffer.from(m[1]!, "base64").toString("utf8"))].join("\n");
    expect(decoded).toMatch(/SU[A-Z2-7]{56}/);
    expect(decoded).not.toMatch(/S[OA][A-Z2-7]{56}/);
    expect(decoded).not.toContain(SECRETS["tlos:masterSeed"]);

    const registered: pulumi.runtime.MockResourceArgs[] = [];
    await pulumi.runtime.setMocks({
      newResource: (a) => {
        registered.push(a);
        if (a.type === "pulumi:pulumi:StackReference") return { id: a.inputs.name, state: { name: a.inputs.name, outputs: { kimiSdl: platform.kimiSdl }, secretOutputNames: ["kimiSdl"] } };
        return { id: `${a.name}-id`, state: a.inputs };
      },
      call: (a) => a.inputs,
    }, "team-ml", "prod", false);
    // the team's own config: its wallet, no master seed
    pulumi.runtime.setAllConfig({ "tlos:akashMnemonic": SECRETS["tlos:akashMnemonic"]! }, ["tlos:akashMnemonic"]);
    const { AkashDeployment } = await adapter();
    const ref = new pulumi.StackReference("acme/tlos-grid/prod");
    const sdl = ref.requireOutput("kimiSdl") as pulumi.Output<string>;
    const pool = new AkashDeployment("team-ml-kimi", { sdl, deposit: { denom: "uact", amount: "5000000" } });
    await value(pool.urn);
    expect(await pulumi.isSecret(sdl)).toBe(true);
    expect(pulumi.runtime.getConfig("tlos:masterSeed")).toBeUndefined();
    const dep = registered.find((r) => r.type === "pulumi-nodejs:dynamic:Resource")!;
    expect(dep.name).toBe("team-ml-kimi");
    const input = dep.inputs.sdl;
    expect(input[SECRET_SIG] !== undefined ? input.value : input).toBe(platform.kimiSdl);
    expect(JSON.stringify(registered.map((r) => r.inputs))).not.toContain(SECRETS["tlos:masterSeed"]);
  });
});
