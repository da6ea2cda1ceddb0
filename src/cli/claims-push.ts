/**
 * `tlos claims push <account.jwt>`: hands an account JWT to the hubs' full resolver on
 * `$SYS.REQ.CLAIMS.UPDATE` (what `nsc push` does), so a changed account — a revoked node, new
 * limits — takes effect on running servers without a restart. Every resolver server answers;
 * the push reports each answer and fails unless at least one server took it and none refused.
 * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/jwt/resolver#full
 */
import type { NatsConnection } from "@nats-io/transport-node";

export interface PushAnswer {
  readonly ok: boolean;
  readonly server: string;
  readonly message: string;
}

interface ClaimsReply {
  server?: { name?: string };
  data?: { account?: string; code?: number; message?: string };
  error?: { account?: string; code?: number; description?: string };
}

/** Sends `jwt` and collects the answers that arrive within `waitMs`. */
export async function pushAccountJwt(nc: NatsConnection, jwt: string, waitMs = 2000): Promise<PushAnswer[]> {
  const answers: PushAnswer[] = [];
  const replies = await nc.requestMany("$SYS.REQ.CLAIMS.UPDATE", jwt.trim(), { maxWait: waitMs });
  for await (const m of replies) {
    const r = m.json<ClaimsReply>();
    const server = r.server?.name ?? "?";
    if (r.error) answers.push({ ok: false, server, message: `${r.error.code ?? "?"} ${r.error.description ?? ""}`.trim() });
    else answers.push({ ok: (r.data?.code ?? 0) < 300, server, message: r.data?.message ?? "" });
  }
  return answers.sort((a, b) => (a.server < b.server ? -1 : a.server > b.server ? 1 : 0));
}
