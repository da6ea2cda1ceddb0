/**
 * The lattice's `system:ai` routing: requests go to the grid's Akash GPU pools while they are
 * healthy (in declared order) and fall back to hosted providers through the Cloudflare AI
 * Gateway (caching, rate limits, logs). `AiGateway` writes it as plain JSON; `tlos ai router`
 * applies it and `tlos ai ask` (any requester) takes the keys to seal to from it. `chooseRoute`
 * is the policy.
 * @see https://developers.cloudflare.com/ai-gateway/
 */

export interface PoolRoute {
  readonly kind: "akash-pool";
  readonly pool: string;
  readonly model: string;
  /** OpenAI-compatible base URL inside the pool's deployment (reached by the pool's AI service). */
  readonly endpoint: string;
  readonly health: string;
  /** The pool's xkey public key (`X…`): requesters seal prompts to it. */
  readonly xkey?: string;
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
  /** The lattice name in the subjects (`tlos.ai.<lattice>.…`). */
  readonly lattice?: string;
  /** Whether unsealed requests are served. @default false */
  readonly plaintext?: boolean;
  /** The router's xkey public key: a requester that accepts a hosted fallback also seals to it. */
  readonly router?: { readonly xkey: string };
  readonly routes: readonly AiRoute[];
}

/** The first healthy pool, else the first gateway route; undefined when nothing can serve. */
export function chooseRoute(routing: AiRouting, healthyPools: ReadonlySet<string>): AiRoute | undefined {
  return routing.routes.find((r) => r.kind === "akash-pool" && healthyPools.has(r.pool)) ?? routing.routes.find((r) => r.kind === "ai-gateway");
}

export function gatewayEndpoint(accountId: string, gatewayId: string, provider: string): string {
  return `https://gateway.ai.cloudflare.com/v1/${accountId}/${gatewayId}/${provider}`;
}

/** The gateway's OpenAI-compatible endpoint (`…/compat`, models named `<provider>/<model>`) next to a provider endpoint. */
export function gatewayCompatEndpoint(route: GatewayRoute): string {
  return route.endpoint.replace(/\/[^/]+\/?$/, "/compat");
}

/** The keys a requester seals to for `model`: the pools serving it, and the router's when a hosted fallback is accepted. */
export function recipientsFor(routing: AiRouting, model: string, fallback: boolean): string[] {
  const pools = routing.routes.flatMap((r) => (r.kind === "akash-pool" && r.model === model && r.xkey ? [r.xkey] : []));
  return [...pools, ...(fallback && routing.router ? [routing.router.xkey] : [])];
}
