/**
 * A `system:ai` requester (what `tlos ai ask` runs, and a model for components): seals the
 * OpenAI request body with a fresh xkey to the keys it trusts (from the routing file), sends it
 * to the router's public subject, and opens the replies — only those sealed by a key it sealed
 * to, so a relay cannot inject an answer.
 */
import { createInbox, type NatsConnection } from "@nats-io/transport-node";
import { createCurve } from "@nats-io/nkeys";
import { encode, parseReply, type AiReply, type AiRequest } from "./protocol.js";
import { openJson, sealJson } from "./seal.js";
import { publicSubject, type AiOp } from "./subjects.js";

export interface AskOptions {
  readonly lattice: string;
  readonly op: AiOp;
  readonly model: string;
  /** The OpenAI request body without `model` and `stream`. */
  readonly body: Readonly<Record<string, unknown>>;
  /** @default false */
  readonly stream?: boolean;
  /** Keys to seal to (pools, and the router's for a hosted fallback); undefined sends in clear. */
  readonly recipients: readonly string[] | undefined;
  /** The whole exchange. @default 120000 */
  readonly timeoutMs?: number;
}

export interface AskResult {
  /** Which route served (`pool:<id>`, `gateway:<provider>/<model>`), when one did. */
  readonly route?: string;
  /** The opened payloads in order: one response, or the stream's chunks. */
  readonly values: unknown[];
  readonly error?: { readonly code: string; readonly message: string };
  /** Every reply as it arrived on the wire (ciphertext), for inspection. */
  readonly wire: AiReply[];
}

/** `inboxPrefix` must match the connection's when it has one (a role limited to its own inbox). */
export async function ask(nc: NatsConnection, o: AskOptions, onValue?: (v: unknown) => void, inboxPrefix?: string): Promise<AskResult> {
  const kp = createCurve();
  const req: AiRequest = o.recipients
    ? { v: 1, model: o.model, stream: o.stream === true, from: kp.getPublicKey(), sealed: sealJson(kp, o.recipients, o.body) }
    : { v: 1, model: o.model, stream: o.stream === true, body: o.body };
  const trusted = new Set(o.recipients ?? []);
  const reply = createInbox(inboxPrefix);
  const wire: AiReply[] = [];
  const values: unknown[] = [];
  let route: string | undefined;
  const sub = nc.subscribe(reply);
  const ms = o.timeoutMs ?? 120_000;
  let ended = false;
  const timer = setTimeout(() => sub.unsubscribe(), ms);
  nc.publish(publicSubject(o.lattice, o.op), encode(req), { reply });
  try {
    for await (const m of sub) {
      if (m.headers?.code === 503) return { values, wire, error: { code: "no-route", message: "no system:ai router is connected" } };
      const r = parseReply(m.data);
      if (!r) continue;
      wire.push(r);
      route = r.route ?? route;
      if (r.error) return { ...(route ? { route } : {}), values, wire, error: r.error };
      if (r.sealed !== undefined) {
        const v = r.by && trusted.has(r.by) ? openJson(kp, r.by, r.sealed) : undefined;
        if (v === undefined) return { values, wire, error: { code: "bad-reply", message: `a reply sealed by ${r.by ?? "nobody"} does not open with a key this request trusts` } };
        values.push(v);
        onValue?.(v);
      } else if (r.body !== undefined) {
        if (o.recipients) return { values, wire, error: { code: "bad-reply", message: "a plaintext reply to a sealed request" } };
        values.push(r.body);
        onValue?.(r.body);
      }
      if (r.end) {
        ended = true;
        break;
      }
    }
  } finally {
    clearTimeout(timer);
    sub.unsubscribe();
  }
  return { ...(route ? { route } : {}), values, wire, ...(ended ? {} : { error: { code: "timeout", message: `no end marker within ${ms} ms` } }) };
}
