/**
 * The pool side of `system:ai`: a NATS micro service (`system-ai`, discoverable with
 * `$SRV.PING|INFO|STATS`) in front of the pool's OpenAI-compatible inference server. One endpoint
 * per operation on `tlos.ai.<lattice>.pool.<pool>.<model>.<op>`, in the queue group `<model>`
 * (the pool's replicas share the load). It opens the prompt sealed to the pool's xkey, forwards
 * it, and seals every result chunk to the requester. At most `maxInFlight` requests run at once;
 * one more gets an immediate `busy` reply, never a queue. While the server's `/health` fails,
 * requests get `unavailable` at once, so the router moves on without waiting.
 * @see https://github.com/nats-io/nats.js/tree/main/services
 */
import type { NatsConnection } from "@nats-io/transport-node";
import { Svcm, type Service, type ServiceMsg } from "@nats-io/services";
import { TLOS_VERSION } from "../core/package-version.js";
import { callJson, callStream, healthy, UpstreamError } from "./openai-http.js";
import { encode, errorReply, parseRequest, type AiReply, type AiRequest } from "./protocol.js";
import { openJson, sealJson, type XKey } from "./seal.js";
import { AI_OPS, AI_SERVICE, modelToken, poolSubject, type AiOp } from "./subjects.js";

export interface PoolServiceOptions {
  readonly nc: NatsConnection;
  readonly lattice: string;
  /** The pool's id (construct id). */
  readonly pool: string;
  /** The model the inference server serves. */
  readonly model: string;
  /** OpenAI-compatible base URL, e.g. `http://pool-inference:8000/v1`. */
  readonly upstream: string;
  /** Health URL. @default `<upstream without /v1>/health` */
  readonly health?: string;
  /** The pool's xkey (its seed is a secret of the deployment). */
  readonly xkey: XKey;
  /** Requests running at once; more are refused as busy. */
  readonly maxInFlight: number;
  /** Whole-request timeout. @default 120000 */
  readonly timeoutMs?: number;
  /** Health poll period. @default 5000 */
  readonly healthEveryMs?: number;
  /** Accept unsealed requests. @default false */
  readonly allowPlaintext?: boolean;
  readonly log?: (line: string) => void;
}

export interface PoolService {
  readonly service: Service;
  readonly inFlight: () => number;
  readonly healthy: () => boolean;
  close(): Promise<void>;
}

const OP_PATH: Record<AiOp, string> = { "chat.completions": "/chat/completions", completions: "/completions" };

export async function startPoolService(o: PoolServiceOptions): Promise<PoolService> {
  const timeoutMs = o.timeoutMs ?? 120_000;
  const upstream = o.upstream.replace(/\/+$/, "");
  const healthUrl = o.health ?? `${upstream.replace(/\/v1$/, "")}/health`;
  let isHealthy = await healthy(healthUrl, 2000);
  let inFlight = 0;
  const counts = { served: 0, busy: 0, unavailable: 0, failed: 0 };
  const me = o.xkey.getPublicKey();
  const service = await new Svcm(o.nc).add({
    name: AI_SERVICE,
    version: TLOS_VERSION,
    description: `system:ai on pool ${o.pool}: ${o.model}`,
    metadata: { role: "pool", lattice: o.lattice, pool: o.pool, model: o.model, xkey: me, "max-in-flight": String(o.maxInFlight), schema: "system-ai/v1" },
    queue: "q",
    statsHandler: () => Promise.resolve({ healthy: isHealthy, inFlight, maxInFlight: o.maxInFlight, ...counts }),
  });
  const poll = setInterval(() => {
    void healthy(healthUrl, Math.min(2000, o.healthEveryMs ?? 5000)).then((h) => {
      if (h !== isHealthy) o.log?.(JSON.stringify({ pool: o.pool, healthy: h }));
      isHealthy = h;
    });
  }, o.healthEveryMs ?? 5000);
  poll.unref();

  const handle = async (op: AiOp, m: ServiceMsg) => {
    const reply = (r: AiReply) => m.respond(encode(r));
    const req = parseRequest(m.data);
    if ("error" in req) return reply(errorReply("bad-request", req.error));
    if (req.model !== o.model) return reply(errorReply("unknown-model", `pool ${o.pool} serves ${o.model}, not ${req.model}`));
    if (!isHealthy) {
      counts.unavailable++;
      return reply(errorReply("unavailable", `pool ${o.pool}: the inference server is not healthy`));
    }
    if (inFlight >= o.maxInFlight) {
      counts.busy++;
      return reply(errorReply("busy", `pool ${o.pool}: ${o.maxInFlight} requests in flight; try again or elsewhere`));
    }
    const body = openBody(req);
    if (typeof body === "string") return reply(errorReply(req.sealed ? "bad-request" : "plaintext-refused", body));
    inFlight++;
    const signal = AbortSignal.timeout(timeoutMs);
    const out = (value: unknown, seq: number): AiReply => (req.from ? { v: 1, seq, by: me, sealed: Object.values(sealJson(o.xkey, [req.from], value))[0]! } : { v: 1, seq, body: value });
    try {
      reply({ v: 1, ack: true });
      const call = { url: `${upstream}${OP_PATH[op]}`, body: { ...body, model: o.model }, signal };
      if (req.stream) {
        let seq = 0;
        for await (const chunk of callStream(call)) reply(out(chunk, seq++));
        reply({ v: 1, end: true });
      } else {
        reply({ ...out(await callJson(call), 0), end: true });
      }
      counts.served++;
    } catch (e) {
      counts.failed++;
      if (e instanceof UpstreamError && e.status === undefined && !signal.aborted) isHealthy = false;
      reply(errorReply(signal.aborted ? "timeout" : "upstream", `pool ${o.pool}: ${(e as Error).message}`));
    } finally {
      inFlight--;
    }
  };

  const openBody = (req: AiRequest): Record<string, unknown> | string => {
    if (req.body) return o.allowPlaintext ? { ...req.body } : "this lattice refuses plaintext requests: seal the body to the pool's xkey";
    const box = req.sealed?.[me];
    if (!box) return `not sealed to pool ${o.pool} (xkey ${me})`;
    const v = openJson(o.xkey, req.from ?? "", box);
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : "the sealed body does not open with this pool's key (wrong sender key, or altered)";
  };

  for (const op of AI_OPS) {
    service.addEndpoint(op.replace(".", "-"), {
      subject: poolSubject(o.lattice, o.pool, o.model, op),
      queue: modelToken(o.model),
      metadata: { model: o.model, op },
      handler: (err, m) => {
        if (!err) void handle(op, m);
      },
    });
  }
  await o.nc.flush();
  return {
    service,
    inFlight: () => inFlight,
    healthy: () => isHealthy,
    close: async () => {
      clearInterval(poll);
      await service.stop();
    },
  };
}
