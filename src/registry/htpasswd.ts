/**
 * The registry's htpasswd files: one `user:bcrypt-hash` line per identity. CNCF distribution's
 * htpasswd backend accepts bcrypt only (golang.org/x/crypto/bcrypt: `$2a$`/`$2b$`/`$2y$`), so the
 * hash is bcrypt from bcryptjs, with its salt derived from the master seed as well: the same grid
 * and seed give byte-identical files.
 * @see https://distribution.github.io/distribution/about/configuration/#htpasswd
 */
import { createRequire } from "node:module";
import type { MasterSeed } from "../core/seed.js";

/** bcryptjs, loaded on first use (~5 ms): a grid without a Registry never needs it. */
const bcryptjs = (): typeof import("bcryptjs") => createRequire(import.meta.url)("bcryptjs") as typeof import("bcryptjs");

/** bcrypt cost: 2^10 rounds, the library's and distribution's default. */
export const BCRYPT_COST = 10;

/** One identity of the registry: its user name and its seed-derived password. */
export interface RegistryIdentity {
  readonly user: string;
  readonly password: string;
}

/** The identity `user` of the registry at construct path `scope`, derived from the seed. */
export function registryIdentity(seed: MasterSeed, scope: string, user: string): RegistryIdentity {
  return { user, password: Buffer.from(seed.derive(`registry/${scope}/user/${user}/password`, 24)).toString("base64url") };
}

/** An htpasswd file of `ids`, sorted by user, bcrypt with a seed-derived salt per user. */
export function htpasswd(seed: MasterSeed, scope: string, ids: readonly RegistryIdentity[]): string {
  const bcrypt = bcryptjs();
  const lines = [...ids].sort((a, b) => (a.user < b.user ? -1 : a.user > b.user ? 1 : 0)).map((id) => {
    const salt = `$2b$${BCRYPT_COST}$${bcrypt.encodeBase64(seed.derive(`registry/${scope}/user/${id.user}/salt`, 16), 16)}`;
    return `${id.user}:${bcrypt.hashSync(id.password, salt)}`;
  });
  return `${lines.join("\n")}\n`;
}
