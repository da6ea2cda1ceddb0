/**
 * `tlos status`, the gathering: scatter-gather requests to every hub through the system account
 * (`$SYS.REQ.SERVER.PING.VARZ|JSZ|LEAFZ|ROUTEZ`, and the lattice account's `CONNZ` with `auth`: hub
 * monitors listen on loopback only) and, with the lattice's creds, for v1 the control interface's
 * host ping and each host's inventory (`host.get.<id>`) and wadm's models (`model.list`,
 * `model.get.<name>`), for v2 the hosts' heartbeats. Each request waits until every declared hub
 * (host) answered or `waitMs` passed, whichever is first.
 */
import type { NatsConnection } from "@nats-io/transport-node";
import type { LatticeExpectation } from "../nats/expectation.js";
import type { HostPong, Observed, ServerReply } from "../nats/status-check.js";
import type { HostHeartbeat, HostInventory, ModelSummary, WadmObserved } from "../nats/status-wasmcloud.js";
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
    type Data<K extends "varz" | "jsz" | "leafz" | "routez" | "connz"> = NonNullable<Observed[K]>[number]["data"];
    const [varz, jsz, leafz, routez, connz] = await Promise.all([
      ping<Data<"varz">>("VARZ", {}),
      ping<Data<"jsz">>("JSZ", { account: e.account, accounts: true, streams: true, config: true }),
      ping<Data<"leafz">>("LEAFZ", { account: e.account }),
      ping<Data<"routez">>("ROUTEZ", {}),
      // the account's connections, leaves included, with the user each authenticated as
      gather<ServerReply<Data<"connz">>>(nc, `$SYS.REQ.ACCOUNT.${e.account}.CONNZ`, { auth: true, limit: 4096 }, n, waitMs),
    ]);
    return { varz: varz as Observed["varz"], jsz: jsz as Observed["jsz"], leafz: leafz as Observed["leafz"], routez: routez as Observed["routez"], connz: connz as NonNullable<Observed["connz"]> };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

type V1 = Pick<Observed, "hosts" | "inventories" | "wadm">;

/** The v1 control interface's answer (`{ success, message, response }`), or the bare payload. */
const payload = <T>(r: { response?: T } & Partial<T>): T => r.response ?? (r as T);

async function one<T>(nc: NatsConnection, subject: string, body: unknown, waitMs: number): Promise<T | undefined> {
  return (await gather<T>(nc, subject, body, 1, waitMs))[0];
}

/**
 * v1, through a lattice-account connection: the hosts that answer `wasmbus.ctl.v1.<lattice>.host.ping`,
 * the inventory of each declared one (`host.get.<id>`), and wadm's models with the manifest of each
 * deployed version of a declared app.
 */
export async function observeV1(lattice: NatsTarget, e: LatticeExpectation, waitMs: number): Promise<V1> {
  const nc = await connectNats(lattice, "tlos status", { reconnect: false, timeout: waitMs });
  try {
    const ctl = `wasmbus.ctl.v1.${e.lattice}`;
    const pongs = (await gather<{ response?: HostPong } & Partial<HostPong>>(nc, `${ctl}.host.ping`, {}, e.hosts.length, waitMs)).map(payload).filter((p) => typeof p?.id === "string");
    const known = pongs.filter((p) => e.hosts.some((h) => h.publicKey === p.id));
    const [inventories, list] = await Promise.all([
      Promise.all(known.map((p) => one<{ response?: HostInventory } & Partial<HostInventory>>(nc, `${ctl}.host.get.${p.id}`, {}, waitMs))),
      one<{ models?: ModelSummary[] }>(nc, `wadm.api.${e.lattice}.model.list`, {}, waitMs),
    ]);
    const models = list?.models;
    const wanted = (e.apps ?? []).filter((a) => models?.some((m) => m.name === a.name && m.deployed_version === a.version));
    const got = await Promise.all(wanted.map((a) => one<{ manifest?: WadmObserved["manifests"][string] }>(nc, `wadm.api.${e.lattice}.model.get.${a.name}`, { version: a.version }, waitMs)));
    const wadm: WadmObserved = { ...(models ? { models } : {}), manifests: Object.fromEntries(wanted.map((a, i) => [a.name, got[i]?.manifest])) };
    return { hosts: pongs, inventories: inventories.filter((x) => x !== undefined).map(payload).filter((x) => typeof x?.host_id === "string"), wadm };
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/**
 * v2, through a lattice-account connection: the heartbeats on `runtime.operator.heartbeat.*`
 * (a host sends one every 15 s), until every declared host group has its hosts or `listenMs` passed.
 */
export async function observeHeartbeats(lattice: NatsTarget, e: LatticeExpectation, listenMs: number, waitMs: number): Promise<HostHeartbeat[]> {
  const nc = await connectNats(lattice, "tlos status", { reconnect: false, timeout: waitMs });
  const seen = new Map<string, HostHeartbeat>();
  try {
    const sub = nc.subscribe("runtime.operator.heartbeat.*");
    const full = () => (e.hostGroups ?? []).every((g) => [...seen.values()].filter((b) => b.labels?.["hostgroup"] === g.group).length >= g.hosts);
    const timer = setTimeout(() => sub.unsubscribe(), listenMs);
    for await (const m of sub) {
      try {
        const b = m.json<HostHeartbeat & { friendly_name?: string }>();
        seen.set(m.subject.split(".").pop() as string, { ...b, ...(b.friendlyName ?? b.friendly_name ? { friendlyName: b.friendlyName ?? b.friendly_name } : {}) });
      } catch {
        // a heartbeat that is not JSON is no heartbeat
      }
      if (full()) break;
    }
    clearTimeout(timer);
    return [...seen.values()];
  } finally {
    await nc.close().catch(() => undefined);
  }
}
