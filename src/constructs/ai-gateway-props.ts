/**
 * What an {@link AiGateway} takes ({@link AiGatewayProps}) and what it resolves them to
 * ({@link ResolvedAiGateway}), in the akash-checks style: problems go to `report`, a bad prop
 * resolves to a safe fallback.
 * @see https://developers.cloudflare.com/ai-gateway/
 */
import { show } from "../core/errors.js";
import type { Report } from "./validate.js";

/** Props of an `AiGateway`. */
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

/** Resolves an AiGateway's props (a plain copy); problems go to `report`. */
export function resolveAiGateway(p: Partial<AiGatewayProps>, report: Report) {
  const accountId = typeof p.accountId === "string" ? p.accountId : "";
  if (!ACCOUNT.test(accountId)) report("accountId", `${show(p.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
  const c = (typeof p.cache === "object" && p.cache !== null ? p.cache : {}) as NonNullable<AiGatewayProps["cache"]>;
  const cacheTtl = c.ttlSeconds ?? 300;
  if (!(Number.isInteger(cacheTtl) && cacheTtl >= 0 && cacheTtl <= 2_592_000)) report("cache.ttlSeconds", `${show(c.ttlSeconds)} is not allowed: use whole seconds from 0 (off) to 2592000 (30 days)`);
  const cacheInvalidateOnUpdate = c.invalidateOnUpdate ?? true;
  const r = (typeof p.rateLimit === "object" && p.rateLimit !== null ? p.rateLimit : {}) as NonNullable<AiGatewayProps["rateLimit"]>;
  const rateLimit: { limit: number; interval: number; technique: "fixed" | "sliding" } = { limit: r.limit ?? 120, interval: r.intervalSeconds ?? 60, technique: r.technique ?? "sliding" };
  if (!(Number.isInteger(rateLimit.limit) && rateLimit.limit >= 0)) report("rateLimit.limit", `${show(r.limit)} is not a request count (0 turns rate limiting off)`);
  if (!(Number.isInteger(rateLimit.interval) && rateLimit.interval >= 1 && rateLimit.interval <= 3600)) report("rateLimit.intervalSeconds", `${show(r.intervalSeconds)} is not allowed: use 1 to 3600 seconds`);
  if (!["fixed", "sliding"].includes(rateLimit.technique)) report("rateLimit.technique", `${show(r.technique)} is not allowed: use "fixed" or "sliding"`);
  const collectLogs = p.collectLogs ?? true;
  const allowPlaintext = p.allowPlaintext ?? false;
  if (typeof allowPlaintext !== "boolean") report("allowPlaintext", `${show(p.allowPlaintext)} is not allowed: use true or false`);
  const authentication = p.authentication ?? true;
  for (const [k, v] of [["collectLogs", collectLogs], ["authentication", authentication], ["cache.invalidateOnUpdate", cacheInvalidateOnUpdate]] as const) if (typeof v !== "boolean") report(k, `${show(v)} is not allowed: use true or false`);
  const fb = Array.isArray(p.fallbacks) ? p.fallbacks : [];
  if (fb.length === 0) report("fallbacks", "name at least one hosted fallback ({ provider, model }) for when no GPU pool is healthy");
  fb.forEach((f, i) => {
    if (typeof f?.provider !== "string" || !PROVIDERS.includes(f.provider)) report(`fallbacks[${i}].provider`, `${show(f?.provider)} is not an AI Gateway provider: use one of ${PROVIDERS.join(", ")}`);
    if (typeof f?.model !== "string" || f.model === "") report(`fallbacks[${i}].model`, `${show(f?.model)} is not a model name`);
  });
  const fallbacks = fb.filter((f) => typeof f?.provider === "string" && typeof f?.model === "string").map((f) => ({ provider: f.provider, model: f.model }));
  return { accountId, cacheTtl, cacheInvalidateOnUpdate, rateLimit, collectLogs, authentication, fallbacks, allowPlaintext };
}

/** An AiGateway's props with every default filled and every bad value replaced by its fallback. */
export type ResolvedAiGateway = ReturnType<typeof resolveAiGateway>;
