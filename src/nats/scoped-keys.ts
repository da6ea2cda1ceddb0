/**
 * Delegation of a lattice to a team without the master seed: per team and delegated role, a
 * scoped signing key of the lattice account (a `user_scope` entry of the account JWT's
 * `signing_keys`, derived from the master seed). The team signs its members' user JWTs with it;
 * the server gives such a user exactly the role's permissions, whatever the user JWT claims, and
 * refuses users signed by any key the account JWT does not list.
 *
 * No delegated role's subjects name the member (the pool and cluster-leaf subjects are the
 * lattice's), so the templates hold no `{{name()}}`/`{{tag()}}`: the holder of a scoped key mints
 * the user JWT and would choose the name and tags itself, so a templated subject confines only
 * the team's own members from each other, never the team.
 * @see https://docs.nats.io/running-a-nats-service/nats_admin/security/jwt#scoped-signing-keys
 */
import type { MasterSeed } from "../core/seed.js";
import { creds, scopedUserJwt, type ScopedSigningKey } from "./jwt.js";
import { deriveKeyPair, type NKey } from "./keys.js";
import { aiPoolRole, kubeLeafRole, type Role } from "./roles.js";

/** Roles a lattice can delegate to a team: the GPU pool's and the Kubernetes cluster leaf's. */
export const DELEGABLE_ROLES = ["ai-pool", "k8s-leaf"] as const;
export type DelegableRole = (typeof DELEGABLE_ROLES)[number];

/** The role a delegated role id stands for, on lattice `lattice`. */
export function delegatedRole(role: DelegableRole, lattice: string): Role {
  return role === "ai-pool" ? aiPoolRole(lattice) : kubeLeafRole(lattice);
}

/** The scoped signing key of `team` for `role` on the lattice at `scope` (an account key, `A…`). */
export function scopedSigningKey(seed: MasterSeed, scope: string, team: string, role: DelegableRole): NKey {
  return deriveKeyPair(seed, "account", `${scope}/LATTICE/scoped/${team}/${role}`);
}

/** The `signing_keys` entry of a scoped key: its template is the role's permissions and connection types. */
export function scopedSigner(key: NKey, team: string, role: Role): ScopedSigningKey {
  const types = role.connection === "config" ? ["STANDARD" as const] : role.connection;
  return { key: key.getPublicKey(), role: `${team}:${role.id}`, description: `tlos: team ${team}, ${role.title}`, types, perms: role.perms ?? {} };
}

/** Leaf `.creds` of a team's member: its user key signed by the scoped key, of account `account`. */
export function scopedLeafCreds(name: string, user: NKey, signer: NKey, account: string, issuedAt: number): string {
  return creds(scopedUserJwt(name, user, signer, account, issuedAt), user);
}
