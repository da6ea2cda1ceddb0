/**
 * Operator-mode JWTs (claims version 2) for a lattice, encoded deterministically.
 * `@nats-io/jwt` stamps `iat` with the clock, which would change every synth; we build the same
 * claims with a fixed `iat` and sign them with the nkey, as the library does.
 * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
 */
import { createHash } from "node:crypto";
import type { NKey as KeyPair } from "./keys.js";

/** Account limits; -1 means unlimited. Every field is always written (a missing `subs` breaks leaf connections). */
export interface AccountLimits {
  subs: number; data: number; payload: number; imports: number; exports: number;
  wildcards: boolean; conn: number; leaf: number;
  mem_storage: number; disk_storage: number; streams: number; consumer: number;
  max_ack_pending: number; mem_max_stream_bytes: number; disk_max_stream_bytes: number; max_bytes_required: boolean;
}

export const UNLIMITED_ACCOUNT: AccountLimits = {
  subs: -1, data: -1, payload: -1, imports: -1, exports: -1, wildcards: true, conn: -1, leaf: -1,
  mem_storage: -1, disk_storage: -1, streams: -1, consumer: -1,
  max_ack_pending: -1, mem_max_stream_bytes: -1, disk_max_stream_bytes: -1, max_bytes_required: false,
};

/** The system account: no JetStream (nats-server refuses to start when SYS has JetStream limits). */
export const SYSTEM_ACCOUNT: AccountLimits = {
  ...UNLIMITED_ACCOUNT,
  mem_storage: 0, disk_storage: 0, streams: 0, consumer: 0,
  max_ack_pending: 0, mem_max_stream_bytes: 0, disk_max_stream_bytes: 0,
};

/** Connection types a user may use. @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro */
export type ConnectionType = "STANDARD" | "LEAFNODE" | "WEBSOCKET" | "MQTT";

const HEADER = Buffer.from(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" })).toString("base64url");

function encode(claims: Record<string, unknown>, signer: KeyPair, iat: number): string {
  if ("jti" in claims || "iat" in claims || "iss" in claims) throw new Error("internal: a JWT's claims set their own iat, iss or jti");
  // `jti` is the SHA-512 of the claims before it; it comes last, so the claims' JSON is written once
  const head = JSON.stringify({ ...claims, iat, iss: signer.getPublicKey() });
  const jti = createHash("sha512").update(head).digest("base64");
  const body = `${head.slice(0, -1)},"jti":${JSON.stringify(jti)}}`;
  const payload = `${HEADER}.${Buffer.from(body).toString("base64url")}`;
  return `${payload}.${Buffer.from(signer.sign(Buffer.from(payload))).toString("base64url")}`;
}

/** Self-signed operator JWT. */
export function operatorJwt(name: string, op: KeyPair, systemAccount: string, iat: number): string {
  return encode({ name, sub: op.getPublicKey(), nats: { type: "operator", version: 2, system_account: systemAccount } }, op, iat);
}

/**
 * A scoped signing key of an account (`signing_keys` entry of kind `user_scope`, nats-server ≥ 2.9):
 * a user JWT it signs gets exactly `template`'s permissions and limits; the server refuses such a
 * user JWT if it sets any permission or limit of its own.
 * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/jwt#signing-keys
 */
export interface ScopedSigningKey {
  /** The signing key's public key (`A…`). */
  readonly key: string;
  /** A name for the scope (free text in the JWT), e.g. `ml:ai-pool`. */
  readonly role: string;
  readonly description: string;
  readonly types: readonly ConnectionType[];
  readonly perms: UserPermissions;
}

/**
 * Account JWT signed by the operator. `revocations` maps a user public key to a time (seconds):
 * the server refuses that user's JWTs issued at or before it. `signingKeys`: scoped keys that may
 * sign users of this account (each with its fixed permissions).
 */
export function accountJwt(name: string, acct: KeyPair, op: KeyPair, limits: AccountLimits, iat: number, revocations: Readonly<Record<string, number>> = {}, signingKeys: readonly ScopedSigningKey[] = []): string {
  const revoked = Object.keys(revocations).sort();
  return encode(
    {
      name,
      sub: acct.getPublicKey(),
      nats: {
        type: "account", version: 2,
        limits: { ...limits },
        default_permissions: { pub: {}, sub: {} },
        ...(revoked.length > 0 ? { revocations: Object.fromEntries(revoked.map((k) => [k, revocations[k]])) } : {}),
        ...(signingKeys.length > 0 ? {
          signing_keys: [...signingKeys].sort((a, b) => (a.key < b.key ? -1 : 1)).map((k) => ({
            kind: "user_scope", key: k.key, role: k.role, description: k.description, template: userLimits(k.types, k.perms),
          })),
        } : {}),
      },
    },
    op,
    iat,
  );
}

/**
 * What a user may publish and subscribe to; absent lists mean unrestricted. `resp` lets a
 * responder publish only replies to requests it received (`allow_responses`).
 * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/authorization
 */
export interface UserPermissions {
  readonly pub?: readonly string[];
  readonly sub?: readonly string[];
  readonly pubDeny?: readonly string[];
  readonly subDeny?: readonly string[];
  /** Replies allowed per request received (`max`) within `ttlSeconds`. */
  readonly resp?: { readonly max: number; readonly ttlSeconds: number };
}

const list = (allow?: readonly string[], deny?: readonly string[]) => ({
  ...(allow ? { allow: [...allow] } : {}),
  ...(deny && deny.length > 0 ? { deny: [...deny] } : {}),
});

/**
 * User JWT signed by its account, limited to the given connection types and permissions.
 * `expires` (seconds since the epoch) makes it refused from then on (`exp`).
 */
export function userJwt(name: string, user: KeyPair, acct: KeyPair, types: readonly ConnectionType[], iat: number, perms: UserPermissions = {}, expires?: number): string {
  return encode(
    {
      name,
      sub: user.getPublicKey(),
      ...(expires !== undefined ? { exp: expires } : {}),
      nats: { type: "user", version: 2, ...userLimits(types, perms) },
    },
    acct,
    iat,
  );
}

/** A user's permissions and limits as the JWT spells them (a user claim, or a scope's template). */
function userLimits(types: readonly ConnectionType[], perms: UserPermissions): Record<string, unknown> {
  return {
    pub: list(perms.pub, perms.pubDeny),
    sub: list(perms.sub, perms.subDeny),
    // resp.ttl is a Go duration in nanoseconds in the JWT
    ...(perms.resp ? { resp: { max: perms.resp.max, ttl: perms.resp.ttlSeconds * 1e9 } } : {}),
    subs: -1, data: -1, payload: -1,
    allowed_connection_types: [...types],
  };
}

/**
 * User JWT signed by a scoped signing key `signer` of account `account` (`issuer_account`): it
 * sets no permission or limit (the server would refuse it), so the scope's template decides all.
 */
export function scopedUserJwt(name: string, user: KeyPair, signer: KeyPair, account: string, iat: number): string {
  return encode({ name, sub: user.getPublicKey(), nats: { type: "user", version: 2, issuer_account: account } }, signer, iat);
}

/** A `.creds` file: the user JWT and its seed, in the format nats clients and servers parse. */
export function creds(jwt: string, user: KeyPair): string {
  const seed = new TextDecoder().decode(user.getSeed());
  return [
    "-----BEGIN NATS USER JWT-----", jwt, "------END NATS USER JWT------", "",
    "************************* IMPORTANT *************************",
    "NKEY Seed printed below can be used to sign and prove identity.",
    "NKEYs are sensitive and should be treated as secrets.", "",
    "-----BEGIN USER NKEY SEED-----", seed, "------END USER NKEY SEED------", "",
    "*************************************************************", "",
  ].join("\n");
}
