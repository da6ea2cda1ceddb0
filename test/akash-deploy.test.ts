/**
 * The Akash deployment flow against stand-ins: the provider's manifest endpoint is a real HTTPS
 * server with mTLS on 127.0.0.1; the chain is an in-memory stand-in behind the interface the
 * chain-sdk client implements. The real chain is out of reach here.
 */
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { AkashDeployError, chooseBid, deploy, destroy, prepareSdl, update } from "../src/akash/deploy/flow.js";
import { providerHttp } from "../src/akash/deploy/provider-http.js";
import type { Bid } from "../src/akash/deploy/types.js";
import { realBinary, SEED, tempDir } from "./helpers.js";
import { akashGrid } from "./fixtures/akash.js";
import { ChainStandIn, OWNER, providerStandIn, selfSigned } from "./fixtures/akash-standins.js";

const openssl = realBinary("openssl");
const bid = (provider: string, amount: number, gseq = 1): Bid => ({ provider, gseq, oseq: 1, bseq: 1, price: { denom: "uact", amount } });
const sdlOf = (maxModelLen = "131072") => parse(akashGrid({ inference: { model: "moonshotai/Kimi-K2-Thinking", args: ["--max-model-len", maxModelLen] } }, null).synth({ masterSeed: SEED }).files.find((f) => f.path === "secrets/lattice/akash/kimi/deploy.yaml")!.content);
const fast = { deposit: { denom: "uact", amount: "5000000" }, pollMs: 20, bidTimeoutMs: 400, readyTimeoutMs: 3000 };

describe("the bid policy", () => {
  it("takes the lowest price among allowed providers, ties by address", () => {
    const bids = [bid("akash1zzz", 90), bid("akash1bbb", 50), bid("akash1aaa", 50), bid("akash1ccc", 10)];
    expect(chooseBid(bids)?.provider).toBe("akash1ccc");
    expect(chooseBid(bids, ["akash1zzz", "akash1bbb", "akash1aaa"])?.provider).toBe("akash1aaa");
    expect(chooseBid(bids, ["akash1nobody"])).toBeUndefined();
  });
});

describe.skipIf(!openssl)("deploying an SDL through a provider stand-in over mTLS", () => {
  const setup = async (chainScript: Partial<ConstructorParameters<typeof ChainStandIn>[0]> = {}, provider: { manifestStatus?: number; readyAfter?: number } = {}) => {
    const dir = tempDir("tlos-akash-");
    const serverCert = selfSigned(openssl!, dir, "provider", "provider.example");
    const clientCert = selfSigned(openssl!, dir, "client", OWNER, `DNS:${OWNER}`);
    const p = await providerStandIn(serverCert, clientCert, { manifestStatus: provider.manifestStatus ?? 200, readyAfter: provider.readyAfter ?? 2 });
    const chain = new ChainStandIn({ bids: [bid("akash1expensive", 300_000), bid("akash1cheap", 150_000)], afterPolls: 2, leaseStates: ["active"], ...chainScript }, clientCert, p.url);
    const api = providerHttp({ expectedServerCert: serverCert.certPem });
    return { chain, api, p, serverCert };
  };

  it("creates the deployment, takes the cheapest bid, sends the manifest over mTLS and waits until ready", async () => {
    const { chain, api, p } = await setup();
    const prepared = await prepareSdl(sdlOf());
    const s = await deploy(chain, api, prepared, fast);
    await p.close();
    expect(s).toMatchObject({ dseq: "1234567", owner: OWNER, provider: "akash1cheap", price: { amount: 150_000 } });
    expect(s.services["kimi-inference"]).toEqual({ available: 1, total: 1, uris: [] });
    expect(s.forwardedPorts).toEqual([{ service: "kimi-inference", host: "provider.example", port: 8000, externalPort: 31337, proto: "TCP" }]);
    expect(p.manifests).toEqual([prepared.manifestJson]);
    expect(JSON.parse(p.manifests[0]!)[0].services.map((x: { name: string }) => x.name).sort()).toEqual(["kimi-ai", "kimi-host", "kimi-inference", "kimi-nats"]);
    expect(chain.calls).toEqual(["ensureCertificate", expect.stringMatching(/^createDeployment 1234567 groups=1 hash=[0-9a-f]{12} deposit=5000000uact$/), "createLease 1234567 akash1cheap"]);
  });

  it("refuses a client without the registered certificate (the stand-in really checks mTLS)", async () => {
    const { api, p, serverCert } = await setup();
    const stranger = selfSigned(openssl!, tempDir(), "stranger", OWNER);
    await expect(api.sendManifest(p.url, "1", "[]", stranger)).rejects.toThrow(/provider answered 401: unauthenticated/);
    await expect(providerHttp({ expectedServerCert: stranger.certPem }).sendManifest(p.url, "1", "[]", serverCert)).rejects.toThrow();
    await p.close();
  });

  it("closes the deployment when no allowed provider bids before the timeout", async () => {
    const { chain, api, p } = await setup({ afterPolls: 1_000_000 });
    await expect(deploy(chain, api, await prepareSdl(sdlOf()), fast)).rejects.toMatchObject({ code: "no-bids", message: expect.stringMatching(/no bid from any provider within 400 ms; deployment 1234567 closed/) });
    expect(chain.calls.at(-1)).toBe("closeDeployment 1234567");
    await p.close();
    const only = await setup();
    await expect(deploy(only.chain, only.api, await prepareSdl(sdlOf()), { ...fast, allowedProviders: ["akash1trusted"] })).rejects.toBeInstanceOf(AkashDeployError);
    await only.p.close();
  });

  it("closes the deployment when the provider rejects the manifest", async () => {
    const { chain, api, p } = await setup({}, { manifestStatus: 422 });
    await expect(deploy(chain, api, await prepareSdl(sdlOf()), fast)).rejects.toMatchObject({ code: "manifest-rejected", message: expect.stringMatching(/provider answered 422: manifest version validation failed; deployment 1234567 closed/) });
    expect(chain.calls.at(-1)).toBe("closeDeployment 1234567");
    await p.close();
  });

  it("reports a lease lost while waiting for the services", async () => {
    const { chain, api, p } = await setup({ leaseStates: ["active", "insufficient_funds"] }, { readyAfter: 100 });
    await expect(deploy(chain, api, await prepareSdl(sdlOf()), fast)).rejects.toMatchObject({ code: "lease-lost", message: expect.stringMatching(/with akash1cheap is insufficient_funds/) });
    await p.close();
  });

  it("updates: a new version hash on chain and the new manifest re-sent to the same provider", async () => {
    const { chain, api, p } = await setup();
    const first = await deploy(chain, api, await prepareSdl(sdlOf()), fast);
    const next = await prepareSdl(sdlOf("65536"));
    const s = await update(chain, api, first, next, fast);
    expect(s.provider).toBe("akash1cheap");
    expect(Buffer.from(next.hash).toString("hex")).not.toBe(Buffer.from((await prepareSdl(sdlOf())).hash).toString("hex"));
    expect(chain.calls).toContain(`updateDeployment 1234567 hash=${Buffer.from(next.hash).toString("hex").slice(0, 12)}`);
    expect(p.manifests.length).toBe(2);
    expect(p.manifests[1]).toBe(next.manifestJson);
    await p.close();
  });

  it("refuses to update a deployment whose lease is gone, and deletes by closing", async () => {
    const { chain, api, p } = await setup({ leaseStates: ["active", "active", "active", "active", "closed"] });
    const first = await deploy(chain, api, await prepareSdl(sdlOf()), fast);
    await expect(update(chain, api, first, await prepareSdl(sdlOf("8192")), fast)).rejects.toMatchObject({ code: "lease-lost" });
    await destroy(chain, first.dseq);
    expect(chain.calls.at(-1)).toBe("closeDeployment 1234567");
    await p.close();
  });
});

describe.skipIf(!openssl)("the AkashDeployment dynamic provider (create, update, delete without the engine)", () => {
  it("deploys, updates and closes through the same flow", async () => {
    const { AkashDeploymentProvider } = await import("../src/pulumi/akash/deployment.js");
    const dir = tempDir("tlos-akash-dyn-");
    const serverCert = selfSigned(openssl!, dir, "provider", "provider.example");
    const clientCert = selfSigned(openssl!, dir, "client", OWNER, `DNS:${OWNER}`);
    const p = await providerStandIn(serverCert, clientCert, { manifestStatus: 200, readyAfter: 1 });
    const chain = new ChainStandIn({ bids: [bid("akash1cheap", 150_000)], afterPolls: 0, leaseStates: ["active"] }, clientCert, p.url);
    const provider = new AkashDeploymentProvider({ chain: async () => chain, provider: () => providerHttp({ expectedServerCert: serverCert.certPem }) }, "test test test");
    const { stringify } = await import("yaml");
    const inputs = { sdl: stringify(sdlOf()), rpcUrl: "https://rpc.invalid", grpcUrl: "https://grpc.invalid", deposit: { denom: "uact", amount: "5000000" }, bidTimeoutMs: 500, readyTimeoutMs: 3000, pollMs: 20 };
    const created = await provider.create(inputs);
    expect(created.id).toBe("1234567");
    expect(created.outs).toMatchObject({ provider: "akash1cheap", certificate: { certPem: clientCert.certPem } });
    const news = { ...inputs, sdl: stringify(sdlOf("65536")) };
    expect((await provider.diff(created.id, created.outs, news)).changes).toBe(true);
    // an endpoint is how the chain is reached, not what runs: it never replaces a lease
    expect((await provider.diff(created.id, created.outs, { ...inputs, rpcUrl: "https://other" })).replaces).toEqual([]);
    const updated = await provider.update(created.id, created.outs, news);
    expect(updated.outs.services["kimi-host"]).toEqual({ available: 1, total: 1, uris: [] });
    expect(p.manifests.length).toBe(2);
    await provider.delete(created.id, updated.outs);
    expect(chain.calls.at(-1)).toBe("closeDeployment 1234567");
    await p.close();
  });
});
