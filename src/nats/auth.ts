/**
 * The credentials of a lattice in NATS operator mode: an operator, the system account, the
 * lattice account (with every JWT limit filled in) and one leaf user per node. Everything is
 * derived from the master seed, so it is stable across synths.
 */
import type { MasterSeed } from "../core/seed.js";
import { deriveKeyPair, deriveSeed } from "./keys.js";
import { accountJwt, creds, operatorJwt, userJwt, UNLIMITED_ACCOUNT, SYSTEM_ACCOUNT, type AccountLimits, type ConnectionType } from "./jwt.js";
import { sysRole, type Role } from "./roles.js";
import { delegatedRole, scopedSigner, scopedSigningKey, type DelegableRole } from "./scoped-keys.js";

export interface LatticeCredentials {
  readonly operator: { readonly publicKey: string; readonly jwt: string };
  readonly system: { readonly publicKey: string; readonly jwt: string; readonly creds: string };
  readonly account: { readonly publicKey: string; readonly jwt: string };
  /** Ids of everything that dials in with its own leaf user, sorted. */
  readonly leafIds: readonly string[];
  /**
   * The leaf user of `id`: its public key and `.creds` (secret), signed on each call and not kept
   * (at 10k nodes every leaf's creds held from the lattice's synth to the last node's were 12 MB);
   * undefined for an id that holds no leaf.
   */
  leaf(id: string): { readonly publicKey: string; readonly creds: string } | undefined;
  /** The public key of `id`'s leaf user, without signing its creds; undefined as for {@link leaf}. */
  leafPublicKey(id: string): string | undefined;
  /** Team → delegated role → its scoped signing key (the seed is secret; the account JWT lists the public key). */
  readonly teams: ReadonlyMap<string, ReadonlyMap<DelegableRole, { readonly publicKey: string; readonly seed: string }>>;
}

export interface LatticeCredentialsInput {
  /** Construct path of the lattice: the derivation scope, so two lattices never share keys. */
  readonly scope: string;
  readonly name: string;
  /** Everything that dials in with its own leaf user: id → its role (least privilege), asked when its user is made. */
  readonly leaves: ReadonlyMap<string, () => Role>;
  readonly limits: Partial<AccountLimits>;
  /** Issued-at of every JWT (seconds since the epoch); fixed so output is stable. */
  readonly issuedAt: number;
  /** Revoked node id → revocation time (seconds since the epoch). @default none */
  readonly revokedNodes?: Readonly<Record<string, number>>;
  /** Lifetime (seconds) of the JWTs of renewable roles; undefined: they do not expire. */
  readonly renewableLifetime?: number;
  /** Team → the roles delegated to it, each through its own scoped signing key. @default none */
  readonly teams?: Readonly<Record<string, readonly DelegableRole[]>>;
}

/** `exp` of a role's JWT: only renewable roles expire, `lifetime` seconds after `iat`. */
export function roleExpiry(role: Role, iat: number, lifetime: number | undefined): number | undefined {
  return role.renewable && lifetime !== undefined ? iat + lifetime : undefined;
}

const connTypes = (r: Role): ConnectionType[] => (r.connection === "config" ? ["STANDARD"] : [...r.connection]);

function leafKey(seed: MasterSeed, scope: string, id: string) {
  return deriveKeyPair(seed, "user", `${scope}/LATTICE/leaf/${id}`);
}

export function latticeCredentials(seed: MasterSeed, i: LatticeCredentialsInput): LatticeCredentials {
  const op = deriveKeyPair(seed, "operator", `${i.scope}/operator`);
  const sys = deriveKeyPair(seed, "account", `${i.scope}/SYS`);
  const acct = deriveKeyPair(seed, "account", `${i.scope}/LATTICE`);
  const sysUser = deriveKeyPair(seed, "user", `${i.scope}/SYS/admin`);
  const opJwt = operatorJwt(`${i.name}-operator`, op, sys.getPublicKey(), i.issuedAt);
  const sysJwt = accountJwt("SYS", sys, op, SYSTEM_ACCOUNT, i.issuedAt);
  const revoked = Object.entries(i.revokedNodes ?? {}).map(([id, at]) => [leafKey(seed, i.scope, id).getPublicKey(), at] as const);
  // a revocation is news to the hubs' full resolver only in a JWT issued no earlier than the one it holds
  const latIat = Math.max(i.issuedAt, ...revoked.map(([, at]) => at));
  const teams = new Map<string, Map<DelegableRole, { publicKey: string; seed: string }>>();
  const signers = Object.keys(i.teams ?? {}).sort().flatMap((team) => [...new Set(i.teams![team])].sort().map((r) => {
    const k = scopedSigningKey(seed, i.scope, team, r);
    if (!teams.has(team)) teams.set(team, new Map());
    teams.get(team)!.set(r, { publicKey: k.getPublicKey(), seed: new TextDecoder().decode(k.getSeed()) });
    return scopedSigner(k, team, delegatedRole(r, i.name));
  }));
  const latJwt = accountJwt(i.name, acct, op, { ...UNLIMITED_ACCOUNT, ...i.limits }, latIat, Object.fromEntries(revoked), signers);
  const leaf = (id: string) => {
    const role = i.leaves.get(id)?.();
    if (!role) return undefined;
    const u = leafKey(seed, i.scope, id);
    return { publicKey: u.getPublicKey(), creds: creds(userJwt(`leaf-${id}`, u, acct, connTypes(role), i.issuedAt, role.perms), u) };
  };
  const sysR = sysRole();
  return {
    operator: { publicKey: op.getPublicKey(), jwt: opJwt },
    system: {
      publicKey: sys.getPublicKey(),
      jwt: sysJwt,
      creds: creds(userJwt("sys-admin", sysUser, sys, connTypes(sysR), i.issuedAt, sysR.perms, roleExpiry(sysR, i.issuedAt, i.renewableLifetime)), sysUser),
    },
    account: { publicKey: acct.getPublicKey(), jwt: latJwt },
    leafIds: [...i.leaves.keys()].sort(),
    leaf,
    leafPublicKey: (id) => (i.leaves.has(id) ? leafKey(seed, i.scope, id).getPublicKey() : undefined),
    teams,
  };
}

/**
 * A client user of the lattice account (wadm, an admin, the policy responder, a backup job) with
 * the permissions of its role, derived like the others. Renewable roles expire `lifetime` seconds
 * after `issuedAt` when a lifetime is given (re-synth with a later `issuedAt` to renew).
 */
export function latticeClientCreds(seed: MasterSeed, scope: string, name: string, issuedAt: number, role: Role, lifetime?: number): string {
  const acct = deriveKeyPair(seed, "account", `${scope}/LATTICE`);
  const u = deriveKeyPair(seed, "user", `${scope}/LATTICE/client/${name}`);
  return creds(userJwt(name, u, acct, connTypes(role), issuedAt, role.perms, roleExpiry(role, issuedAt, lifetime)), u);
}

/** The v1 host key of a node (`N…`; its public key is the host id), derived from the master seed. */
export function hostKeyPair(seed: MasterSeed, latticePath: string, nodeId: string) {
  return deriveKeyPair(seed, "server", `${latticePath}/host/${nodeId}`);
}

/** The v1 host seed of a node (`SN…`, secret): {@link hostKeyPair}'s seed, without deriving its key. */
export function hostSeed(seed: MasterSeed, latticePath: string, nodeId: string): string {
  return deriveSeed(seed, "server", `${latticePath}/host/${nodeId}`);
}

/** The grid's component-signing issuer (an account key, as wascap wants) for a lattice. */
export function issuerKey(seed: MasterSeed, scope: string): { publicKey: string; seed: string } {
  const k = deriveKeyPair(seed, "account", `${scope}/issuer`);
  return { publicKey: k.getPublicKey(), seed: new TextDecoder().decode(k.getSeed()) };
}
