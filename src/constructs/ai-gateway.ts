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
import { aiGatewayArgs, aiGatewayResource, type AiGatewayArgs } from "../ai/gateway-resource.js";
import type { MasterSeed } from "../core/seed.js";
import type { SynthContext } from "../core/artifact.js";
import { AkashGpuPool } from "./akash-gpu-pool.js";
import { Lattice } from "./lattice.js";
import { AI_GATEWAY_KEYS } from "./prop-keys.js";
import { resolveAiGateway, type AiGatewayProps } from "./ai-gateway-props.js";

export type { AiGatewayProps } from "./ai-gateway-props.js";

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
    ({
      accountId: this.accountId, cacheTtl: this.cacheTtl, cacheInvalidateOnUpdate: this.cacheInvalidateOnUpdate, rateLimit: this.rateLimit,
      collectLogs: this.collectLogs, authentication: this.authentication, fallbacks: this.fallbacks, allowPlaintext: this.allowPlaintext,
    } = resolveAiGateway(p, (f, m) => this.problem(f, m)));
    this.gatewayId = `tlos-${lattice.node.id}-${this.node.id}`;
    if (!ID_PATTERN.test(this.gatewayId)) this.problem("id", `gateway id ${show(this.gatewayId)} is too long: shorten the lattice or gateway id`);
  }

  /** The `cloudflare.AiGateway` args. */
  gatewayArgs(): AiGatewayArgs {
    return aiGatewayArgs(this);
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
    ctx.add({ path: cloudflareFile(`ai-gateway-${this.node.id}`), content: `${JSON.stringify(aiGatewayResource(this.gatewayArgs()), null, 2)}\n`, kind: "cloudflare", target: "cloudflare", secret: false });
    ctx.add({ path: aiRoutingFile(this.lattice.node.id, this.node.id), content: `${JSON.stringify(this.routing(ctx.seed), null, 2)}\n`, kind: "config", target: "wasmcloud", secret: false });
    // the router's own identity: NATS creds with the router role, and its xkey for hosted fallbacks
    const secrets = aiRouterSecrets(this.lattice.node.id, this.node.id);
    ctx.add({ path: secrets.creds, content: routerCreds(ctx.seed, this.lattice.path, this.lattice.name, this.node.id, ctx.issuedAt, this.lattice.renewableLifetime()), kind: "nats-creds", target: "nats", secret: true });
    ctx.add({ path: secrets.xkey, content: `${xkeySeed(routerXKey(ctx.seed, this.lattice.path, this.node.id))}\n`, kind: "xkey", target: "wasmcloud", secret: true });
  }
}
