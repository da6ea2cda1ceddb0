/**
 * The `system:ai` router: answers `tlos.ai.<lattice>.v1.<op>` (queue group `system-ai-router`,
 * so several routers share the load; not itself a micro service: its role subscribes nothing but
 * the public subjects and its inbox). For each
 * request it tries the pools serving the model — the routing file's, in order, then pools found
 * by `$SRV.STATS.system-ai` discovery; healthy ones first — skipping any the request is not sealed
 * to; a pool that is busy, unhealthy or silent is passed over. Then the hosted fallbacks through
 * the Cloudflare AI Gateway, only when the request is sealed to the router's own key (or in clear
 * where plaintext is allowed). Every reply names the route that served. Pool replies are relayed
 * as they are: the router cannot open them.
 */
import { createInbox, type Msg, type NatsConnection, type Subscription } from "@nats-io/transport-node";
import { Svcm } from "@nats-io/services";
import { callGateway, type GatewaySecrets } from "./gateway-call.js";
import { UpstreamError } from "./openai-http.js";
import { encode, errorReply, parseReply, parseRequest, type AiReply, type AiRequest } from "./protocol.js";
import type { AiRouting, GatewayRoute } from "./routing.js";
import { openJson, sealJson, type XKey } from "./seal.js";
import { AI_OPS, AI_SERVICE, poolSubject, publicSubject, ROUTER_QUEUE, routerInbox, type AiOp } from "./subjects.js";

export interface RouterOptions {
  /** Connected with `inboxPrefix: routerInbox(lattice)` (its role reads no other inbox). */
  readonly nc: NatsConnection;
  readonly routing: AiRouting;
  /** The router's xkey, for hosted fallbacks; without it the router never opens a request. */
  readonly xkey?: XKey;
  readonly gateway?: GatewaySecrets;
  /** How long a pool may take to accept (ack) or refuse. @default 3000 */
  readonly ackTimeoutMs?: number;
  /** Longest silence within an accepted answer. @default 120000 */
  readonly idleTimeoutMs?: number;
  /** Discovery period. @default 10000 */
  readonly discoverEveryMs?: number;
  readonly log?: (line: string) => void;
}

export interface DiscoveredPool {
  readonly pool: string;
  readonly model: string;
  readonly xkey: string;
  readonly healthy: boolean;
  readonly id: string;
}

export interface Router {
  /** Runs discovery now and returns the pools found. */
  discover(): Promise<DiscoveredPool[]>;
  close(): Promise<void>;
}

type Outcome = { served: true } | { served: false; code: string; message: string };

/** Messages of one subscription, awaited with a deadline each. */
function inbox(nc: NatsConnection, subject: string) {
  const queue: Msg[] = [];
  let wake: ((m: Msg | undefined) => void) | undefined;
  const sub = nc.subscribe(subject, {
    callback: (_e, m) => {
      if (wake) {
        const w = wake;
        wake = undefined;
        w(m);
      } else queue.push(m);
    },
  });
  return {
    next: (ms: number) => queue.length > 0 ? Promise.resolve(queue.shift()) : new Promise<Msg | undefined>((res) => {
      const t = setTimeout(() => {
        wake = undefined;
        res(undefined);
      }, ms);
      wake = (m) => {
        clearTimeout(t);
        res(m);
      };
    }),
    close: () => sub.unsubscribe(),
  };
}

export async function startRouter(o: RouterOptions): Promise<Router> {
  const lattice = o.routing.lattice ?? "default";
  const ackMs = o.ackTimeoutMs ?? 3000;
  const idleMs = o.idleTimeoutMs ?? 120_000;
  const me = o.xkey?.getPublicKey();
  let discovered: DiscoveredPool[] = [];
  const svcm = new Svcm(o.nc);

  const discover = async (): Promise<DiscoveredPool[]> => {
    const found: DiscoveredPool[] = [];
    try {
      for await (const s of await svcm.client({ strategy: "timer", maxWait: 1000 }).stats(AI_SERVICE)) {
        const md = s.metadata ?? {};
        if (md["role"] !== "pool" || md["lattice"] !== lattice || !md["pool"] || !md["model"] || !md["xkey"]) continue;
        const data = s.endpoints?.[0]?.data as { healthy?: boolean } | undefined;
        found.push({ pool: md["pool"], model: md["model"], xkey: md["xkey"], healthy: data?.healthy === true, id: s.id });
      }
    } catch (e) {
      o.log?.(JSON.stringify({ discovery: "failed", error: (e as Error).message }));
      return discovered;
    }
    discovered = found.sort((a, b) => (a.pool === b.pool ? a.id.localeCompare(b.id) : a.pool.localeCompare(b.pool)));
    return discovered;
  };

  /** Pools for `model` the request can reach: declared order first, healthy before unhealthy. */
  const poolsFor = (req: AiRequest) => {
    const declared = o.routing.routes.flatMap((r) => (r.kind === "akash-pool" && r.model === req.model ? [{ pool: r.pool, xkey: r.xkey }] : []));
    const seen = new Set(declared.map((p) => p.pool));
    const extra = discovered.filter((d) => d.model === req.model && !seen.has(d.pool) && (seen.add(d.pool), true)).map((d) => ({ pool: d.pool, xkey: d.xkey }));
    const health = (pool: string) => discovered.some((d) => d.pool === pool && d.healthy) ? 0 : 1;
    return [...declared, ...extra].map((p, i) => ({ ...p, i })).sort((a, b) => health(a.pool) - health(b.pool) || a.i - b.i).map(({ pool, xkey }) => ({ pool, xkey: xkey ?? discovered.find((d) => d.pool === pool)?.xkey }));
  };

  const viaPool = async (pool: string, op: AiOp, req: AiRequest, raw: Uint8Array, relay: (r: AiReply) => void): Promise<Outcome> => {
    const subject = createInbox(routerInbox(lattice));
    const box = inbox(o.nc, subject);
    try {
      o.nc.publish(poolSubject(lattice, pool, req.model, op), raw, { reply: subject });
      const route = `pool:${pool}`;
      let relayed = false;
      for (let first = true; ; first = false) {
        const m = await box.next(first ? ackMs : idleMs);
        if (!m) {
          if (!relayed) return { served: false, code: "timeout", message: `no answer within ${first ? ackMs : idleMs} ms` };
          relay(errorReply("timeout", `pool ${pool} went silent for ${idleMs} ms`, route));
          return { served: true };
        }
        if (m.headers?.code === 503) return { served: false, code: "unavailable", message: "no pool replica is connected" };
        const r = parseReply(m.data);
        if (!r) return relayed ? (relay(errorReply("internal", `pool ${pool} sent an unreadable reply`, route)), { served: true }) : { served: false, code: "internal", message: "an unreadable reply" };
        // an error before any payload (busy, unhealthy, the server failed) leaves the next route free to answer
        if (r.error && !relayed) return { served: false, code: r.error.code, message: r.error.message };
        if (r.ack) continue;
        relay({ ...r, route });
        relayed = true;
        if (r.end) return { served: true };
      }
    } finally {
      box.close();
    }
  };

  const gatewayRoutes = (model: string): GatewayRoute[] => {
    const gw = o.routing.routes.filter((r): r is GatewayRoute => r.kind === "ai-gateway");
    const servesPool = o.routing.routes.some((r) => r.kind === "akash-pool" && r.model === model) || discovered.some((d) => d.model === model);
    return [...gw.filter((r) => r.model === model), ...(servesPool ? gw.filter((r) => r.model !== model) : [])];
  };

  const viaGateway = async (route: GatewayRoute, req: AiRequest, body: Record<string, unknown>, relay: (r: AiReply) => void): Promise<Outcome> => {
    const name = `gateway:${route.provider}/${route.model}`;
    const out = (value: unknown, seq: number): AiReply => (req.from && o.xkey ? { v: 1, route: name, seq, by: me!, sealed: Object.values(sealJson(o.xkey, [req.from], value))[0]! } : { v: 1, route: name, seq, body: value });
    const signal = AbortSignal.timeout(idleMs);
    try {
      const res = callGateway(route, body, req.stream === true, o.gateway ?? { providerKeys: {} }, signal);
      if (Symbol.asyncIterator in res) {
        let seq = 0;
        for await (const chunk of res) relay(out(chunk, seq++));
        relay({ v: 1, route: name, end: true });
      } else relay({ ...out(await res, 0), end: true });
      return { served: true };
    } catch (e) {
      return { served: false, code: e instanceof UpstreamError ? "upstream" : "internal", message: (e as Error).message };
    }
  };

  const handle = async (op: AiOp, m: Msg) => {
    const relay = (r: AiReply) => m.respond(encode(r));
    const req = parseRequest(m.data);
    if ("error" in req) return relay(errorReply("bad-request", req.error));
    if (req.body && o.routing.plaintext !== true) return relay(errorReply("plaintext-refused", "this lattice refuses plaintext requests: send from and sealed (see the system:ai schema)"));
    const pools = poolsFor(req);
    const gateways = op === "chat.completions" ? gatewayRoutes(req.model) : [];
    if (pools.length === 0 && gatewayRoutes(req.model).length === 0) return relay(errorReply("unknown-model", `no pool or hosted fallback serves ${JSON.stringify(req.model)}`));
    const tried: string[] = [];
    for (const p of pools) {
      if (req.sealed && !(p.xkey && p.xkey in req.sealed)) {
        tried.push(`pool ${p.pool}: skipped, the request is not sealed to its key`);
        continue;
      }
      const r = await viaPool(p.pool, op, req, m.data, relay);
      if (r.served) return o.log?.(JSON.stringify({ op, model: req.model, route: `pool:${p.pool}` }));
      tried.push(`pool ${p.pool}: ${r.code} (${r.message})`);
    }
    if (gateways.length === 0 && op !== "chat.completions") tried.push("hosted fallback: only chat.completions goes through the AI Gateway");
    for (const g of gateways) {
      const body = req.body ?? (me && req.sealed?.[me] ? openJson(o.xkey!, req.from ?? "", req.sealed[me]) : undefined);
      if (typeof body !== "object" || body === null || Array.isArray(body)) {
        tried.push(`gateway ${g.provider}/${g.model}: not tried, the request is not sealed to the router's key (no hosted fallback accepted)`);
        break;
      }
      const r = await viaGateway(g, req, body as Record<string, unknown>, relay);
      if (r.served) return o.log?.(JSON.stringify({ op, model: req.model, route: `gateway:${g.provider}/${g.model}` }));
      tried.push(`gateway ${g.provider}/${g.model}: ${r.code} (${r.message})`);
    }
    const allBusy = tried.length > 0 && tried.every((t) => / busy \(/.test(t) || /not sealed|only chat/.test(t)) && tried.some((t) => / busy \(/.test(t));
    relay(errorReply(allBusy ? "busy" : "no-route", `nothing could serve ${req.model}: ${tried.join("; ")}`));
    o.log?.(JSON.stringify({ op, model: req.model, route: null, tried }));
  };

  const subs: Subscription[] = AI_OPS.map((op) => o.nc.subscribe(publicSubject(lattice, op), { queue: ROUTER_QUEUE, callback: (err, m) => void (err ? undefined : handle(op, m)) }));
  await discover();
  const timer = setInterval(() => void discover(), o.discoverEveryMs ?? 10_000);
  timer.unref();
  await o.nc.flush();
  return {
    discover,
    close: async () => {
      clearInterval(timer);
      for (const x of subs) x.unsubscribe();
      await o.nc.flush();
    },
  };
}
