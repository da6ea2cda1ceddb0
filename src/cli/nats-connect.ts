/**
 * The one way the CLI's commands open a NATS connection: servers, an optional `.creds` file and
 * optional TLS files, loaded lazily so `tlos --help` and `tlos synth` never load the client.
 */
import { readFileSync } from "node:fs";
import type { ConnectionOptions, NatsConnection } from "@nats-io/transport-node";

export interface NatsTarget {
  /** Server URLs, e.g. `nats://127.0.0.1:4222`. */
  readonly servers: readonly string[];
  /** `.creds` file of the connecting user. @default none (no auth) */
  readonly credsFile?: string;
  /** TLS client certificate, key and CA files. @default none */
  readonly tls?: { readonly certFile?: string; readonly keyFile?: string; readonly caFile?: string };
}

export async function connectNats(t: NatsTarget, name: string, extra: Partial<ConnectionOptions> = {}): Promise<NatsConnection> {
  const { connect, credsAuthenticator } = await import("@nats-io/transport-node");
  return connect({
    servers: [...t.servers],
    name,
    ...(t.credsFile ? { authenticator: credsAuthenticator(readFileSync(t.credsFile)) } : {}),
    ...(t.tls ? { tls: { ...t.tls } } : {}),
    ...extra,
  });
}
