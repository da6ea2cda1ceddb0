/**
 * Which member each leaf connection is, by the identity it authenticated as. The hubs name it in
 * the lattice account's connection list (`$SYS.REQ.ACCOUNT.<account>.CONNZ` with `auth: true`:
 * nats-server 2.15.1 lists leaf connections there, `kind: "Leafnode"`, with `authorized_user`, the
 * leaf user's public key, and `tls_version`), so a member is found by its user key whatever server
 * name its leaf took (an Akash replica is named by `$HOSTNAME`). `/leafz` names no user.
 * @see https://docs.nats.io/running-a-nats-service/configuration/sys_accounts#available-events-and-services
 * @see https://github.com/nats-io/nats-server/blob/main/server/monitor.go (ConnInfo: authorized_user)
 */
import type { ExpectedLeaf, LatticeExpectation } from "./expectation.js";

/** One hub's account connection list (the fields used). */
export interface Connz {
  readonly connections?: readonly {
    readonly kind?: string;
    readonly name?: string;
    readonly ip?: string;
    readonly port?: number;
    readonly tls_version?: string;
    readonly authorized_user?: string;
    readonly account?: string;
  }[];
}

/** A declared leaf: how many connections authenticated as its user, where, under which names. */
export interface LeafStatus {
  readonly id: string;
  readonly kind: string;
  readonly connected: number;
  readonly replicas: number;
  readonly hubs: readonly string[];
  /** Server names its connections gave (a node's id; an Akash replica's hostname). */
  readonly names: readonly string[];
  readonly tls: boolean;
  /** The Akash deployment it runs in (its SDL in the synth output). */
  readonly lease?: string;
}

interface Conn { readonly hub: string; readonly name: string; readonly from: string; readonly tls: boolean; readonly user: string }

/** Every leaf connection of the lattice's account, with the hub that holds it. */
export function leafConnections(e: LatticeExpectation, connz: readonly { readonly server: { readonly name: string }; readonly data?: Connz }[], hubTls: ReadonlyMap<string, boolean>): Conn[] {
  return connz.flatMap((r) => (r.data?.connections ?? [])
    .filter((c) => c.kind === "Leafnode" && (c.account === undefined || c.account === e.account))
    .map((c) => ({ hub: r.server.name, name: c.name ?? "", from: `${c.ip ?? "?"}:${c.port ?? "?"}`, tls: Boolean(c.tls_version) && hubTls.get(r.server.name) === true, user: c.authorized_user ?? "" })));
}

const list = (xs: readonly string[]) => [...new Set(xs)].sort().join(", ");

function judgeLeaf(l: ExpectedLeaf & { user: string }, mine: readonly Conn[], drift: string[]): LeafStatus {
  const replicas = l.replicas ?? 1;
  const about = l.lease ? `lease ${l.id}` : `leaf ${l.id}`;
  if (mine.length === 0) drift.push(l.lease ? `${about}: no leaf connected with its creds (${replicas} replicas declared in ${l.lease.sdl})` : `${about}: not connected`);
  else if (mine.length < replicas) drift.push(`${about}: ${mine.length} of ${replicas} replicas connected`);
  if (mine.length > replicas) drift.push(`${about}: its creds are used by ${mine.length} leaves (named ${list(mine.map((c) => c.name))}), ${replicas} expected: revoke ${l.id} and re-issue (from ${list(mine.map((c) => c.from))})`);
  if (!l.namedByHost) for (const c of mine.filter((x) => x.name !== l.id)) drift.push(`${about}: a leaf named ${JSON.stringify(c.name)} dials in with ${l.id}'s creds: revoke ${l.id} (from ${c.from})`);
  const tls = mine.length > 0 && mine.every((c) => c.tls);
  if (mine.length > 0 && !tls) drift.push(`${about}: connected without TLS`);
  return { id: l.id, kind: l.kind, connected: mine.length, replicas, hubs: [...new Set(mine.map((c) => c.hub))].sort(), names: [...new Set(mine.map((c) => c.name))].sort(), tls, ...(l.lease ? { lease: l.lease.sdl } : {}) };
}

/**
 * Declared leaves judged by identity: each connected as often as its replicas, over TLS, a node
 * under its own name; leaf connections as a user no member holds are drift too.
 */
export function leavesByIdentity(e: LatticeExpectation, conns: readonly Conn[], drift: string[]): LeafStatus[] {
  const out = e.leaves.filter((l): l is ExpectedLeaf & { user: string } => typeof l.user === "string").map((l) => judgeLeaf(l, conns.filter((c) => c.user === l.user), drift));
  const users = new Set(e.leaves.map((l) => l.user));
  for (const c of conns.filter((x) => !users.has(x.user))) drift.push(`leaf ${c.name}: authenticated as ${c.user || "an unnamed user"}, which no member of this lattice holds: a user signed with the lattice account's key outside this synth; revoke it (at ${c.hub}, from ${c.from})`);
  return out;
}
