/**
 * `compose.yaml` for a one-command local lattice on one machine: one hub (operator mode,
 * JetStream domain of the lattice, no TLS because nothing leaves the compose network) and every
 * node as a NATS leaf plus a wasmCloud host sharing the leaf's network namespace, as in the pod.
 * @see https://github.com/compose-spec/compose-spec/blob/main/spec.md
 */
import { TLOS_NPX } from "../core/package-version.js";
import { COMPOSE_HARDENING } from "./hardening.js";

export interface ComposeNode {
  readonly id: string;
  readonly natsImage: string;
  readonly hostImage: string;
  readonly exec: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** compose secret name of the leaf credentials. */
  readonly leafSecret: string;
  readonly leafConfFile: string;
  /** v1: env file (under secrets/, relative to the compose file) with the host's seed, so its id matches its leaf's per-host subjects. */
  readonly hostEnvFile?: string;
}

export interface ComposeInput {
  /** Compose project name (`name:`), `[a-z0-9][a-z0-9_-]*`. */
  readonly project: string;
  readonly hubImage: string;
  readonly hubConfFile: string;
  readonly operatorJwtFile: string;
  readonly nodes: readonly ComposeNode[];
  /** compose secret name → file path relative to the compose file. */
  readonly secrets: Readonly<Record<string, string>>;
  /** wasmCloud v1: wadm beside the hub, with its creds as a compose secret. */
  readonly wadm?: { readonly image: string; readonly credsSecret: string };
  /**
   * wasmCloud v1: creates the lattice's streams and buckets once with the admin creds before any
   * host starts (a host may use them, never create one).
   */
  readonly latticeInit?: { readonly image: string; readonly planFile: string; readonly credsSecret: string };
  /** wasmCloud v1: the policy responder hosts ask (without it they start nothing: fail closed). */
  readonly policy?: { readonly image: string; readonly topic: string; readonly trusted: readonly string[]; readonly credsSecret: string };
}

const HEALTH = (port: number) => ({
  test: ["CMD", "wget", "-q", "--spider", `http://127.0.0.1:${port}/healthz`],
  interval: "5s",
  retries: 12,
  start_period: "10s",
});

export function composeDocument(i: ComposeInput): Record<string, unknown> {
  const services: Record<string, unknown> = {
    hub: {
      image: i.hubImage,
      command: ["nats-server", "--config", "/etc/nats/nats-server.conf"],
      volumes: [`./${i.hubConfFile}:/etc/nats/nats-server.conf:ro`, `./${i.operatorJwtFile}:/etc/nats/operator.jwt:ro`, "hub-data:/data"],
      healthcheck: HEALTH(8222),
      read_only: true,
      ...COMPOSE_HARDENING,
    },
  };
  const volumes: Record<string, unknown> = { "hub-data": {} };
  if (i.wadm) {
    services["wadm"] = {
      image: i.wadm.image,
      environment: { WADM_NATS_SERVER: "hub:4222", WADM_NATS_CREDS_FILE: "/run/secrets/wadm.creds", WADM_STRUCTURED_LOGGING: "true" },
      secrets: [{ source: i.wadm.credsSecret, target: "/run/secrets/wadm.creds" }],
      depends_on: { hub: { condition: "service_healthy" }, ...(i.latticeInit ? { "lattice-init": { condition: "service_completed_successfully" } } : {}) },
      read_only: true,
      ...COMPOSE_HARDENING,
    };
  }
  if (i.latticeInit) {
    services["lattice-init"] = {
      image: i.latticeInit.image,
      command: [...TLOS_NPX, "lattice-init", "/etc/tlos/jetstream.json", "--server", "nats://hub:4222", "--creds", `/run/secrets/${i.latticeInit.credsSecret}`],
      environment: { HOME: "/tmp", npm_config_cache: "/tmp/.npm" },
      volumes: [`./${i.latticeInit.planFile}:/etc/tlos/jetstream.json:ro`],
      secrets: [i.latticeInit.credsSecret],
      depends_on: { hub: { condition: "service_healthy" } },
      restart: "no",
      ...COMPOSE_HARDENING,
    };
  }
  if (i.policy) {
    services["policy-responder"] = {
      image: i.policy.image,
      command: [...TLOS_NPX, "policy-responder", "--server", "nats://hub:4222", "--topic", i.policy.topic, "--trusted", i.policy.trusted.join(","), "--creds", `/run/secrets/${i.policy.credsSecret}`],
      environment: { HOME: "/tmp", npm_config_cache: "/tmp/.npm" },
      secrets: [i.policy.credsSecret],
      depends_on: { hub: { condition: "service_healthy" } },
      restart: "unless-stopped",
      // npx needs a writable HOME and npm cache: a tmpfs, the rest of the root is read-only
      read_only: true,
      tmpfs: ["/tmp"],
      ...COMPOSE_HARDENING,
    };
  }
  for (const n of i.nodes) {
    services[`${n.id}-nats`] = {
      image: n.natsImage,
      command: ["nats-server", "--config", "/etc/nats/nats-server.conf"],
      volumes: [`./${n.leafConfFile}:/etc/nats/nats-server.conf:ro`, `${n.id}-jetstream:/data`],
      secrets: [{ source: n.leafSecret, target: "/etc/nats/leaf.creds" }],
      depends_on: { hub: { condition: "service_healthy" } },
      healthcheck: HEALTH(8222),
      read_only: true,
      ...COMPOSE_HARDENING,
    };
    volumes[`${n.id}-jetstream`] = {};
    // A v1 host's stable seed comes from an env file under secrets/ (compose cannot put a secret
    // into an env var): its leaf may receive only the control subjects of that host id.
    services[`${n.id}-wasmcloud`] = {
      image: n.hostImage,
      ...(n.exec.length > 0 ? { command: [...n.exec] } : {}),
      ...(Object.keys(n.env).length > 0 ? { environment: n.env } : {}),
      ...(n.hostEnvFile ? { env_file: [n.hostEnvFile] } : {}),
      network_mode: `service:${n.id}-nats`,
      depends_on: { [`${n.id}-nats`]: { condition: "service_healthy" }, ...(i.latticeInit ? { "lattice-init": { condition: "service_completed_successfully" } } : {}) },
      // the host keeps its state in the lattice; scratch (wasmtime cache, temp files) goes to tmpfs
      read_only: true,
      tmpfs: ["/tmp"],
      ...COMPOSE_HARDENING,
    };
  }
  const secrets = Object.fromEntries(Object.keys(i.secrets).sort().map((k) => [k, { file: i.secrets[k] }]));
  return { name: i.project, services, volumes, secrets };
}
