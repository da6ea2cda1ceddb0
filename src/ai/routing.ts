/**
 * The lattice's `system:ai` routing: requests go to the grid's Akash GPU pools while they are
 * healthy (in declared order) and fall back to hosted providers through the Cloudflare AI
 * Gateway (caching, rate limits, logs). The config is plain JSON that the lattice's AI interface
 * reads; `chooseRoute` is the policy it applies.
 * @see https://developers.cloudflare.com/ai-gateway/
 */

export interface PoolRoute {
  readonly kind: "akash-pool";
  readonly pool: string;
  readonly model: string;
  /** OpenAI-compatible base URL inside the pool's deployment (reached by the pool's host). */
  readonly endpoint: string;
  readonly health: string;
}

export interface GatewayRoute {
  readonly kind: "ai-gateway";
  readonly provider: string;
  readonly model: string;
  /** `https://gateway.ai.cloudflare.com/v1/<account>/<gateway>/<provider>` */
  readonly endpoint: string;
}

export type AiRoute = PoolRoute | GatewayRoute;

export interface AiRouting {
  readonly interface: "system:ai";
  readonly policy: "first-healthy";
  readonly routes: readonly AiRoute[];
}

/** The first healthy pool, else the first gateway route; undefined when nothing can serve. */
export function chooseRoute(routing: AiRouting, healthyPools: ReadonlySet<string>): AiRoute | undefined {
  return routing.routes.find((r) => r.kind === "akash-pool" && healthyPools.has(r.pool)) ?? routing.routes.find((r) => r.kind === "ai-gateway");
}

export function gatewayEndpoint(accountId: string, gatewayId: string, provider: string): string {
  return `https://gateway.ai.cloudflare.com/v1/${accountId}/${gatewayId}/${provider}`;
}
