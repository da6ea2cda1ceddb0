/**
 * A bounded wait for a hub cluster's JetStream to be ready for one account, as `tlos lattice-init`
 * needs right after the hubs start: only the errors that mean "not ready yet" are retried, with
 * backoff, until the wait ends; any other error ends it at once.
 *
 * Why an account's JetStream can lag the hubs' meta leader (nats-server 2.11–2.15, operator mode):
 * - Every JetStream API request of an account is answered by the meta leader (stream and account
 *   info by the stream leader or the meta leader), and the leader checks JetStream on its own copy
 *   of the account (`checkJetStream()` in server/jetstream_api.go: `a.js != nil`). A server learns
 *   an account lazily: on a connection or a routed request naming it, `fetchAccount` reads the JWT
 *   from its resolver, and `UpdateAccountClaims` → `configJetStream` → `Account.EnableJetStream`
 *   stamps `a.js` only then (server/server.go, accounts.go, jetstream.go). The leader's copy is
 *   built when the first request reaches it, not when the connection was made on another hub.
 * - While one goroutine builds the account, a second lookup gets the half-built account from
 *   `s.tmpAccounts` (`buildInternalAccount`) and may register and use it before `a.js` is set: a
 *   request answered then says `JetStream not enabled for account` (10039) though the JWT enables
 *   it. A moment later the same request succeeds.
 * - A JWT handed over with `claims push` ($SYS.REQ.CLAIMS.UPDATE) is stored by each hub's full
 *   resolver on its own; its `changed` callback enables JetStream for the account per server, so
 *   for a while some hubs (maybe the leader) still hold the old claims, or none (10035, account
 *   not found), and a hub that has no JWT asks the others (`$SYS.REQ.ACCOUNT.*.CLAIMS.LOOKUP`).
 * - The meta group itself: no leader yet (no responders, timeouts, 10008 temporarily unavailable)
 *   and, while some hubs are still starting, too few peers to place an R3 stream (10005).
 * JetStream stays off for good when the JWT has no JetStream limits (disk and memory 0) or a hub
 * failed to enable it ("Error configuring jetstream for account" in its log): the wait then ends
 * with one line saying what to check.
 */

import { TlosError } from "../core/errors.js";

/** JetStream API error codes that mean "not ready yet" (nats-server server/errors.json). */
const NOT_READY_CODES = new Map<number, string>([
  [10039, "JetStream not enabled for the account yet"],
  [10076, "JetStream not enabled yet"],
  [10008, "JetStream temporarily unavailable (no meta leader yet)"],
  [10035, "account not found on the answering hub yet"],
  [10005, "too few hubs up to place the replicas yet"],
]);

/** Socket errors of a hub that is not listening yet, or restarting. */
const NOT_LISTENING = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

const LISTENING = "hub not accepting connections yet";

/** Why `e` means "not ready yet" (a short reason), or undefined when it is an error to report at once. */
export function notReadyReason(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const api = apiCode(e) ?? apiCode(e.cause);
  if (api !== undefined) return NOT_READY_CODES.get(api);
  if (e.name === "JetStreamNotEnabled") return "no JetStream API answered yet";
  if (e.name === "TimeoutError") return "no answer in time";
  if (e.name === "NoResponders" || (e.name === "RequestError" && /no responders/i.test(e.message))) return "no JetStream API answered yet";
  if (e.name === "ConnectionError") {
    const code = (e.cause as { code?: string } | undefined)?.code;
    if ((code && NOT_LISTENING.has(code)) || /connection refused|disconnect/i.test(e.message)) return LISTENING;
  }
  if (e.name === "ClosedConnectionError" || e.name === "DrainingConnectionError") return "connection closed while the hubs restart";
  return undefined;
}

function apiCode(e: unknown): number | undefined {
  if (!(e instanceof Error) || !("apiError" in e) || typeof (e as { apiError?: unknown }).apiError !== "function") return undefined;
  const code = (e as { code?: unknown }).code;
  return typeof code === "number" ? code : undefined;
}

/** Where the wait runs and how it reports. */
export interface ReadyWaitOptions {
  /** How long to wait for "not ready yet" errors to clear; 0 = one attempt. */
  readonly seconds: number;
  /** The server(s) asked, for the lines printed. */
  readonly servers: readonly string[];
  /** Called once, when the first "not ready yet" error is seen. @default nothing printed */
  readonly log?: (line: string) => void;
}

/** An error no wait mends, as one line when the hubs refused the creds; anything else unchanged. */
function refused(e: unknown, servers: readonly string[], what: string): unknown {
  const name = (e as Error | undefined)?.name;
  if (name !== "AuthorizationError" && name !== "PermissionViolationError" && name !== "UserAuthenticationExpiredError") return e;
  return new NotReadyError(`lattice-init: ${servers.join(", ")} refused ${what}: ${(e as Error).message}; check --creds: the lattice's secrets/<lattice>/admin.creds, synthesized with the master seed of these hubs, not expired`);
}

/** What an attempt is doing now: set by the attempt, named when the wait ends. */
export interface Asking {
  what: string;
}

/** The error the wait ends with: one line naming the server, what was asked and what to check. */
export class NotReadyError extends TlosError {}

/**
 * Runs `attempt` until it succeeds; on a "not ready yet" error waits (50 ms, doubling to 2 s) and
 * runs it again until `seconds` have passed, then throws a {@link NotReadyError}. Any other error
 * is rethrown at once. `attempt` gets the time left (ms), to bound its own requests by it.
 */
export async function untilReady<T>(o: ReadyWaitOptions, attempt: (asking: Asking, leftMs: number) => Promise<T>): Promise<T> {
  const end = Date.now() + Math.max(0, o.seconds) * 1000;
  const asking: Asking = { what: "a connection" };
  let pause = 50;
  let told = false;
  for (;;) {
    try {
      return await attempt(asking, Math.max(0, end - Date.now()));
    } catch (e) {
      const why = notReadyReason(e);
      if (!why) throw refused(e, o.servers, asking.what);
      const left = end - Date.now();
      if (left <= 0) {
        const waited = o.seconds > 0 ? `after waiting ${o.seconds} s` : "(--wait 0)";
        const check = why === LISTENING
          ? "check that a hub runs and listens there (its client port) and that this machine can reach it"
          : "check that every hub is up and routed to the others (tlos status), that the account JWT grants JetStream (disk or memory limits) and reached every hub (claims push), and the hubs' logs";
        throw new NotReadyError(`lattice-init: JetStream not ready at ${o.servers.join(", ")} ${waited}: asked for ${asking.what}: ${why} (${(e as Error).message}); ${check}; a longer --wait helps a slow start`);
      }
      if (!told) {
        o.log?.(`waiting up to ${o.seconds} s for JetStream at ${o.servers.join(", ")}: ${why}`);
        told = true;
      }
      await new Promise((r) => setTimeout(r, Math.min(pause, left)));
      pause = Math.min(2000, pause * 2);
    }
  }
}
