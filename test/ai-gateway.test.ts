/** AiGateway: the gateway's args and the lattice's system:ai routing (pools first, then the gateway). */
import { describe, expect, it } from "vitest";
import { chooseRoute, type AiRouting } from "../src/index.js";
import { problemsOf, SEED } from "./helpers.js";
import { ACCOUNT, cloudflareGrid } from "./fixtures/cloudflare.js";

describe("AiGateway", () => {
  const files = cloudflareGrid().synth({ masterSeed: SEED }).files;
  const routing = JSON.parse(files.find((f) => f.path === "lattice/ai/ai-routing.json")!.content) as AiRouting;

  it("describes the gateway with aiGatewayId, caching, rate limiting, logs and authentication", () => {
    const gw = JSON.parse(files.find((f) => f.path === "cloudflare/ai-gateway-ai.json")!.content);
    expect(gw).toEqual({ resource: "cloudflare:index/aiGateway:AiGateway", args: { accountId: ACCOUNT, aiGatewayId: "tlos-lattice-ai", cacheTtl: 300, cacheInvalidateOnUpdate: true, collectLogs: true, rateLimitingLimit: 120, rateLimitingInterval: 60, rateLimitingTechnique: "sliding", authentication: true } });
  });

  it("routes system:ai to the GPU pools first, then the gateway's providers", () => {
    expect(routing.routes.map((r) => `${r.kind}:${r.kind === "akash-pool" ? r.pool : r.provider}`)).toEqual(["akash-pool:kimi", "ai-gateway:openai", "ai-gateway:anthropic"]);
    expect(routing.routes[0]).toMatchObject({ model: "moonshotai/Kimi-K2-Thinking", endpoint: "http://kimi-inference:8000/v1" });
    expect(routing.routes[1]).toMatchObject({ endpoint: `https://gateway.ai.cloudflare.com/v1/${ACCOUNT}/tlos-lattice-ai/openai` });
    expect(chooseRoute(routing, new Set(["kimi"]))).toMatchObject({ kind: "akash-pool", pool: "kimi" });
    expect(chooseRoute(routing, new Set())).toMatchObject({ kind: "ai-gateway", provider: "openai" });
  });

  it("refuses bad props with path and field", async () => {
    const { AiGateway, Grid, Lattice } = await import("../src/index.js");
    const { THREE_HUBS } = await import("./fixtures/grids.js");
    const p = problemsOf(() => {
      const g = new Grid("cf");
      new AiGateway(new Lattice(g, "lattice", { hubs: THREE_HUBS }), "ai", { accountId: "x", fallbacks: [{ provider: "skynet", model: "" }], rateLimit: { technique: "leaky" as "fixed" }, cache: { ttlSeconds: -1 } });
      return g.synth({ masterSeed: SEED });
    });
    for (const f of ["accountId", "fallbacks[0].provider", "fallbacks[0].model", "rateLimit.technique", "cache.ttlSeconds"]) expect(p.some((x) => x.startsWith(`[cf/lattice/ai] ${f}: `)), `${f}\n${p.join("\n")}`).toBe(true);
  });
});
