/**
 * How a wasmCloud host is started beside its NATS leaf (same network namespace, so the leaf is
 * at 127.0.0.1). v2 runs `wash host`; v1.9 runs the `wasmcloud` binary configured through env.
 * @see https://github.com/wasmCloud/wasmCloud/blob/main/crates/wash/src/cli/host.rs (v2)
 * @see https://github.com/wasmCloud/wasmCloud/blob/release-1.9.x/src/main.rs (v1 env names)
 */

/** wasmCloud major versions a grid can target. */
export type WasmCloudVersion = "v1" | "v2";
export const WASMCLOUD_VERSIONS: readonly WasmCloudVersion[] = ["v1", "v2"];

export interface HostInput {
  readonly version: WasmCloudVersion;
  /** Lattice name (v1 `WASMCLOUD_LATTICE`) and v2 host group. */
  readonly lattice: string;
  readonly hostName: string;
  /** NATS client port of the leaf on 127.0.0.1. */
  readonly natsPort: number;
  /** JetStream domain where the lattice's KV buckets live (the hub domain). */
  readonly jsDomain: string;
  readonly labels: Readonly<Record<string, string>>;
  /** v1: subject of the policy service that admits only signed components (fail-closed). */
  readonly policyTopic: string;
}

/** Command line, environment and secret env of the host container. */
export interface HostLaunch {
  readonly exec: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  /** env var → secret role; the caller maps roles to secret names. */
  readonly secretEnv: Readonly<Record<string, "host-seed">>;
}

/**
 * The host group a v2 host joins: `labels.hostgroup`, else the lattice name. It is the only label
 * a v2 host advertises (`--host-group` becomes label `hostgroup`; washlet/mod.rs, v2.7.0), so it is
 * how a TlosNode's labels reach a v2 host; the other labels stay Podman labels.
 */
export function v2HostGroup(labels: Readonly<Record<string, string>>, lattice: string): string {
  return labels["hostgroup"] ?? lattice;
}

export function hostLaunch(i: HostInput): HostLaunch {
  const nats = `nats://127.0.0.1:${i.natsPort}`;
  if (i.version === "v2") {
    return {
      exec: ["host", "--host-group", v2HostGroup(i.labels, i.lattice), "--host-name", i.hostName, "--scheduler-nats-url", nats, "--data-nats-url", nats],
      env: {},
      secretEnv: {},
    };
  }
  const env: Record<string, string> = {
    WASMCLOUD_LATTICE: i.lattice,
    WASMCLOUD_NATS_HOST: "127.0.0.1",
    WASMCLOUD_NATS_PORT: String(i.natsPort),
    WASMCLOUD_JS_DOMAIN: i.jsDomain,
    WASMCLOUD_POLICY_TOPIC: i.policyTopic,
    WASMCLOUD_STRUCTURED_LOGGING_ENABLED: "true",
    WASMCLOUD_OCI_ALLOW_LATEST: "false",
    WASMCLOUD_ALLOW_FILE_LOAD: "false",
  };
  for (const [k, v] of Object.entries(i.labels)) env[`WASMCLOUD_LABEL_${k}`] = v;
  return { exec: [], env, secretEnv: { WASMCLOUD_HOST_SEED: "host-seed" } };
}
