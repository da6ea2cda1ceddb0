/**
 * The credentials of a lattice in NATS operator mode: an operator, the system account, the
 * lattice account (with every JWT limit filled in) and one leaf user per node. Everything is
 * derived from the master seed, so it is stable across synths.
 */
import type { MasterSeed } from "../core/seed.js";
import { deriveKeyPair } from "./keys.js";
import { accountJwt, creds, operatorJwt, userJwt, UNLIMITED_ACCOUNT, SYSTEM_ACCOUNT, type AccountLimits, type UserPermissions } from "./jwt.js";

export interface LatticeCredentials {
  readonly operator: { readonly publicKey: string; readonly jwt: string };
  readonly system: { readonly publicKey: string; readonly jwt: string; readonly creds: string };
  readonly account: { readonly publicKey: string; readonly jwt: string };
  /** Node id → leaf `.creds` (secret). */
  readonly leaves: ReadonlyMap<string, { readonly publicKey: string; readonly creds: string }>;
}

export interface LatticeCredentialsInput {
  /** Construct path of the lattice: the derivation scope, so two lattices never share keys. */
  readonly scope: string;
  readonly name: string;
  readonly nodeIds: readonly string[];
  readonly limits: Partial<AccountLimits>;
  /** Issued-at of every JWT (seconds since the epoch); fixed so output is stable. */
  readonly issuedAt: number;
  /** Revoked node id → revocation time (seconds since the epoch). @default none */
  readonly revokedNodes?: Readonly<Record<string, number>>;
}

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
  const latJwt = accountJwt(i.name, acct, op, { ...UNLIMITED_ACCOUNT, ...i.limits }, latIat, Object.fromEntries(revoked));
  const leaves = new Map<string, { publicKey: string; creds: string }>();
  for (const id of [...i.nodeIds].sort()) {
    const u = leafKey(seed, i.scope, id);
    leaves.set(id, { publicKey: u.getPublicKey(), creds: creds(userJwt(`leaf-${id}`, u, acct, ["LEAFNODE"], i.issuedAt), u) });
  }
  return {
    operator: { publicKey: op.getPublicKey(), jwt: opJwt },
    system: {
      publicKey: sys.getPublicKey(),
      jwt: sysJwt,
      creds: creds(userJwt("sys-admin", sysUser, sys, ["STANDARD"], i.issuedAt), sysUser),
    },
    account: { publicKey: acct.getPublicKey(), jwt: latJwt },
    leaves,
  };
}

/** A client user of the lattice account (wadm, an admin, the policy responder), derived like the others. */
export function latticeClientCreds(seed: MasterSeed, scope: string, name: string, issuedAt: number, perms: UserPermissions = {}): string {
  const acct = deriveKeyPair(seed, "account", `${scope}/LATTICE`);
  const u = deriveKeyPair(seed, "user", `${scope}/LATTICE/client/${name}`);
  return creds(userJwt(name, u, acct, ["STANDARD"], issuedAt, perms), u);
}

/** The grid's component-signing issuer (an account key, as wascap wants) for a lattice. */
export function issuerKey(seed: MasterSeed, scope: string): { publicKey: string; seed: string } {
  const k = deriveKeyPair(seed, "account", `${scope}/issuer`);
  return { publicKey: k.getPublicKey(), seed: new TextDecoder().decode(k.getSeed()) };
}
