/**
 * The two services every Akash deployment of a grid carries: a NATS leaf (dials out to the
 * lattice hubs over TLS; reachable only by the host service inside the deployment; config and
 * credentials passed as base64 env because SDL has no file mounts) and a wasmCloud host.
 * Replicas take their server name from `$HOSTNAME`; the leaves run without JetStream (hosts keep
 * their buckets in the hub domain).
 */
import { renderNatsConf, Raw } from "../core/natsconf.js";
import { leafConfig } from "../nats/config.js";
import { hostLaunch, type WasmCloudVersion } from "../wasmcloud/host.js";
import type { SdlService } from "./sdl.js";

export const SECRET_PLACEHOLDER = (what: string) => `<secret:${what}>`;

export interface LatticeServicesInput {
  readonly prefix: string;
  readonly lattice: string;
  readonly jsDomain: string;
  readonly wasmcloud: WasmCloudVersion;
  readonly hubs: readonly string[];
  readonly natsImage: string;
  readonly hostImage: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly policyTopic: string;
  /** PEM of the lattice CA, or undefined to verify hubs against the system trust store. */
  readonly caPem: string | undefined;
  /** Leaf creds, or undefined to write a placeholder (the reviewable SDL). */
  readonly leafCreds: string | undefined;
  /** v1 host seed, or undefined for a placeholder. */
  readonly hostSeed: string | undefined;
  /** Extra env for the host, e.g. where the inference server is. */
  readonly hostEnv?: Readonly<Record<string, string>>;
  /** Other services of the deployment that connect to the leaf (the pool's AI service). @default none */
  readonly natsClients?: readonly string[];
}

const b64 = (s: string) => Buffer.from(s).toString("base64");

const LEAF_SCRIPT = [
  "set -e",
  'export HOSTNAME="${HOSTNAME:-$(hostname)}"',
  'echo "$NATS_CONFIG_B64" | base64 -d > /tmp/nats.conf',
  'echo "$NATS_CREDS_B64" | base64 -d > /tmp/leaf.creds',
  'if [ -n "$NATS_CA_B64" ]; then echo "$NATS_CA_B64" | base64 -d > /tmp/ca.pem; fi',
  "exec nats-server -c /tmp/nats.conf",
].join("; ");

export function latticeServices(i: LatticeServicesInput): Record<string, SdlService> {
  const nats = `${i.prefix}-nats`;
  const host = `${i.prefix}-host`;
  const conf = renderNatsConf(
    leafConfig({
      serverName: new Raw("$HOSTNAME"),
      listenHost: "0.0.0.0",
      clientPort: 4222,
      monitorPort: 8222,
      storeDir: "/tmp",
      domain: undefined,
      maxMemory: "0",
      maxFile: "0",
      hubs: i.hubs,
      credentialsFile: "/tmp/leaf.creds",
      caFile: i.caPem ? "/tmp/ca.pem" : "system",
    }),
  );
  const launch = hostLaunch({ version: i.wasmcloud, lattice: i.lattice, hostName: i.prefix, natsPort: 4222, jsDomain: i.jsDomain, labels: i.labels, policyTopic: i.policyTopic });
  const natsUrl = `nats://${nats}:4222`;
  const exec = launch.exec.map((a) => (a === "nats://127.0.0.1:4222" ? natsUrl : a));
  const env: Record<string, string> = { ...launch.env, ...(i.hostEnv ?? {}) };
  if (i.wasmcloud === "v1") {
    env["WASMCLOUD_NATS_HOST"] = nats;
    env["WASMCLOUD_HOST_SEED"] = i.hostSeed ?? SECRET_PLACEHOLDER("host-seed");
  }
  return {
    [nats]: {
      image: i.natsImage,
      command: ["sh", "-c", LEAF_SCRIPT],
      env: [
        `NATS_CONFIG_B64=${b64(conf)}`,
        `NATS_CREDS_B64=${i.leafCreds ? b64(i.leafCreds) : SECRET_PLACEHOLDER("leaf-creds")}`,
        ...(i.caPem ? [`NATS_CA_B64=${b64(i.caPem)}`] : []),
      ],
      expose: [{ port: 4222, proto: "TCP", to: [...(i.natsClients ?? []).map((service) => ({ service })), { service: host }] }],
    },
    [host]: {
      image: i.hostImage,
      ...(exec.length > 0 ? { args: exec } : {}),
      ...(Object.keys(env).length > 0 ? { env: Object.keys(env).sort().map((k) => `${k}=${env[k]}`) } : {}),
    },
  };
}
