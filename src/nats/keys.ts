/**
 * NATS nkeys derived from the master seed. `@nats-io/nkeys` only creates random pairs, so we
 * encode a derived 32-byte seed with its own codec and load it with `fromSeed`.
 * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/auth_intro/nkey_auth
 */
import { fromSeed, Prefix, type KeyPair } from "@nats-io/nkeys";
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

/** The nkey pair for `role` and `purpose`; the same seed and purpose give the same key. */
export function deriveKeyPair(seed: MasterSeed, role: KeyRole, purpose: string): KeyPair {
  const raw = seed.derive(`nkey/${role}/${purpose}`, 32);
  return fromSeed(Codec.encodeSeed(PREFIX[role], raw));
}
