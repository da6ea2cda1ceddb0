/**
 * The Cloudflare AI Gateway an `AiGateway` needs: the `cloudflare.AiGateway` args (what the
 * Pulumi adapter passes) and the reviewable JSON synth writes (`cloudflare/ai-gateway-<id>.json`).
 * @see https://www.pulumi.com/registry/packages/cloudflare/api-docs/aigateway/
 */

/** `cloudflare.AiGateway` args, spelled as the provider does. */
export interface AiGatewayArgs {
  readonly accountId: string;
  readonly aiGatewayId: string;
  readonly cacheTtl: number;
  readonly cacheInvalidateOnUpdate: boolean;
  readonly collectLogs: boolean;
  readonly rateLimitingLimit: number;
  readonly rateLimitingInterval: number;
  readonly rateLimitingTechnique: "fixed" | "sliding";
  readonly authentication: boolean;
}

export interface AiGatewayInput {
  readonly accountId: string;
  readonly gatewayId: string;
  readonly cacheTtl: number;
  readonly cacheInvalidateOnUpdate: boolean;
  readonly collectLogs: boolean;
  readonly rateLimit: { readonly limit: number; readonly interval: number; readonly technique: "fixed" | "sliding" };
  readonly authentication: boolean;
}

export function aiGatewayArgs(i: AiGatewayInput): AiGatewayArgs {
  return {
    accountId: i.accountId,
    aiGatewayId: i.gatewayId,
    cacheTtl: i.cacheTtl,
    cacheInvalidateOnUpdate: i.cacheInvalidateOnUpdate,
    collectLogs: i.collectLogs,
    rateLimitingLimit: i.rateLimit.limit,
    rateLimitingInterval: i.rateLimit.interval,
    rateLimitingTechnique: i.rateLimit.technique,
    authentication: i.authentication,
  };
}

/** The reviewable resource document (no credentials). */
export function aiGatewayResource(args: AiGatewayArgs): Record<string, unknown> {
  return { resource: "cloudflare:index/aiGateway:AiGateway", args };
}
