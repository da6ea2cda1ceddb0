/**
 * NATS nkeys derived from the master seed. `@nats-io/nkeys` creates only random pairs and signs
 * with tweetnacl (pure JS: ~3 ms per key operation, which dominated synth time). We derive a
 * 32-byte seed with HKDF, encode it with the package's own codec, and sign with Node's native
 * Ed25519 — the same deterministic signatures, about 50× faster. The raw seed is imported as a
 * JWK (`{kty: "OKP", crv: "Ed25519", d}`), not as PKCS#8 DER: OpenSSL's DER decoder cost ~1.3 ms
 * per key, the JWK path ~0.1 ms, with identical keys and signatures (a test compares both).
 * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/nkey_auth
 */
import { createPrivateKey, sign, type KeyObject } from "node:crypto";
import { Prefix } from "@nats-io/nkeys";
// The codec is not re-exported from the package root; the package has no exports map.
import { Codec } from "@nats-io/nkeys/lib/codec.js";
import type { MasterSeed } from "../core/seed.js";

/** Key roles we derive: operator `O`, account `A`, user `U`, server/host `N`. */
export type KeyRole = "operator" | "account" | "user" | "server";

const PREFIX: Record<KeyRole, Prefix> = {
  operator: Prefix.Operator,
  account: Prefix.Account,
  user: Prefix.User,
  server: Prefix.Server,
};

const dec = new TextDecoder();

/**
 * The Ed25519 private key of a 32-byte seed. Node builds a private OKP key from `d` alone; `x`
 * must be a string but is not used (the public key is derived from `d`).
 */
export function ed25519PrivateKey(raw: Uint8Array): KeyObject {
  return createPrivateKey({ key: { kty: "OKP", crv: "Ed25519", d: Buffer.from(raw).toString("base64url"), x: "" }, format: "jwk" });
}

/** An Ed25519 nkey pair: public key `O…/A…/U…/N…`, seed `S…`, signing. */
export class NKey {
  private readonly key: KeyObject;
  private readonly pub: string;
  private readonly seed: Uint8Array;

  constructor(role: KeyRole, raw: Uint8Array) {
    if (raw.length !== 32) throw new RangeError("an nkey seed has 32 bytes");
    this.key = ed25519PrivateKey(raw);
    // the private key's JWK holds its public key `x`: one export, no public KeyObject
    const x = this.key.export({ format: "jwk" }).x as string;
    this.pub = dec.decode(Codec.encode(PREFIX[role], new Uint8Array(Buffer.from(x, "base64url"))));
    this.seed = Codec.encodeSeed(PREFIX[role], raw);
  }

  /** The public key, e.g. `UABC…`. */
  getPublicKey(): string {
    return this.pub;
  }

  /** The encoded seed, e.g. `SUABC…` (secret). */
  getSeed(): Uint8Array {
    return this.seed;
  }

  /** Ed25519 signature of `data`. */
  sign(data: Uint8Array): Uint8Array {
    return new Uint8Array(sign(null, data, this.key));
  }
}

/** The nkey for `role` and `purpose`; the same seed and purpose give the same key. */
export function deriveKeyPair(seed: MasterSeed, role: KeyRole, purpose: string): NKey {
  return new NKey(role, seed.derive(`nkey/${role}/${purpose}`, 32));
}

/**
 * The encoded seed (`S…`, secret) of {@link deriveKeyPair}'s key for the same role and purpose,
 * without its Ed25519 key: for a seed handed on (a host seed) that this process never signs with.
 */
export function deriveSeed(seed: MasterSeed, role: KeyRole, purpose: string): string {
  return dec.decode(Codec.encodeSeed(PREFIX[role], seed.derive(`nkey/${role}/${purpose}`, 32)));
}

/** The nkey of an encoded seed (`SA…`, `SU…`, …); throws a RangeError for anything else. */
export function nkeyFromSeed(seed: string): NKey {
  let decoded: { prefix: Prefix; buf: Uint8Array };
  try {
    decoded = Codec.decodeSeed(new TextEncoder().encode(seed));
  } catch {
    throw new RangeError("not an nkey seed");
  }
  const role = (Object.keys(PREFIX) as KeyRole[]).find((r) => PREFIX[r] === decoded.prefix);
  if (!role) throw new RangeError("not an operator, account, user or server seed");
  return new NKey(role, decoded.buf);
}
