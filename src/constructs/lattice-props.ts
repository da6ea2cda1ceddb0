/** Props of a {@link Lattice} and its hubs. */
import type { AccountLimits } from "../nats/jwt.js";
import type { WasmCloudVersion } from "../wasmcloud/host.js";

/** One member of the hub cluster: a nats-server that leaves dial out to. */
export interface HubProps {
  /** Hub id, used in server names, unit names and certificate names; a lowercase DNS label. */
  readonly id: string;
  /**
   * DNS name or IP address leaf nodes and the other hubs dial; the hub's TLS certificate is
   * issued for it.
   */
  readonly host: string;
  /**
   * Address the client, cluster and leafnode listeners bind inside the hub's container.
   * @default "0.0.0.0"
   */
  readonly bind?: string;
  /**
   * Listener ports. Monitoring always binds 127.0.0.1.
   * @default { client: 4222, cluster: 6222, leafnode: 7422, monitor: 8222 }
   * @see https://docs.nats.io/running-a-nats-service/configuration#connectivity
   */
  readonly ports?: {
    readonly client?: number;
    readonly cluster?: number;
    readonly leafnode?: number;
    readonly monitor?: number;
  };
  /**
   * Where the hub keeps JetStream and resolver state (a volume in the container).
   * @default "/data"
   */
  readonly storeDir?: string;
  /**
   * Where the hub finds its config, operator JWT and TLS files.
   * @default "/etc/nats"
   */
  readonly configDir?: string;
  /**
   * JetStream resource limits of this server.
   * @default { maxMemory: "1Gi", maxFile: "10Gi" }
   * @see https://docs.nats.io/running-a-nats-service/configuration#jetstream
   */
  readonly jetstream?: { readonly maxMemory?: string; readonly maxFile?: string };
}

/** Props of a {@link Lattice}. */
export interface LatticeProps {
  /**
   * Lattice name: the wasmCloud v1 lattice (`WASMCLOUD_LATTICE`), the v2 host group and the
   * NATS account name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * JetStream domain of the hub cluster; hosts keep the lattice's KV buckets there.
   * @default "hub"
   * @see https://docs.nats.io/running-a-nats-service/configuration/leafnodes/jetstream_leafnodes
   */
  readonly jetstreamDomain?: string;
  /**
   * `"cluster"`: an odd number of at least 3 hubs with TLS routes, JetStream R3. `"single"`: one
   * hub for a home lab — the same operator-mode auth, TLS leafnodes and node units, standalone
   * JetStream (R1), and no fault tolerance (synth warns). Moving to `"cluster"` with 3 hubs later
   * keeps every credential (they derive from the master seed and the ids, not the hub count); move
   * JetStream data across with `tlos jetstream backup` / `restore`.
   * @default "cluster"
   * @see https://docs.nats.io/running-a-nats-service/configuration/clustering/jetstream_clustering
   */
  readonly mode?: "cluster" | "single";
  /**
   * The hub cluster: an odd number of at least 3 servers, so JetStream R3 streams keep a quorum
   * when one hub is down (exactly one in mode `"single"`).
   */
  readonly hubs: readonly HubProps[];
  /**
   * wasmCloud major version of every host in the lattice.
   * @default "v2"
   * @see https://wasmcloud.com/docs/
   */
  readonly wasmcloud?: WasmCloudVersion;
  /**
   * JWT limits of the lattice account; unset fields are unlimited (-1). Every field is always
   * written: a JWT without `subs` breaks leaf connections.
   * @default unlimited
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
   */
  readonly limits?: Partial<AccountLimits>;
  /**
   * Nodes taken out of the lattice for good (a lost or stolen machine): node id → revocation time.
   * Their leaf user keys are listed in the account JWT's `revocations`, so every credential issued
   * to them up to that time is refused — push the new account JWT to running hubs with
   * `tlos claims push`. A revoked id can never be a node of this lattice again; use a new id.
   * @default none
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt#revocations
   */
  readonly revokedNodes?: Readonly<Record<string, Date>>;
  /**
   * Days the user JWTs of renewable roles (wadm, policy responder, backup, admin, system user, AI
   * router — identities on machines the operator re-deploys) stay valid after the grid's
   * `issuedAt`. Renew by synthesizing with a later `issuedAt` and re-installing their creds.
   * Node, GPU-pool and cluster leaves never expire (they cannot renew themselves); revoke them.
   * @default undefined (no expiry)
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
   */
  readonly credentialLifetimeDays?: number;
  /**
   * Images of the hubs (and of wadm on v1 lattices).
   * @default { nats: DEFAULT_IMAGES.nats, wadm: DEFAULT_IMAGES.wadm }
   */
  readonly images?: { readonly nats?: string; readonly wadm?: string };
  /**
   * Issuers (account public keys, `A…`) whose signed components may start, besides the grid's own
   * issuer (derived from the master seed; its seed is written to `secrets/<lattice>/issuer.nk` for
   * the signing pipeline). v1: enforced by `tlos policy-responder` on `WASMCLOUD_POLICY_TOPIC`.
   * @default only the grid's own issuer
   * @see https://wasmcloud.com/docs/v1/deployment/security/policy-service
   */
  readonly trustedIssuers?: readonly string[];
  /**
   * The lattice's TLS PKI, derived from the master seed: an Ed25519 CA and one certificate per hub
   * (subject alternative name: the hub's `host`; server and client use). Same program and seed →
   * the same certificate bytes. The CA certificate reaches every member (Podman nodes, Kubernetes
   * leaves, Akash leaves) in the same synth; its key stays in the operator bundle.
   * @default { epoch: 0, validityDays: 3650 }
   * @see https://www.rfc-editor.org/rfc/rfc5280
   */
  readonly tls?: {
    /**
     * Rotation counter: raise it to derive a new CA and new hub keys (then re-install every bundle).
     * @default 0
     */
    readonly epoch?: number;
    /**
     * Validity of the CA and hub certificates, counted from the grid's `issuedAt`.
     * @default 3650
     */
    readonly validityDays?: number;
  };
  /**
   * Bring your own CA: the PEM of a CA you run yourself. Synth then derives no PKI; it hands this
   * certificate to every member and each hub's bundle expects its certificate and key from you
   * (`install.sh` names the files). Without it the seed-derived CA is used.
   * @default none (the seed-derived CA)
   */
  readonly caCertificate?: string;
  /**
   * Podman settings of the hub units; `autoUpdate` as on a node (refused on digest pins).
   * @default { version: "5.0", userNS: "auto", autoUpdate: false }
   */
  readonly podman?: { readonly version?: string; readonly userNS?: string; readonly autoUpdate?: "registry" | "local" | false };
}
