/**
 * `tlos policy-responder`: answers v1 hosts' policy requests on the lattice's policy topic with
 * {@link decide}. Several responders share a queue group, so one per hub gives high availability;
 * if none runs, hosts get no reply and refuse to start anything (fail closed).
 */
import { decide } from "../wasmcloud/policy.js";
import { connectNats } from "./nats-connect.js";

export interface ResponderOptions {
  /** NATS server URLs, e.g. `nats://127.0.0.1:4222`. */
  readonly servers: readonly string[];
  /** `.creds` file of the responder's user. */
  readonly credsFile?: string;
  readonly topic: string;
  /** Trusted issuer public keys (`A…`). */
  readonly trusted: readonly string[];
  readonly log?: (line: string) => void;
}

export interface Responder {
  /** Decisions made so far. */
  readonly answered: () => number;
  close(): Promise<void>;
}

export async function startPolicyResponder(o: ResponderOptions): Promise<Responder> {
  const nc = await connectNats(o, "tlos-policy-responder", { maxReconnectAttempts: -1 });
  const trusted = new Set(o.trusted);
  let answered = 0;
  const sub = nc.subscribe(o.topic, { queue: "tlos-policy" });
  const done = (async () => {
    for await (const m of sub) {
      const r = decide(m.data, trusted);
      answered++;
      m.respond(JSON.stringify(r));
      o.log?.(JSON.stringify({ requestId: r.requestId, permitted: r.permitted, ...(r.message ? { message: r.message } : {}) }));
    }
  })();
  await nc.flush();
  return {
    answered: () => answered,
    close: async () => {
      await nc.drain();
      await done;
    },
  };
}
