/**
 * `tlos status`, the comparison: what the hubs report through the system account
 * (`$SYS.REQ.SERVER.PING.VARZ|JSZ|LEAFZ|ROUTEZ`) and what the v1 hosts answer on the control interface,
 * against a lattice's {@link LatticeExpectation}. Pure: the CLI gathers, this judges. Every
 * difference is one drift line naming the hub, node, stream or host.
 * @see https://docs.nats.io/running-a-nats-service/configuration/sys_accounts#available-events-and-services
 */
import { kvStream, type LatticeExpectation } from "./expectation.js";
import { leafFindings, type Leafz } from "./leaf-check.js";
import { leafConnections, leavesByIdentity, type Connz, type LeafStatus } from "./leaf-identity.js";
import { appsStatus, hostGroupsStatus, type AppStatus, type HostGroupStatus, type HostHeartbeat, type HostInventory, type WadmObserved } from "./status-wasmcloud.js";

/** One server's answer to a `$SYS.REQ.SERVER.PING.<kind>` request (the fields used). */
export interface ServerReply<T> {
  readonly server: { readonly name: string; readonly ver?: string };
  readonly data?: T;
}

export interface Varz {
  readonly version?: string;
  readonly leaf?: { readonly tls_required?: boolean; readonly tls_verify?: boolean };
}

/** A hub's routes (pooled: several connections per peer; counted by peer name). */
export interface Routez {
  readonly routes?: readonly { readonly remote_name?: string }[];
}

interface Replica { readonly name: string; readonly current?: boolean; readonly offline?: boolean }

export interface Jsz {
  readonly meta_cluster?: { readonly leader?: string; readonly cluster_size?: number; readonly replicas?: readonly Replica[] };
  readonly account_details?: readonly {
    /** The account's name; `id` is its public key. */
    readonly name?: string;
    readonly id?: string;
    readonly stream_detail?: readonly { readonly name: string; readonly config?: { readonly num_replicas?: number }; readonly cluster?: { readonly leader?: string; readonly replicas?: readonly Replica[] } }[];
  }[];
}

/** A v1 host's answer to `wasmbus.ctl.v1.<lattice>.host.ping` (the fields used). */
export interface HostPong {
  readonly id: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface Observed {
  readonly varz: readonly ServerReply<Varz>[];
  readonly jsz: readonly ServerReply<Jsz>[];
  readonly leafz: readonly ServerReply<Leafz>[];
  readonly routez: readonly ServerReply<Routez>[];
  /** The lattice account's connections per hub (`auth: true`); undefined: leaves judged by server name. */
  readonly connz?: readonly ServerReply<Connz>[];
  /** undefined: hosts not checked (no lattice creds given). */
  readonly hosts?: readonly HostPong[];
  /** v1: the `host.get` inventories of the hosts that answered the ping. */
  readonly inventories?: readonly HostInventory[];
  /** v1: what wadm answered; undefined: not asked. */
  readonly wadm?: WadmObserved;
  /** v2: the heartbeats heard; undefined: not listened. */
  readonly heartbeats?: readonly HostHeartbeat[];
}

/** A hub: up, its version, the peers it has routes to, the lattice's leaves connected to it. */
export interface HubStatus { readonly id: string; readonly up: boolean; readonly version?: string; readonly routes?: number; readonly peers?: readonly string[]; readonly leaves?: number }
export type { LeafStatus } from "./leaf-identity.js";
export interface StreamStatus { readonly name: string; readonly declared: number; readonly replicas: number; readonly current: number; readonly leader?: string }
export interface LeaseStatus { readonly id: string; readonly sdl: string; readonly replicas: number; readonly connected: number; readonly hubs: readonly string[]; readonly names: readonly string[] }
export interface HostStatus { readonly node: string; readonly answered: boolean; readonly labels: Readonly<Record<string, string>> }

/** The status of one lattice: every part, and every difference from the declared state. */
export interface LatticeStatus {
  readonly lattice: string;
  readonly hubs: readonly HubStatus[];
  readonly meta: { readonly leader?: string; readonly peers: readonly { readonly name: string; readonly current: boolean }[] };
  readonly leaves: readonly LeafStatus[];
  readonly streams: readonly StreamStatus[];
  readonly hosts?: readonly HostStatus[];
  /** Akash deployments: each lease's leaves connected through the hubs, by identity. */
  readonly leases: readonly LeaseStatus[];
  /** v1 apps: deployed version and state as wadm reports them, hosts running each component. */
  readonly apps?: readonly AppStatus[];
  /** v2 host groups: the hosts heard heartbeating in each. */
  readonly hostGroups?: readonly HostGroupStatus[];
  /** One line per difference, each starting with what it is about (`hub hub-3: …`). */
  readonly drift: readonly string[];
}

function streamsOf(e: LatticeExpectation, jsz: readonly ServerReply<Jsz>[]): StreamStatus[] {
  const want = [...e.streams.map((s) => ({ name: s.name, replicas: s.replicas })), ...e.kv.map((k) => ({ name: kvStream(k.bucket), replicas: k.replicas }))];
  return want.map(({ name, replicas }) => {
    const seen = jsz.flatMap((r) => (r.data?.account_details ?? []).filter((a) => a.id === e.account).flatMap((a) => (a.stream_detail ?? []).filter((s) => s.name === name).map((s) => ({ s, server: r.server.name }))));
    // the leader's view: it knows every replica's lag
    const lead = seen.find((x) => x.s.cluster?.leader === x.server) ?? seen[0];
    const peers = lead?.s.cluster?.replicas ?? [];
    const actual = lead ? (lead.s.config?.num_replicas ?? 1) : 0;
    const current = lead ? 1 + peers.filter((p) => p.current && !p.offline).length : 0;
    return { name, declared: replicas, replicas: actual, current, ...(lead?.s.cluster?.leader ? { leader: lead.s.cluster.leader } : {}) };
  });
}

/** Leaves judged by server name, the one thing `/leafz` shows (an expected.json without leaf user keys). */
function leavesByName(e: LatticeExpectation, o: Observed, tlsBy: ReadonlyMap<string, boolean>, drift: string[]): LeafStatus[] {
  const leaves = e.leaves.map((l) => {
    const at = o.leafz.flatMap((z) => (z.data?.leafs ?? []).filter((x) => x.account === e.account && x.name === l.id).map(() => z.server.name));
    if (at.length === 0) drift.push(`leaf ${l.id}: not connected`);
    const tls = at.length > 0 && at.every((h) => tlsBy.get(h) === true);
    if (at.length > 0 && !tls) drift.push(`leaf ${l.id}: connected to a hub that does not require TLS`);
    return { id: l.id, kind: l.kind, connected: at.length, replicas: l.replicas ?? 1, hubs: at, names: at.length > 0 ? [l.id] : [], tls };
  });
  for (const f of leafFindings(o.leafz.map((z) => z.data ?? {}), e.account, new Map(e.leaves.map((l) => [l.id, l.replicas ?? 1])))) {
    drift.push(`leaf ${f.name}: ${f.problem} (from ${f.from.join(", ")})`);
  }
  return leaves;
}

/** Compares what runs with what was declared. */
export function latticeStatus(e: LatticeExpectation, o: Observed): LatticeStatus {
  const drift: string[] = [];
  const varz = new Map(o.varz.map((r) => [r.server.name, r]));
  const hubs: HubStatus[] = e.hubs.map((h) => {
    const r = varz.get(h.id);
    const leaves = o.leafz.find((z) => z.server.name === h.id)?.data?.leafs?.filter((l) => l.account === e.account).length;
    const peers = [...new Set((o.routez.find((z) => z.server.name === h.id)?.data?.routes ?? []).map((x) => x.remote_name ?? "?"))].sort();
    if (!r) drift.push(`hub ${h.id}: not answering (down, or cut off from the others)`);
    else if (e.mode === "cluster") {
      const missing = e.hubs.filter((x) => x.id !== h.id && !peers.includes(x.id)).map((x) => x.id);
      if (missing.length > 0) drift.push(`hub ${h.id}: no route to ${missing.join(", ")}`);
    }
    return { id: h.id, up: Boolean(r), ...(r ? { version: r.data?.version ?? r.server.ver, routes: peers.length, peers } : {}), ...(leaves !== undefined ? { leaves } : {}) };
  });
  for (const name of varz.keys()) if (!e.hubs.some((h) => h.id === name)) drift.push(`hub ${name}: answers but is not declared`);
  // the meta leader's own view: followers do not track each other's lag
  const metas = o.jsz.map((r) => ({ server: r.server.name, meta: r.data?.meta_cluster }));
  const metaFrom = (metas.find((x) => x.meta?.leader && x.meta.leader === x.server) ?? metas.find((x) => x.meta?.leader))?.meta;
  const peers = (metaFrom?.replicas ?? []).map((p) => ({ name: p.name, current: Boolean(p.current) && !p.offline }));
  // a single hub runs JetStream standalone: no meta group to lead
  if (e.mode === "single") {
    if (!o.jsz.some((r) => r.data)) drift.push("jetstream: the hub does not answer JSZ");
  } else if (!metaFrom?.leader) drift.push("jetstream: no meta leader");
  else for (const p of peers) if (!p.current) drift.push(`jetstream: meta peer ${p.name} is not current`);
  const tlsBy = new Map(o.varz.map((r) => [r.server.name, r.data?.leaf?.tls_required === true]));
  const leaves = o.connz && e.leaves.every((l) => l.user) ? leavesByIdentity(e, leafConnections(e, o.connz, tlsBy), drift) : leavesByName(e, o, tlsBy, drift);
  const streams = streamsOf(e, o.jsz);
  for (const s of streams) {
    if (s.replicas === 0) drift.push(`stream ${s.name}: missing (${s.declared} replicas declared)`);
    else if (s.replicas < s.declared) drift.push(`stream ${s.name}: ${s.replicas} replicas, ${s.declared} declared`);
    else if (s.current < s.replicas) drift.push(`stream ${s.name}: ${s.current} of ${s.replicas} replicas current`);
  }
  const hosts = o.hosts === undefined ? undefined : e.hosts.map((h) => {
    const pong = o.hosts?.find((p) => p.id === h.publicKey);
    if (!pong) drift.push(`host ${h.node}: does not answer the control interface`);
    else for (const [k, v] of Object.entries(h.labels)) if (pong.labels?.[k] !== v) drift.push(`host ${h.node}: label ${k}=${JSON.stringify(pong.labels?.[k] ?? null)}, ${JSON.stringify(v)} declared`);
    return { node: h.node, answered: Boolean(pong), labels: { ...(pong?.labels ?? {}) } };
  });
  for (const p of o.hosts ?? []) if (!e.hosts.some((h) => h.publicKey === p.id)) drift.push(`host ${p.id}: answers the control interface but is not declared`);
  const leases = leaves.filter((l) => l.lease).map((l) => ({ id: l.id, sdl: l.lease as string, replicas: l.replicas, connected: l.connected, hubs: l.hubs, names: l.names }));
  const apps = appsStatus(e, o.wadm, o.inventories ?? [], drift);
  const hostGroups = hostGroupsStatus(e, o.heartbeats, drift);
  return { lattice: e.lattice, hubs, meta: { ...(metaFrom?.leader ? { leader: metaFrom.leader } : {}), peers }, leaves, leases, streams, ...(hosts ? { hosts } : {}), ...(apps ? { apps } : {}), ...(hostGroups ? { hostGroups } : {}), drift };
}
