/**
 * The lattice's `system:ai` subjects and the two NATS roles that use them. One layout per
 * lattice name `<lattice>`:
 *
 * | subject | who publishes | who subscribes |
 * |---|---|---|
 * | `tlos.ai.<lattice>.v1.chat.completions`, `tlos.ai.<lattice>.v1.completions` | components, hosts, `tlos ai ask` | the router (queue group `system-ai-router`) |
 * | `tlos.ai.<lattice>.pool.<pool>.<model>.chat.completions`, `….completions` | the router | the pool's replicas (queue group `<model>`) |
 * | `$SRV.PING\|INFO\|STATS[.system-ai[.<id>]]` | the router (discovery; replies to its inbox `_TLOS_AI.<lattice>`) | pools |
 *
 * `<model>` is the model id with `.`, `*`, `>`, `%` and whitespace percent-encoded, so
 * `Qwen/Qwen2.5-7B` becomes the one token `Qwen/Qwen2%2E5-7B`. The roles that use them are
 * `aiPoolRole` and `aiRouterRole` in `src/nats/roles.ts`.
 * @see https://github.com/nats-io/nats-architecture-and-design/blob/main/adr/ADR-32.md
 */
import { aiInboxPrefix } from "../nats/roles.js";

/** The NATS micro service name every pool registers (`system:ai` is not a valid service name). */
export const AI_SERVICE = "system-ai";
/** The router's queue group on the public subjects. */
export const ROUTER_QUEUE = "system-ai-router";
/** The operations, as OpenAI's paths name them. */
export const AI_OPS = ["chat.completions", "completions"] as const;
export type AiOp = (typeof AI_OPS)[number];

/** A model id as one subject token (reversible; see the module comment). */
export function modelToken(model: string): string {
  return model.replace(/[.*>%\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

/** The router's public subject for `op`. */
export function publicSubject(lattice: string, op: AiOp): string {
  return `tlos.ai.${lattice}.v1.${op}`;
}

/** The subject a pool serves `op` of `model` on. */
export function poolSubject(lattice: string, pool: string, model: string, op: AiOp): string {
  return `tlos.ai.${lattice}.pool.${pool}.${modelToken(model)}.${op}`;
}

/**
 * Inbox prefix of the router's own requests (to the pools, and discovery): the only subjects a
 * pool may publish to (`aiPoolRole`), outside `_INBOX.` so nodes never see pool answers.
 */
export const routerInbox = aiInboxPrefix;
