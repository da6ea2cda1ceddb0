/**
 * Every NATS identity a grid mints, as one table of roles → permissions. The same definitions
 * mint the JWTs (`auth.ts`), configure the in-cluster users of the Kubernetes leaf, and render the
 * README's threat-model table (a unit test checks the README matches).
 *
 * Permissions of a leaf user are from the leaf's side: `pub` is what the leaf may send into the
 * hub, `sub` what the hub delivers to it. The hub reverses them for its own copy of the
 * connection and prunes deliveries with them (nats-server `server/leafnode.go`, "perms … inside
 * the hub need to be reversed"; `server/client.go` `deliverMsg` "Not permitted to deliver"), and
 * since 2.11.16 / 2.12.7 also checks what a leaf sends (`processInboundLeafMsg` →
 * `leafMsgAllowed`, commit "Enforce subject permissions on inbound leaf messages"); older hubs
 * trust the leaf to enforce it, see {@link LEAF_ENFORCING_NATS}.
 *
 * Sources (upstream, at the targeted versions):
 * - v1 host: wasmCloud `v1.9.2` `crates/host/src/nats/ctl.rs` (`Queue::new` subscriptions),
 *   `crates/host/src/nats/event.rs` (events), `crates/host/src/nats/policy.rs` (policy requests),
 *   `crates/host/src/nats/mod.rs` `create_bucket` (KV get-or-create), `crates/host/src/wasmbus/mod.rs`
 *   (`wasmbus.rpc.{lattice}.{provider}.linkdefs.*`), `crates/wash/src/lib/spier.rs` (`{lattice}.{id}.wrpc.>`).
 * - wadm: `v0.21.1` `crates/wadm/src/lib.rs` (stream subjects), `crates/wadm/src/nats.rs`
 *   (`get_or_create_stream`, KV buckets), `crates/wadm/src/connections.rs` (`wasmbus.ctl` prefix),
 *   `crates/wadm-types/src/api.rs` (`wadm.api`).
 * - v2 host: wasmCloud `v2.0.0` `crates/wash-runtime/src/washlet/mod.rs` (`runtime.host.{id}.>`,
 *   `runtime.operator.heartbeat.{id}`, replies to `reply_to`).
 * - runtime-operator: `v2.0.0` `runtime-operator/internal/controller/runtime/host_client.go`
 *   (requests on `runtime.host.{id}.…`), `host_controller.go` (subscribes `runtime.operator.heartbeat.>`),
 *   `charts/runtime-operator/templates/nats/config.yaml` (the three users).
 * - AI subjects: the grid's own layout, shared with the AI router (`tlos.ai.<lattice>.v1.>`,
 *   `tlos.ai.<lattice>.pool.>`, NATS micro discovery `$SRV.*` for service `system-ai`).
 * @see https://docs.nats.io/running-a-nats-service/configuration/leafnodes#leafnode-permissions
 */
import type { ConnectionType, UserPermissions } from "./jwt.js";

/** How much a holder is trusted (README threat model). */
export type Trust = "trusted" | "semi-trusted" | "untrusted";

export interface Role {
  /** Stable id, used in file and user names. */
  readonly id: string;
  /** Short name for the README table. */
  readonly title: string;
  /** Who holds the credentials, and where they live. */
  readonly holder: string;
  readonly trust: Trust;
  /** How it connects: JWT connection types, or `config` for a user in a leaf's own config. */
  readonly connection: readonly ConnectionType[] | "config";
  /** `undefined`: unrestricted within its account. */
  readonly perms: UserPermissions | undefined;
  /** What it cannot do, in words (README). */
  readonly cannot: string;
  /** Its user JWT may be short-lived: it runs where synth output is re-deployed (hubs, operator machine). */
  readonly renewable: boolean;
}

/**
 * nats-server versions whose hubs check what a leaf sends against the leaf user's permissions:
 * 2.11.16+ on 2.11, 2.12.7+ on 2.12, 2.14+. Older hubs (2.10 included) leave it to the leaf, so
 * a holder of leaf creds speaking the leaf protocol itself could publish anything.
 */
export const LEAF_ENFORCING_NATS = { "2.11": 16, "2.12": 7, minMinor: 14 } as const;

/** Whether a nats-server `major.minor.patch` enforces leaf permissions on the hub. */
export function enforcesLeafPermissions(version: string): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [maj, min, pat] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (maj !== 2) return maj > 2;
  if (min === 11) return pat >= LEAF_ENFORCING_NATS["2.11"];
  if (min === 12) return pat >= LEAF_ENFORCING_NATS["2.12"];
  return min >= LEAF_ENFORCING_NATS.minMinor;
}

const INBOX = "_INBOX.>";
/** Replies a streaming responder may send per request, and for how long (AI chunks). */
const STREAM_REPLIES = { max: 10_000, ttlSeconds: 600 } as const;

/** The v1 KV buckets every host of a lattice gets or creates at start (`create_bucket`). */
export const hostBuckets = (lattice: string) => [`LATTICEDATA_${lattice}`, `CONFIGDATA_${lattice}`];

/** The streams wadm uses (`crates/wadm/src/lib.rs`, `nats.rs`). */
export const WADM_STREAMS = ["wadm_events", "wadm_commands", "wadm_status", "wasmbus_events", "wadm_notify", "wadm_event_consumer", "KV_wadm_state", "KV_wadm_manifests"] as const;

/**
 * JetStream API subjects to use the KV buckets `buckets` — read, write and watch, never create,
 * update, delete or purge a stream. `api` is `$JS.API` or `$JS.<domain>.API`. Consumer subjects
 * (`CONSUMER.*.KV_<bucket>…`) are what `get_key_value`, `watch` and `keys` use (async-nats, nats.js).
 */
export function kvUse(api: string, buckets: readonly string[]): string[] {
  return buckets.flatMap((b) => [...streamUse(api, [`KV_${b}`]), `$KV.${b}.>`, `${api}.$KV.${b}.>`]); // put / delete a key (the second form through a leaf's domain)
}

/**
 * JetStream API subjects for reading and consuming named streams, without creating, updating,
 * deleting or purging them: info, get, direct get, consumers (create, info, next, delete), acks and
 * flow control.
 */
function streamUse(api: string, streams: readonly string[]): string[] {
  return streams.flatMap((s) => [
    `${api}.STREAM.INFO.${s}`, `${api}.STREAM.MSG.GET.${s}`, `${api}.DIRECT.GET.${s}.>`,
    `${api}.CONSUMER.*.${s}`, `${api}.CONSUMER.*.${s}.>`, `${api}.CONSUMER.*.*.${s}.*`,
    `$JS.ACK.${s}.>`, `$JS.FC.${s}.>`,
  ]);
}

/** Control subjects a v1 host subscribes (`crates/host/src/nats/ctl.rs` `Queue::new`); per-host ones end in its id. */
export function v1HostCtl(lattice: string, hostId: string): string[] {
  const p = `wasmbus.ctl.v1.${lattice}`;
  return [
    `${p}.registry.put`, `${p}.host.ping`, `${p}.link.*`, `${p}.claims.get`, `${p}.config.>`,
    `${p}.component.auction`, `${p}.provider.auction`,
    `${p}.component.*.${hostId}`, `${p}.provider.*.${hostId}`, `${p}.label.*.${hostId}`, `${p}.host.*.${hostId}`,
  ];
}

export interface NodeRoleInput {
  readonly lattice: string;
  /** JetStream domain of the hubs (where the lattice's buckets live). */
  readonly domain: string;
  /** v1 host public key (`N…`, from the master seed); undefined for v2 (its id is made at start). */
  readonly hostId?: string;
  readonly policyTopic: string;
}

/**
 * A tLOS node's leaf on wasmCloud v1: what its host (and the providers the host starts, which share
 * the leaf) needs, nothing more.
 */
export function nodeRoleV1(i: NodeRoleInput): Role {
  const api = `$JS.${i.domain}.API`;
  const L = i.lattice;
  return {
    id: "node-v1",
    title: "node leaf (v1 host)",
    holder: "each node: its leaf `.creds`; anything on the node's loopback (host, providers, components) acts with it",
    trust: "untrusted",
    connection: ["LEAFNODE"],
    renewable: false,
    perms: {
      pub: [
        `wasmbus.evt.${L}.>`, // crates/host/src/nats/event.rs: CloudEvents on wasmbus.evt.{lattice}.{type}
        i.policyTopic, // crates/host/src/nats/policy.rs: policy requests (fail closed without a reply)
        INBOX, // crates/host/src/nats/ctl.rs: replies to control requests (publish_with_headers(reply))
        `wasmbus.rpc.${L}.>`, // crates/host/src/wasmbus/mod.rs: linkdefs.put/del, health to providers
        `${L}.*.wrpc.>`, // wRPC invocations between components and providers (crates/wash/src/lib/spier.rs)
        `tlos.ai.${L}.v1.>`, // requests to the grid's AI router
        ...kvUse(api, hostBuckets(L)), // crates/host/src/nats/mod.rs create_bucket: get first, create only if missing
      ],
      sub: [
        ...v1HostCtl(L, i.hostId ?? "*"), // crates/host/src/nats/ctl.rs Queue::new
        `wasmbus.rpc.${L}.>`, // providers started by the host subscribe their rpc subjects (provider-sdk)
        `${L}.*.wrpc.>`, // components and providers serve wRPC wherever wadm places them
        INBOX, // replies to its own requests (async-nats request mux)
      ],
    },
    cannot: "publish control commands; answer or see policy requests; read events, wadm's API or other hosts' per-host control subjects; touch any stream or bucket but the lattice's two host buckets; create, delete or purge any stream",
  };
}

/** A tLOS node's leaf on wasmCloud v2 (`wash host`, scheduler and data connections on the leaf). */
export function nodeRoleV2(i: NodeRoleInput): Role {
  const L = i.lattice;
  return {
    id: "node-v2",
    title: "node leaf (v2 host)",
    holder: "each node: its leaf `.creds`; its `wash host` and components act with it",
    trust: "untrusted",
    connection: ["LEAFNODE"],
    renewable: false,
    perms: {
      pub: [
        "runtime.operator.heartbeat.*", // crates/wash-runtime/src/washlet/mod.rs heartbeat_subject
        INBOX, // washlet/mod.rs: API responses go to the request's reply_to
        `tlos.ai.${L}.v1.>`, // requests to the grid's AI router
      ],
      sub: [
        "runtime.host.*.>", // washlet/mod.rs host_subject: the id is generated at start, so not narrower
        INBOX,
      ],
    },
    cannot: "send requests to hosts (schedule workloads); read heartbeats; use JetStream",
  };
}

/** wadm (v1), on the hubs' client port, in the hub domain (`$JS.API`). */
export function wadmRole(lattice: string): Role {
  const L = lattice;
  return {
    id: "wadm",
    title: "wadm (v1 scheduler)",
    holder: "hubs: `secrets/<lattice>/wadm.creds`, a Podman secret beside each hub",
    trust: "trusted",
    connection: ["STANDARD"],
    renewable: true,
    perms: {
      pub: [
        `wasmbus.ctl.v1.${L}.>`, // crates/wadm/src/connections.rs: control commands to hosts
        `wadm.evt.${L}.>`, `wadm.cmd.${L}`, `wadm.status.${L}.>`, `wadm.notify.${L}`, // crates/wadm/src/lib.rs stream subjects
        INBOX, // replies on wadm.api
        "$JS.API.INFO",
        ...streamUse("$JS.API", WADM_STREAMS.filter((s) => !s.startsWith("KV_"))), // crates/wadm/src/nats.rs get_or_create_stream: info first
        ...kvUse("$JS.API", ["wadm_state", "wadm_manifests"]),
      ],
      sub: [
        `wadm.api.${L}.>`, // crates/wadm-types/src/api.rs: wadm.api.{lattice}.model.*
        `wasmbus.evt.${L}.>`, `wadm.evt.${L}.>`, `wadm.cmd.${L}`, `wadm.notify.${L}`, `wadm_event_consumer.evt.${L}.>`,
        INBOX,
      ],
    },
    cannot: "answer policy requests; create, delete or purge streams (they are pre-created by `tlos lattice-init`); read the hosts' buckets",
  };
}

/** The v1 policy responder: subscribes the policy topic, publishes only replies. */
export function policyRole(topic: string): Role {
  return {
    id: "policy",
    title: "policy responder (v1)",
    holder: "hubs: `secrets/<lattice>/policy.creds` (`tlos policy-responder`)",
    trust: "trusted",
    connection: ["STANDARD"],
    renewable: true,
    perms: {
      pub: [], pubDeny: [">"], resp: { max: 1, ttlSeconds: 5 }, // one reply per request, within the host's policy timeout
      sub: [topic], // crates/host/src/nats/policy.rs: the host's WASMCLOUD_POLICY_TOPIC request
    },
    cannot: "publish anything but one reply to each policy request it received",
  };
}

/** The operator's own client: everything in the lattice account. */
export function adminRole(): Role {
  return {
    id: "admin",
    title: "admin",
    holder: "operator only: `secrets/<lattice>/admin.creds` (`tlos lattice-init`, wash, nats CLI)",
    trust: "trusted",
    connection: ["STANDARD"],
    renewable: true,
    perms: undefined,
    cannot: "reach the system account",
  };
}

/** The system-account user (`tlos claims push`, monitoring requests). */
export function sysRole(): Role {
  return {
    id: "sys",
    title: "system admin",
    holder: "operator only: `secrets/<lattice>/sys.creds`",
    trust: "trusted",
    connection: ["STANDARD"],
    renewable: true,
    perms: undefined,
    cannot: "reach lattice traffic (another account)",
  };
}

/** NATS micro discovery subjects of the AI service (`$SRV.PING|INFO|STATS[.system-ai[.<id>]]`). */
export function aiDiscovery(): string[] {
  return ["PING", "INFO", "STATS"].flatMap((v) => [`$SRV.${v}`, `$SRV.${v}.system-ai`, `$SRV.${v}.system-ai.*`]);
}

/**
 * Inbox prefix the AI router connects with (nats.js `inboxPrefix`, async-nats
 * `custom_inbox_prefix`): pools may publish there and nowhere else. It is outside `_INBOX.`, so
 * the node identities (which must receive `_INBOX.>`) never see pool answers.
 */
export const aiInboxPrefix = (lattice: string) => `_TLOS_AI.${lattice}`;

/**
 * A GPU inference pool: serves the pool subjects and publishes nothing but replies. Behind a leaf,
 * `allow_responses` cannot work (the leaf server applies the pub list the hub sends it and drops
 * replies itself), so replies are allowed on the router's own inbox prefix only; a pool service
 * connecting to a hub directly also gets `resp` (≤ 10000 replies per request within 10 minutes).
 */
export function aiPoolRole(lattice: string): Role {
  return {
    id: "ai-pool",
    title: "GPU pool (inference)",
    holder: "each Akash GPU pool: its leaf `.creds` in the deployable SDL (the provider can read them)",
    trust: "semi-trusted",
    connection: ["LEAFNODE", "STANDARD"],
    renewable: false,
    perms: {
      pub: [`${aiInboxPrefix(lattice)}.>`], resp: { ...STREAM_REPLIES }, // streamed chunks back to the router only
      sub: [`tlos.ai.${lattice}.pool.>`, ...aiDiscovery()], // queue groups of the pool service
    },
    cannot: "publish anything but replies to the AI router; see any lattice subject but the pool's (so the pool's wasmCloud host is no lattice host)",
  };
}

/** The AI router: takes requests on the public AI subjects and forwards them to the pools. */
export function aiRouterRole(lattice: string): Role {
  return {
    id: "ai-router",
    title: "AI router",
    holder: "the AI router service, on the operator's side: creds minted with this role",
    trust: "trusted",
    connection: ["STANDARD"],
    renewable: true,
    perms: {
      pub: [`tlos.ai.${lattice}.pool.>`, ...["PING", "INFO", "STATS"].map((v) => `$SRV.${v}.system-ai`)],
      resp: { ...STREAM_REPLIES }, // answers hosts' requests, streamed
      sub: [`tlos.ai.${lattice}.v1.>`, `${aiInboxPrefix(lattice)}.>`],
    },
    cannot: "reach the control plane, JetStream or any host subject; publish to any inbox but as replies",
  };
}

/** The runtime-operator's subjects (`host_client.go`, `host_controller.go`). */
const OPERATOR = { pub: ["runtime.host.*.>", INBOX], sub: ["runtime.operator.heartbeat.>", INBOX] };

/**
 * The Kubernetes leaf's own user: what the operator and the cluster's v2 hosts exchange with the
 * lattice, and what the cluster's in-cluster backup jobs (`backups`, their users on the leaf) need.
 */
export function kubeLeafRole(lattice: string, backups: readonly Role[] = []): Role {
  const host = nodeRoleV2({ lattice, domain: "", policyTopic: "" }).perms!;
  const b = { pub: backups.flatMap((r) => r.perms?.pub ?? []), sub: backups.flatMap((r) => r.perms?.sub ?? []) };
  return {
    id: "k8s-leaf",
    title: "Kubernetes leaf",
    holder: "each SpinKubeCluster: Secret `tlos-leaf-creds` (cluster admins can read it)",
    trust: "semi-trusted",
    connection: ["LEAFNODE"],
    renewable: false,
    perms: { pub: union(OPERATOR.pub, host.pub ?? [], b.pub), sub: union(OPERATOR.sub, host.sub ?? [], b.sub) },
    cannot: "use JetStream beyond its in-cluster backups' snapshots of their streams; reach the v1 control plane, AI pools or another account",
  };
}

/** The users of the in-cluster leaf (`verify_and_map` client certificates, names of the runtime-operator chart). */
export function operatorUserRoles(lattice: string): Role[] {
  const host = nodeRoleV2({ lattice, domain: "", policyTopic: "" }).perms!;
  const base = { trust: "semi-trusted" as const, connection: "config" as const, renewable: false };
  return [
    { ...base, id: "wasmcloud-operator", title: "runtime-operator", holder: "in-cluster: client certificate `wasmcloud-operator` (chart-generated)", perms: { ...OPERATOR }, cannot: "serve host requests; publish heartbeats" },
    { ...base, id: "wasmcloud-runtime", title: "v2 host (scheduler link)", holder: "in-cluster: client certificate `wasmcloud-runtime`", perms: host, cannot: "send requests to hosts; read heartbeats" },
    { ...base, id: "wasmcloud-data", title: "v2 host (data link)", holder: "in-cluster: client certificate `wasmcloud-data`", perms: { pub: [INBOX, `tlos.ai.${lattice}.v1.>`], sub: [INBOX] }, cannot: "reach the control plane" },
  ];
}

function union(...lists: readonly (readonly string[])[]): string[] {
  return [...new Set(lists.flat())];
}
