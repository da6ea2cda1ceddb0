/**
 * What `tlos status` compares a running lattice with: the lattice's hubs, the leaves that dial in
 * with their own creds, the JetStream streams and buckets at their declared replicas, and the v1
 * hosts with their labels. Public (no key material): synth writes it as `<lattice>/expected.json`.
 */

/** One hub as declared. */
export interface ExpectedHub {
  readonly id: string;
  readonly host: string;
  readonly ports: { readonly client: number; readonly cluster: number; readonly leafnode: number };
}

/** The declared state of one lattice. */
export interface LatticeExpectation {
  readonly lattice: string;
  /** Public key of the lattice's NATS account (what `/leafz` and `/jsz` name). */
  readonly account: string;
  readonly wasmcloud: "v1" | "v2";
  readonly mode: "cluster" | "single";
  readonly jetstreamDomain: string;
  readonly hubs: readonly ExpectedHub[];
  /** Every member that dials in with its own leaf creds: its id is its leaf's server name, one connection each. */
  readonly leaves: readonly { readonly id: string; readonly kind: string }[];
  readonly streams: readonly { readonly name: string; readonly replicas: number }[];
  readonly kv: readonly { readonly bucket: string; readonly replicas: number }[];
  /** v1 hosts (Podman nodes): their host public key and labels, as the control interface reports them. */
  readonly hosts: readonly { readonly node: string; readonly publicKey: string; readonly labels: Readonly<Record<string, string>> }[];
}

/** The JetStream stream name of a KV bucket. */
export const kvStream = (bucket: string): string => `KV_${bucket}`;
