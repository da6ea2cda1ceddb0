/**
 * nats-server configurations for a lattice: hub cluster members (operator mode, full resolver,
 * JetStream domain, TLS routes and leafnode listener) and leaf nodes beside wasmCloud hosts
 * (loopback only, dialing out). Shapes follow configs that were run for real with nats-server 2.10.
 * @see https://docs.nats.io/running-a-nats-service/configuration/leafnodes
 * @see https://docs.nats.io/running-a-nats-service/configuration/resource_management/configuration_mgmt/jetstream
 */
import { Raw, type ConfMap } from "../core/natsconf.js";
import { hostPort } from "../core/names.js";

/** Listener ports of one nats-server. */
export interface HubPorts {
  /** Client port (wadm, admin tools). */
  readonly client: number;
  /** Cluster route port between hubs. */
  readonly cluster: number;
  /** Port leaf nodes dial in to. */
  readonly leafnode: number;
  /** HTTP monitoring port, always bound to loopback. */
  readonly monitor: number;
}

/** Files a server reads besides its config. */
export interface TlsFiles {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

export interface HubConfigInput {
  readonly serverName: string;
  /** Address the client, cluster and leafnode listeners bind. */
  readonly bind: string;
  readonly ports: HubPorts;
  readonly clusterName: string;
  /** `host:port` of every hub's cluster listener, this one included; empty: a standalone server. */
  readonly routes: readonly string[];
  readonly domain: string;
  readonly storeDir: string;
  readonly maxMemory: string;
  readonly maxFile: string;
  readonly operatorJwtFile: string;
  readonly systemAccount: string;
  /** Account public key → account JWT, served by the full resolver from the start. */
  readonly preload: Readonly<Record<string, string>>;
  /** TLS for routes and leafnodes; undefined only for single-host local lattices (compose). */
  readonly tls: TlsFiles | undefined;
  /**
   * `host:port` this server tells the others to dial (cluster) and leaves to fail over to
   * (leafnode). Without it nats-server gossips its IP addresses, which a certificate naming the
   * host's DNS name does not cover, so every gossiped dial fails TLS.
   * @see https://docs.nats.io/running-a-nats-service/configuration/clustering/cluster_config
   */
  readonly advertise?: { readonly cluster: string; readonly leafnode: string };
}

/** A hub cluster member in operator mode. */
export function hubConfig(i: HubConfigInput): ConfMap {
  const tls = i.tls
    ? { cert_file: i.tls.cert, key_file: i.tls.key, ca_file: i.tls.ca, verify: true, timeout: 5 }
    : undefined;
  return {
    server_name: i.serverName,
    listen: hostPort(i.bind, i.ports.client),
    http: hostPort("127.0.0.1", i.ports.monitor),
    // a CONNECT carries the user JWT; scoped role JWTs (wadm's) outgrow the 4 KiB default line
    max_control_line: new Raw("16KB"),
    operator: i.operatorJwtFile,
    system_account: i.systemAccount,
    resolver: { type: "full", dir: `${i.storeDir}/jwt`, allow_delete: false, interval: "2m" },
    resolver_preload: { ...i.preload },
    jetstream: {
      store_dir: `${i.storeDir}/jetstream`,
      max_mem: new Raw(i.maxMemory),
      max_file: new Raw(i.maxFile),
      domain: i.domain,
    },
    // no routes: a standalone server (a single-hub lattice); JetStream then runs unclustered (R1)
    cluster: i.routes.length === 0 ? undefined : {
      name: i.clusterName,
      listen: hostPort(i.bind, i.ports.cluster),
      advertise: i.advertise?.cluster,
      routes: i.routes.map((r) => new Raw(`nats-route://${r}`)),
      tls,
    },
    leafnodes: {
      listen: hostPort(i.bind, i.ports.leafnode),
      advertise: i.advertise?.leafnode,
      tls: i.tls ? { cert_file: i.tls.cert, key_file: i.tls.key, ca_file: i.tls.ca, timeout: 5 } : undefined,
    },
  };
}

export interface LeafConfigInput {
  /** A name, or `Raw("$HOSTNAME")` to take it from the environment (replicated leaves). */
  readonly serverName: string | Raw;
  /** Address the client listener binds. @default "127.0.0.1" */
  readonly listenHost?: string;
  readonly clientPort: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  /** This leaf's own JetStream domain (must differ from the hub domain); undefined: no JetStream. */
  readonly domain: string | undefined;
  readonly maxMemory: string;
  readonly maxFile: string;
  /** `host:port` of every hub's leafnode listener. */
  readonly hubs: readonly string[];
  readonly credentialsFile: string;
  /**
   * CA that signed the hubs' certificates. `undefined` dials without TLS (compose only);
   * `"system"` uses TLS verified against the system trust store (hubs with public certificates).
   */
  readonly caFile: string | undefined;
}

/**
 * A leaf beside a wasmCloud host: listens on loopback only, opens no inbound port, dials out
 * to every hub. Local clients connect without credentials and are bridged into the lattice
 * account by the leaf's user credentials.
 */
export function leafConfig(i: LeafConfigInput): ConfMap {
  const scheme = i.caFile ? "tls" : "nats-leaf";
  return {
    server_name: i.serverName,
    listen: hostPort(i.listenHost ?? "127.0.0.1", i.clientPort),
    http: hostPort("127.0.0.1", i.monitorPort),
    jetstream: i.domain === undefined ? undefined : {
      store_dir: i.storeDir,
      max_mem: new Raw(i.maxMemory),
      max_file: new Raw(i.maxFile),
      domain: i.domain,
    },
    leafnodes: {
      remotes: [
        {
          urls: i.hubs.map((h) => `${scheme}://${h}`),
          credentials: i.credentialsFile,
          tls: i.caFile === "system" ? { timeout: 5 } : i.caFile ? { ca_file: i.caFile, timeout: 5 } : undefined,
        },
      ],
    },
  };
}
