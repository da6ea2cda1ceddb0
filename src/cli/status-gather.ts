/**
 * `tlos status`, the gathering: scatter-gather requests to every hub through the system account
 * (`$SYS.REQ.SERVER.PING.VARZ|JSZ|LEAFZ|ROUTEZ`: hub monitors listen on loopback only) and, with the
 * lattice's creds, the v1 control interface's host ping. Each request waits until every declared
 * hub (host) answered or `waitMs` passed, whichever is first.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { LatticeExpectation } from "../nats/expectation.js";
import type { HostPong, Observed, ServerReply } from "../nats/status-check.js";
import { connectNats, type NatsTarget } from "./nats-connect.js";

async function gather<T>(nc: NatsConnection, subject: string, body: unknown, n: number, waitMs: number): Promise<T[]> {
  const out: T[] = [];
  const replies = await nc.requestMany(subject, JSON.stringify(body), { strategy: "count", maxMessages: Math.max(1, n), maxWait: waitMs });
  try {
    for await (const m of replies) {
      try {
        out.push(m.json<T>());
      } catch {
        // a reply that is not JSON is no answer
      }
    }
  } catch (e) {
    // no responders at all: nothing answered
    if (!/no responders|timeout/i.test(String((e as Error).message))) throw e;
  }
  return out;
}

/** What the hubs report about the lattice's account, through a system-account connection. */
export async function observeHubs(sys: NatsTarget, e: LatticeExpectation, waitMs: number): Promise<Omit<Observed, "hosts">> {
  const nc = await connectNats(sys, "tlos status", { reconnect: false, timeout: waitMs });
  try {
    const n = e.hubs.length;
    const ping = <T>(kind: string, body: unknown) => gather<ServerReply<T>>(nc, `$SYS.REQ.SERVER.PING.${kind}`, body, n, waitMs);
    const [varz, jsz, leafz, routez] = await Promise.all([
      ping<Observed["varz"][number]["data"]>("VARZ", {}),
      ping<Observed["jsz"][number]["data"]>("JSZ", { account: e.account, accounts: true, streams: true, config: true }),
      ping<Observed["leafz"][number]["data"]>("LEAFZ", { account: e.account }),
      ping<Observed["routez"][number]["data"]>("ROUTEZ", {}),
    ]);
    return { varz: varz as Observed["varz"], jsz: jsz as Observed["jsz"], leafz: leafz as Observed["leafz"], routez: routez as Observed["routez"] };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** The v1 hosts that answer `wasmbus.ctl.v1.<lattice>.host.ping`, through a lattice-account connection. */
export async function observeHosts(lattice: NatsTarget, e: LatticeExpectation, waitMs: number): Promise<HostPong[]> {
  const nc = await connectNats(lattice, "tlos status", { reconnect: false, timeout: waitMs });
  try {
    const replies = await gather<{ response?: HostPong } & Partial<HostPong>>(nc, `wasmbus.ctl.v1.${e.lattice}.host.ping`, {}, e.hosts.length, waitMs);
    return replies.map((r) => r.response ?? (r as HostPong)).filter((p) => typeof p?.id === "string");
  } finally {
    await nc.close().catch(() => undefined);
  }
}
