/**
 * The leaf users of a lattice as its members' synths ask for them: each member's creds are made
 * shortly before its synth and dropped after it (at 10k nodes every leaf's creds, made at the
 * lattice's synth and held to the last node's, were 12 MB); only the public keys stay, for the
 * lattice's expectation written last.
 */
import type { LatticeCredentials } from "../nats/auth.js";

/** Leaf users made at a time: made together they cost less than one by one. */
const AHEAD = 256;

type LeafUser = { readonly publicKey: string; readonly creds: string };

export class LeafUsers {
  /** Leaf id → the public key of its user, as {@link take} handed it out. */
  private readonly keys = new Map<string, string>();
  /** Users made for the members that synthesize next, until asked for. */
  private readonly ahead = new Map<string, LeafUser>();

  /** Forgets everything (the credentials were made anew). */
  clear(): void {
    this.keys.clear();
    this.ahead.clear();
  }

  /**
   * The user of leaf `id` of `creds`, making it and those of the next {@link AHEAD} leaves of
   * `order()` (the members in tree order, as the synth walks them) when it is not made yet.
   */
  take(creds: LatticeCredentials, members: () => readonly string[], id: string): LeafUser | undefined {
    let user = this.ahead.get(id);
    if (!user) {
      const order = members();
      for (let i = order.indexOf(id), n = 0; i >= 0 && i < order.length && n < AHEAD; i++) {
        const next = order[i] as string;
        const u = creds.leaf(next);
        if (u) {
          this.ahead.set(next, u);
          n++;
        }
      }
      user = this.ahead.get(id) ?? creds.leaf(id);
    }
    this.ahead.delete(id);
    if (user) this.keys.set(id, user.publicKey);
    return user;
  }

  /** Leaf id → the public key of its user, for every leaf of `creds` (derived for those never taken). */
  publicKeys(creds: LatticeCredentials): Map<string, string> {
    return new Map(creds.leafIds.map((id) => [id, this.keys.get(id) ?? (creds.leafPublicKey(id) as string)]));
  }
}
