/**
 * End-to-end sealing of `system:ai` prompts and results with NATS xkeys (curve25519 +
 * xsalsa20-poly1305 boxes, `@nats-io/nkeys`). A box is opened only by its recipient and proves
 * its sender: the requester seals the prompt once per recipient it accepts (the pools serving the
 * model; the router's gateway key only when it accepts a hosted fallback), and whoever answers
 * seals the result to the requester's key. Hubs, relays and the router carry only ciphertext.
 * @see https://github.com/nats-io/nkeys.js#xkeys
 */
import { fromCurveSeed, type KeyPair } from "@nats-io/nkeys";
import { Prefix } from "@nats-io/nkeys";
// The codec is not re-exported from the package root (see src/nats/keys.ts).
import { Codec } from "@nats-io/nkeys/lib/codec.js";
import type { MasterSeed } from "../core/seed.js";

export type XKey = KeyPair;

/** An xkey public key: `X` and 55 base32 characters. */
export const XKEY_PUBLIC = /^X[A-Z2-7]{55}$/;

/** The curve key of `purpose` (a pool, a router), stable for the same master seed. */
export function deriveXKey(seed: MasterSeed, purpose: string): XKey {
  return fromCurveSeed(Codec.encodeSeed(Prefix.Curve, seed.derive(`xkey/${purpose}`, 32)));
}

/** The curve key in an encoded seed (`SX…`), e.g. from a secret file. */
export function xkeyFromSeed(seed: string): XKey {
  return fromCurveSeed(new TextEncoder().encode(seed.trim()));
}

/** The encoded seed `SX…` of a key (secret). */
export function xkeySeed(k: XKey): string {
  return new TextDecoder().decode(k.getSeed());
}

/** Seals `value` (as JSON) from `sender` to each recipient: recipient public key → base64 box. */
export function sealJson(sender: XKey, recipients: readonly string[], value: unknown): Record<string, string> {
  const data = new TextEncoder().encode(JSON.stringify(value));
  return Object.fromEntries([...new Set(recipients)].sort().map((r) => [r, Buffer.from(sender.seal(data, r)).toString("base64")]));
}

/** Opens a base64 box from `senderPublic`; undefined when it is not for this key or was altered. */
export function openJson(recipient: XKey, senderPublic: string, box: string): unknown {
  if (!XKEY_PUBLIC.test(senderPublic)) return undefined;
  try {
    const plain = recipient.open(Buffer.from(box, "base64"), senderPublic);
    return plain ? JSON.parse(new TextDecoder().decode(plain)) : undefined;
  } catch {
    return undefined;
  }
}
