/**
 * `AiGateway`: a Cloudflare AI Gateway (`cloudflare.AiGateway`: caching, rate limiting, logs,
 * authentication) and the lattice's `system:ai` routing config — the grid's `AkashGpuPool`s
 * first while healthy, then the gateway's hosted providers. Synth writes
 * `cloudflare/ai-gateway-<id>.json`, `<lattice>/ai/<id>-routing.json` and the router's creds
 * and xkey under `secrets/<lattice>/ai/`.
 * @see https://developers.cloudflare.com/ai-gateway/
 */
import { aiRouterSecrets, aiRoutingFile, cloudflareFile } from "../core/layout.js";
import { cloudflareStep } from "./plan-steps.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { show } from "../core/errors.js";
import { ID_PATTERN } from "../core/names.js";
import { gatewayEndpoint, type AiRouting, type AiRoute } from "../ai/routing.js";
import { poolXKey, routerCreds, routerXKey } from "../ai/identities.js";
import { xkeySeed } from "../ai/seal.js";
import type { MasterSeed } from "../core/seed.js";
import type { SynthContext } from "../core/artifact.js";
import { AkashGpuPool } from "./akash-gpu-pool.js";
import { Lattice } from "./lattice.js";
import { AI_GATEWAY_KEYS } from "./prop-keys.js";

/** Props of an {@link AiGateway}. */
export interface AiGatewayProps {
  /** Cloudflare account id (32 hex digits). */
  readonly accountId: string;
  /** Response cache. @default { ttlSeconds: 300, invalidateOnUpdate: true } */
  readonly cache?: { readonly ttlSeconds?: number; readonly invalidateOnUpdate?: boolean };
  /** @default { limit: 120, intervalSeconds: 60, technique: "sliding" } */
  readonly rateLimit?: { readonly limit?: number; readonly intervalSeconds?: number; readonly technique?: "fixed" | "sliding" };
  /** Keep request logs. @default true */
  readonly collectLogs?: boolean;
  /** Require an authenticated gateway token on every request. @default true */
  readonly authentication?: boolean;
  /** Hosted fallbacks, in order, e.g. `[{ provider: "openai", model: "gpt-4o-mini" }]`. */
  readonly fallbacks: readonly { readonly provider: string; readonly model: string }[];
  /**
   * Serve unsealed `system:ai` requests (no requester key): hubs and relays then see prompts and
   * results. @default false
   * @see https://github.com/nats-io/nkeys.js#xkeys
   */
  readonly allowPlaintext?: boolean;
}

const ACCOUNT = /^[0-9a-f]{32}$/;
const PROVIDERS = ["openai", "anthropic", "workers-ai", "google-ai-studio", "groq", "mistral", "openrouter", "deepseek", "azure-openai", "aws-bedrock", "huggingface", "perplexity-ai", "cohere", "grok", "cerebras"];

export class AiGateway extends TlosConstruct {
  /** True for any AiGateway, also across two loaded copies of this library. */
  static isAiGateway(x: unknown): x is AiGateway {
    return kindOf(x) === "AiGateway";
  }
  readonly lattice: Lattice;
  readonly accountId: string;
  readonly gatewayId: string;
  readonly cacheTtl: number;
  readonly cacheInvalidateOnUpdate: boolean;
  readonly rateLimit: { limit: number; interval: number; technique: "fixed" | "sliding" };
  readonly collectLogs: boolean;
  readonly authentication: boolean;
  readonly fallbacks: readonly { provider: string; model: string }[];
  readonly allowPlaintext: boolean;

  constructor(lattice: Lattice, id: string, props: AiGatewayProps) {
    super(lattice, id, "AiGateway");
    const p = (this.plain(props) ?? {}) as Partial<AiGatewayProps>;
    this.knownKeys(p, AI_GATEWAY_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "an AiGateway must be created inside a Lattice (it routes that lattice's system:ai)");
    this.accountId = typeof p.accountId === "string" ? p.accountId : "";
    if (!ACCOUNT.test(this.accountId)) this.problem("accountId", `${show(p.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
    this.gatewayId = `tlos-${lattice.node.id}-${this.node.id}`;
    const c = (typeof p.cache === "object" && p.cache !== null ? p.cache : {}) as NonNullable<AiGatewayProps["cache"]>;
    this.cacheTtl = c.ttlSeconds ?? 300;
    if (!(Number.isInteger(this.cacheTtl) && this.cacheTtl >= 0 && this.cacheTtl <= 2_592_000)) this.problem("cache.ttlSeconds", `${show(c.ttlSeconds)} is not allowed: use whole seconds from 0 (off) to 2592000 (30 days)`);
    this.cacheInvalidateOnUpdate = c.invalidateOnUpdate ?? true;
    const r = (typeof p.rateLimit === "object" && p.rateLimit !== null ? p.rateLimit : {}) as NonNullable<AiGatewayProps["rateLimit"]>;
    this.rateLimit = { limit: r.limit ?? 120, interval: r.intervalSeconds ?? 60, technique: r.technique ?? "sliding" };
    if (!(Number.isInteger(this.rateLimit.limit) && this.rateLimit.limit >= 0)) this.problem("rateLimit.limit", `${show(r.limit)} is not a request count (0 turns rate limiting off)`);
    if (!(Number.isInteger(this.rateLimit.interval) && this.rateLimit.interval >= 1 && this.rateLimit.interval <= 3600)) this.problem("rateLimit.intervalSeconds", `${show(r.intervalSeconds)} is not allowed: use 1 to 3600 seconds`);
    if (!["fixed", "sliding"].includes(this.rateLimit.technique)) this.problem("rateLimit.technique", `${show(r.technique)} is not allowed: use "fixed" or "sliding"`);
    this.collectLogs = p.collectLogs ?? true;
    this.allowPlaintext = p.allowPlaintext ?? false;
    if (typeof this.allowPlaintext !== "boolean") this.problem("allowPlaintext", `${show(p.allowPlaintext)} is not allowed: use true or false`);
    this.authentication = p.authentication ?? true;
    for (const [k, v] of [["collectLogs", this.collectLogs], ["authentication", this.authentication], ["cache.invalidateOnUpdate", this.cacheInvalidateOnUpdate]] as const) if (typeof v !== "boolean") this.problem(k, `${show(v)} is not allowed: use true or false`);
    const fb = Array.isArray(p.fallbacks) ? p.fallbacks : [];
    if (fb.length === 0) this.problem("fallbacks", "name at least one hosted fallback ({ provider, model }) for when no GPU pool is healthy");
    fb.forEach((f, i) => {
      if (typeof f?.provider !== "string" || !PROVIDERS.includes(f.provider)) this.problem(`fallbacks[${i}].provider`, `${show(f?.provider)} is not an AI Gateway provider: use one of ${PROVIDERS.join(", ")}`);
      if (typeof f?.model !== "string" || f.model === "") this.problem(`fallbacks[${i}].model`, `${show(f?.model)} is not a model name`);
    });
    this.fallbacks = fb.filter((f) => typeof f?.provider === "string" && typeof f?.model === "string").map((f) => ({ provider: f.provider, model: f.model }));
    if (!ID_PATTERN.test(this.gatewayId)) this.problem("id", `gateway id ${show(this.gatewayId)} is too long: shorten the lattice or gateway id`);
  }

  /** The `cloudflare.AiGateway` args. */
  gatewayArgs(): { accountId: string; aiGatewayId: string; cacheTtl: number; cacheInvalidateOnUpdate: boolean; collectLogs: boolean; rateLimitingLimit: number; rateLimitingInterval: number; rateLimitingTechnique: "fixed" | "sliding"; authentication: boolean } {
    return {
      accountId: this.accountId,
      aiGatewayId: this.gatewayId,
      cacheTtl: this.cacheTtl,
      cacheInvalidateOnUpdate: this.cacheInvalidateOnUpdate,
      collectLogs: this.collectLogs,
      rateLimitingLimit: this.rateLimit.limit,
      rateLimitingInterval: this.rateLimit.interval,
      rateLimitingTechnique: this.rateLimit.technique,
      authentication: this.authentication,
    };
  }

  /**
   * The lattice's system:ai routing: its GPU pools first, then the gateway's providers. With the
   * master seed it names the keys requesters seal to (each pool's xkey, the router's).
   */
  routing(seed?: MasterSeed): AiRouting {
    const pools = this.lattice.node.children.filter(AkashGpuPool.isAkashGpuPool);
    const routes: AiRoute[] = pools.map((p) => {
      const { service, model, port } = p.inferenceEndpoint();
      const xkey = seed ? { xkey: poolXKey(seed, this.lattice.path, p.node.id).getPublicKey() } : {};
      return { kind: "akash-pool", pool: p.node.id, model, endpoint: `http://${service}:${port}/v1`, health: `http://${service}:${port}/health`, ...xkey };
    });
    for (const f of this.fallbacks) routes.push({ kind: "ai-gateway", provider: f.provider, model: f.model, endpoint: gatewayEndpoint(this.accountId, this.gatewayId, f.provider) });
    const router = seed ? { router: { xkey: routerXKey(seed, this.lattice.path, this.node.id).getPublicKey() } } : {};
    return { interface: "system:ai", policy: "first-healthy", lattice: this.lattice.name, plaintext: this.allowPlaintext, ...router, routes };
  }

  _synthesize(ctx: SynthContext): void {
    ctx.step(cloudflareStep(this.path, "AI Gateway"));
    ctx.add({ path: cloudflareFile(`ai-gateway-${this.node.id}`), content: `${JSON.stringify({ resource: "cloudflare:index/aiGateway:AiGateway", args: this.gatewayArgs() }, null, 2)}\n`, kind: "cloudflare", target: "cloudflare", secret: false });
    ctx.add({ path: aiRoutingFile(this.lattice.node.id, this.node.id), content: `${JSON.stringify(this.routing(ctx.seed), null, 2)}\n`, kind: "config", target: "wasmcloud", secret: false });
    // the router's own identity: NATS creds with the router role, and its xkey for hosted fallbacks
    const secrets = aiRouterSecrets(this.lattice.node.id, this.node.id);
    ctx.add({ path: secrets.creds, content: routerCreds(ctx.seed, this.lattice.path, this.lattice.name, this.node.id, ctx.issuedAt, this.lattice.renewableLifetime()), kind: "nats-creds", target: "nats", secret: true });
    ctx.add({ path: secrets.xkey, content: `${xkeySeed(routerXKey(ctx.seed, this.lattice.path, this.node.id))}\n`, kind: "xkey", target: "wasmcloud", secret: true });
  }
}
