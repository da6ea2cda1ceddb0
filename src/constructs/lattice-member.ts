/** What a lattice knows of its members: their leaf secrets and how each runs in the local (compose) lattice. */

/** Anything that can sit in a lattice as a node with a NATS leaf. */
export interface LatticeMember {
  readonly id: string;
  readonly path: string;
  /** @internal How this member's host runs in a one-machine local lattice (compose). */
  _localHost(): LocalHost;
}

/** A member's leaf credentials and wasmCloud host seed (secret). */
export interface LeafSecrets {
  readonly leafCreds: string;
  /** Derived on first read: only a v1 host (or an Akash deployment) holds one. */
  readonly hostSeed: string;
}

/** {@link LeafSecrets} whose host seed is derived when first read, then kept. */
export function leafSecretsOf(leafCreds: string, deriveHostSeed: () => string): LeafSecrets {
  let seed: string | undefined;
  return {
    leafCreds,
    get hostSeed() {
      return (seed ??= deriveHostSeed());
    },
  };
}

/** A member's NATS leaf and wasmCloud host, as the local (compose) lattice runs them. */
export interface LocalHost {
  readonly natsImage: string;
  readonly hostImage: string;
  readonly exec: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** Leaf credentials file, relative to the output root. */
  readonly leafCreds: string;
}
