/**
 * The `AkashDeployment` dynamic resource's diff/create/update/delete/read, run without the Pulumi
 * engine (no CLI or engine runs here) against the stand-ins of test/akash-deploy.test.ts: a real
 * HTTPS provider API with mTLS on 127.0.0.1 and an in-memory chain behind the interface the
 * chain-sdk client implements (no Akash chain is reachable). The registration is checked under
 * `pulumi.runtime.setMocks`.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { providerHttp } from "../src/akash/deploy/provider-http.js";
import type { Bid } from "../src/akash/deploy/types.js";
import type { AkashGpuPoolProps } from "../src/index.js";
import { AkashDeploymentProvider, type AkashDeploymentInputs, type AkashDeploymentOutputs } from "../src/pulumi/akash/deployment.js";
import { realBinary, SEED, tempDir } from "./helpers.js";
import { akashGrid, POOL } from "./fixtures/akash.js";
import { ChainStandIn, OWNER, providerStandIn, selfSigned } from "./fixtures/akash-standins.js";
import { parse } from "yaml";

const openssl = realBinary("openssl");
const bid = (provider: string, amount: number): Bid => ({ provider, gseq: 1, oseq: 1, bseq: 1, price: { denom: "uact", amount } });
/** The deployable SDL of the GPU pool with some props changed. */
const sdlOf = (pool: Partial<AkashGpuPoolProps> = {}) => stringify(parse(akashGrid(pool, null).synth({ masterSeed: SEED }).files.find((f) => f.path === "secrets/lattice/akash/kimi/deploy.yaml")!.content));
const MNEMONIC = "test test test";

async function setup(chainScript: Partial<ConstructorParameters<typeof ChainStandIn>[0]> = {}, readyAfter = 1) {
  const dir = tempDir("tlos-akash-res-");
  const serverCert = selfSigned(openssl!, dir, "provider", "provider.example");
  const clientCert = selfSigned(openssl!, dir, "client", OWNER, `DNS:${OWNER}`);
  const p = await providerStandIn(serverCert, clientCert, { manifestStatus: 200, readyAfter });
  const chain = new ChainStandIn({ bids: [bid("akash1cheap", 150_000)], afterPolls: 0, leaseStates: ["active"], ...chainScript }, clientCert, p.url);
  const seen: { mnemonic: string }[] = [];
  const provider = new AkashDeploymentProvider({ chain: async (c) => (seen.push(c), chain), provider: () => providerHttp({ expectedServerCert: serverCert.certPem }) }, MNEMONIC);
  const inputs: AkashDeploymentInputs = { sdl: sdlOf(), rpcUrl: "https://rpc.invalid", grpcUrl: "https://grpc.invalid", deposit: { denom: "uact", amount: "5000000" }, bidTimeoutMs: 500, readyTimeoutMs: 3000, pollMs: 20 };
  return { chain, provider, p, inputs, seen };
}

describe.skipIf(!openssl)("AkashDeployment diff: what Akash cannot update replaces, endpoints never do", () => {
  it("GPU units, GPU model, count, pricing and placement replace; the image or args update in place; endpoints and timeouts change nothing on chain", async () => {
    const { provider, p, inputs, chain } = await setup();
    const created = await provider.create(inputs);
    const olds = created.outs as AkashDeploymentOutputs;
    const d = (n: Partial<AkashDeploymentInputs>) => provider.diff(created.id, olds, { ...inputs, ...n });
    for (const change of [
      { gpu: { ...POOL.gpu, units: 16 } },
      { gpu: { ...POOL.gpu, model: "a100", ram: "80Gi", units: 16 } },
      { count: 3 },
      { pricing: { denom: "uact", amount: 250_000 } },
      { placement: { ...POOL.placement, attributes: { region: "eu-central" } } },
      { resources: { ...POOL.resources, memory: "512Gi" } },
    ] satisfies Partial<AkashGpuPoolProps>[]) {
      expect(await d({ sdl: sdlOf(change) }), JSON.stringify(change)).toEqual({ changes: true, replaces: ["groups"], deleteBeforeReplace: true });
    }
    expect(await d({ sdl: sdlOf({ inference: { ...POOL.inference, args: ["--max-model-len", "65536"] } }) })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    for (const n of [{ rpcUrl: "https://rpc.other:443" }, { grpcUrl: "https://grpc.other:443" }, { readyTimeoutMs: 7_200_000 }]) {
      expect(await d(n), JSON.stringify(n)).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    }
    expect(await d({})).toEqual({ changes: false, replaces: [], deleteBeforeReplace: true });
    // an endpoint change applies without touching the chain: no new version, no new lease
    const before = chain.calls.length;
    const moved = await provider.update(created.id, olds, { ...inputs, rpcUrl: "https://rpc.other:443" });
    expect(chain.calls.slice(before).filter((c) => !c.startsWith("ensureCertificate"))).toEqual([]);
    expect(moved.outs).toMatchObject({ rpcUrl: "https://rpc.other:443", dseq: "1234567", provider: "akash1cheap" });
    await p.close();
  });

  it("a higher deposit tops the escrow up in place; allowedProviders without the lease's provider replaces, with it updates", async () => {
    const { provider, p, inputs, chain } = await setup();
    const created = await provider.create(inputs);
    const olds = created.outs as AkashDeploymentOutputs;
    const more = { ...inputs, deposit: { denom: "uact", amount: "7500000" } };
    expect((await provider.diff(created.id, olds, more)).replaces).toEqual([]);
    const up = await provider.update(created.id, olds, more);
    expect(chain.calls).toContain("depositDeployment 1234567 2500000uact");
    expect(up.outs.deposit).toEqual({ denom: "uact", amount: "7500000" });
    expect(await provider.diff(created.id, olds, { ...inputs, allowedProviders: ["akash1trusted"] })).toEqual({ changes: true, replaces: ["allowedProviders"], deleteBeforeReplace: true });
    expect(await provider.diff(created.id, olds, { ...inputs, allowedProviders: ["akash1trusted", "akash1cheap"] })).toEqual({ changes: true, replaces: [], deleteBeforeReplace: true });
    await p.close();
  });
});

describe.skipIf(!openssl)("AkashDeployment create: a failure after the deployment exists closes it", () => {
  it("services never ready (a model download longer than the timeout): the deployment is closed and the error says so", async () => {
    const { provider, p, inputs, chain } = await setup({}, 1_000_000);
    await expect(provider.create({ ...inputs, readyTimeoutMs: 200 })).rejects.toMatchObject({ code: "not-ready", message: expect.stringMatching(/not ready after 200 ms.*; deployment 1234567 closed$/) });
    expect(chain.calls).toContain("createLease 1234567 akash1cheap");
    expect(chain.calls.at(-1)).toBe("closeDeployment 1234567");
    await p.close();
  });

  it("the lease lost while waiting: closed too; and a failure the flow already closed is closed once", async () => {
    const lost = await setup({ leaseStates: ["active", "insufficient_funds"] }, 100);
    await expect(lost.provider.create(lost.inputs)).rejects.toMatchObject({ code: "lease-lost", message: expect.stringMatching(/; deployment 1234567 closed$/) });
    expect(lost.chain.calls.at(-1)).toBe("closeDeployment 1234567");
    await lost.p.close();
    const noBids = await setup({ afterPolls: 1_000_000 });
    await expect(noBids.provider.create(noBids.inputs)).rejects.toMatchObject({ code: "no-bids" });
    expect(noBids.chain.calls.filter((c) => c.startsWith("closeDeployment"))).toEqual(["closeDeployment 1234567"]);
    await noBids.p.close();
  });
});

describe.skipIf(!openssl)("AkashDeployment read (pulumi refresh) and the wallet", () => {
  it("keeps an active lease, drops one the chain closed (funds ran out)", async () => {
    const { provider, p, inputs } = await setup({ leaseStates: ["active", "active", "active", "closed"] });
    const created = await provider.create(inputs);
    const olds = created.outs as AkashDeploymentOutputs;
    expect(await provider.read(created.id, olds)).toEqual({ id: "1234567", props: olds });
    expect(await provider.read(created.id, olds)).toEqual({});
    await p.close();
  });

  it("the wallet comes from the provider's configuration, never from the resource's inputs or state", async () => {
    const { p, inputs, seen } = await setup();
    const bare = new AkashDeploymentProvider({ chain: async (c) => { seen.push(c); throw new Error("stop"); }, provider: () => providerHttp() });
    await expect(bare.create(inputs)).rejects.toMatchObject({ code: "no-wallet", message: expect.stringMatching(/pulumi config set --secret tlos:akashMnemonic/) });
    await bare.configure({ config: { get: (k: string) => (k === "tlos:akashMnemonic" ? "from config" : undefined), require: () => "" } });
    await expect(bare.create(inputs)).rejects.toThrow("stop");
    expect(seen.at(-1)).toEqual({ rpcUrl: "https://rpc.invalid", grpcUrl: "https://grpc.invalid", mnemonic: "from config" });
    await p.close();
  });
});

describe("AkashDeployment registration (mocked engine)", () => {
  afterEach(() => pulumi.runtime.disconnect());
  it("sends the SDL as a secret, the groups in plain, no mnemonic, and an hour's readiness timeout by default", async () => {
    const registered: pulumi.runtime.MockResourceArgs[] = [];
    await pulumi.runtime.setMocks({ newResource: (a) => (registered.push(a), { id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "tlos", "test", false);
    pulumi.runtime.setAllConfig({ "tlos:masterSeed": "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c", "tlos:akashMnemonic": MNEMONIC }, ["tlos:masterSeed", "tlos:akashMnemonic"]);
    const dist = (await import(/* @vite-ignore */ new URL("../dist-lib/pulumi/index.js", import.meta.url).href)) as typeof import("../src/pulumi/index.js");
    const g = new dist.TlosGrid("ak", { grid: akashGrid(), akash: { deposit: { denom: "uact", amount: "5000000" } } });
    await new Promise<void>((r) => g.deployments["ak/lattice/kimi"]!.urn.apply(() => r()));
    const dep = registered.find((r) => r.name === "ak-lattice-kimi-deployment")!;
    expect(Object.keys(dep.inputs)).not.toContain("mnemonic");
    expect(JSON.stringify(dep.inputs)).not.toContain(MNEMONIC);
    expect(dep.inputs.sdl["4dabf18193072939515e22adb298388d"]).toBeDefined();
    expect(dep.inputs.groups.dcloud ?? Object.values(dep.inputs.groups)[0]).toMatchObject({ services: { "kimi-inference": { count: 2, resources: { gpu: { units: 8 } } } } });
    expect(dep.inputs.readyTimeoutMs).toBe(3_600_000);
  });
});
