/**
 * The `system:ai` message schema, version 1 (JSON; `schemas/system-ai-v1.schema.json`).
 *
 * A request is one message on a public subject with a reply subject. Its answer is one or more
 * replies on that subject; the last carries `"end": true` (the end marker). A request with
 * `"stream": false` gets exactly one reply (what wasmCloud's request-reply returns); a streamed
 * one gets one reply per OpenAI chunk, then an `end` reply without payload. Errors are a single
 * `end` reply with `error`.
 */
import { XKEY_PUBLIC } from "./seal.js";

export interface AiRequest {
  readonly v: 1;
  /** The model id the requester wants. */
  readonly model: string;
  /** @default false */
  readonly stream?: boolean;
  /** The requester's xkey public key (`X…`): results are sealed to it. Required unless plaintext. */
  readonly from?: string;
  /** Recipient xkey public key → base64 box of the OpenAI request body (sealed by `from`). */
  readonly sealed?: Readonly<Record<string, string>>;
  /** The OpenAI request body in clear: accepted only where the lattice allows plaintext. */
  readonly body?: Readonly<Record<string, unknown>>;
}

export const ERROR_CODES = ["bad-request", "plaintext-refused", "unknown-model", "busy", "unavailable", "no-route", "timeout", "upstream", "internal"] as const;
export type AiErrorCode = (typeof ERROR_CODES)[number];

export interface AiReply {
  readonly v: 1;
  /** Which route served: `pool:<pool>` or `gateway:<provider>/<model>` (set by the router). */
  readonly route?: string;
  /** Number of this payload reply, from 0. */
  readonly seq?: number;
  /** The xkey that sealed `sealed` (a pool's, or the router's for a gateway answer). */
  readonly by?: string;
  /** base64 box, to the requester, of an OpenAI response (or chunk) body. */
  readonly sealed?: string;
  /** The same in clear, for a plaintext request. */
  readonly body?: unknown;
  /** Pool → router only: accepted, working (the router never relays it). */
  readonly ack?: true;
  /** The end marker: nothing follows. */
  readonly end?: true;
  readonly error?: { readonly code: AiErrorCode; readonly message: string };
}

/** The parsed request, or the reason it is refused. */
export function parseRequest(data: Uint8Array): AiRequest | { error: string } {
  let r: unknown;
  try {
    r = JSON.parse(new TextDecoder().decode(data));
  } catch {
    return { error: "not JSON" };
  }
  if (typeof r !== "object" || r === null || Array.isArray(r)) return { error: "not a JSON object" };
  const o = r as Record<string, unknown>;
  const bad: string[] = [];
  if (o["v"] !== 1) bad.push(`v must be 1, got ${JSON.stringify(o["v"])}`);
  if (typeof o["model"] !== "string" || o["model"] === "") bad.push("model must be a non-empty string");
  if (o["stream"] !== undefined && typeof o["stream"] !== "boolean") bad.push("stream must be true or false");
  if (o["from"] !== undefined && (typeof o["from"] !== "string" || !XKEY_PUBLIC.test(o["from"]))) bad.push("from must be an xkey public key (X…)");
  const sealed = o["sealed"];
  if (sealed !== undefined && (typeof sealed !== "object" || sealed === null || Array.isArray(sealed) || !Object.entries(sealed).every(([k, v]) => XKEY_PUBLIC.test(k) && typeof v === "string"))) bad.push("sealed must map xkey public keys to base64 boxes");
  const body = o["body"];
  if (body !== undefined && (typeof body !== "object" || body === null || Array.isArray(body))) bad.push("body must be a JSON object");
  if (sealed === undefined && body === undefined) bad.push("give sealed (or body where plaintext is allowed)");
  if (sealed !== undefined && body !== undefined) bad.push("give sealed or body, not both");
  if (sealed !== undefined && o["from"] === undefined) bad.push("a sealed request needs from (the key results are sealed to)");
  for (const k of Object.keys(o)) if (!["v", "model", "stream", "from", "sealed", "body"].includes(k)) bad.push(`unknown field ${JSON.stringify(k)}`);
  return bad.length > 0 ? { error: bad.join("; ") } : (r as AiRequest);
}

export function parseReply(data: Uint8Array): AiReply | undefined {
  try {
    const r = JSON.parse(new TextDecoder().decode(data)) as AiReply;
    return typeof r === "object" && r !== null && r.v === 1 ? r : undefined;
  } catch {
    return undefined;
  }
}

const te = new TextEncoder();
export const encode = (m: AiReply | AiRequest): Uint8Array => te.encode(JSON.stringify(m));
export const errorReply = (code: AiErrorCode, message: string, route?: string): AiReply => ({ v: 1, ...(route ? { route } : {}), end: true, error: { code, message } });
