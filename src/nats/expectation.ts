/**
 * What `tlos status` compares a running lattice with: the lattice's hubs, the leaves that dial in
 * with their own creds (each leaf user's public key, and the Akash lease it runs in), the JetStream
 * streams and buckets at their declared replicas, the v1 hosts with their labels and the apps wadm
 * should run, and the v2 host groups. Public (no key material): synth writes it as
 * `<lattice>/expected.json`.
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
  /** Every member that dials in with its own leaf creds. */
  readonly leaves: readonly ExpectedLeaf[];
  readonly streams: readonly { readonly name: string; readonly replicas: number }[];
  readonly kv: readonly { readonly bucket: string; readonly replicas: number }[];
  /** v1 hosts (Podman nodes): their host public key and labels, as the control interface reports them. */
  readonly hosts: readonly { readonly node: string; readonly publicKey: string; readonly labels: Readonly<Record<string, string>> }[];
  /** v1 apps wadm should run (an expected.json of an older synth has none). */
  readonly apps?: readonly ExpectedApp[];
  /** v2 host groups the declared hosts join (an expected.json of an older synth has none). */
  readonly hostGroups?: readonly ExpectedHostGroup[];
}

/** A leaf user of the lattice and what dials in with it. */
export interface ExpectedLeaf {
  readonly id: string;
  readonly kind: string;
  /** Public key of its leaf user (`U…`): the identity the hubs report (CONNZ `authorized_user`). Absent in an older synth. */
  readonly user?: string;
  /** How many leaves run with these creds (Akash replicas); 1 when absent. */
  readonly replicas?: number;
  /** Its leaves take their server name from `$HOSTNAME` (Akash), so the name is not the id. */
  readonly namedByHost?: boolean;
  /** The Akash deployment it runs in: its reviewable SDL in the synth output. */
  readonly lease?: { readonly sdl: string };
}

/** A component or provider of a v1 app, as wadm's manifest names it. */
export interface ExpectedComponent {
  readonly name: string;
  /** `component` or `capability` (a provider). */
  readonly type: string;
  readonly image: string;
}

/** A v1 app: the wadm model synth wrote, its version and the digest of what it deploys. */
export interface ExpectedApp {
  readonly name: string;
  readonly version: string;
  /** sha256 of the model's deployable parts (wasmcloud/wadm-digest.ts). */
  readonly digest: string;
  readonly components: readonly ExpectedComponent[];
}

/** A v2 host group: the members whose hosts join it (`TlosNode home-1`, `SpinKubeCluster k8s host group default`) and how many hosts in all. */
export interface ExpectedHostGroup {
  readonly group: string;
  readonly members: readonly string[];
  readonly hosts: number;
}

/** The JetStream stream name of a KV bucket. */
export const kvStream = (bucket: string): string => `KV_${bucket}`;
