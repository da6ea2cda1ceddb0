/**
 * A Registry resolved: what every registry document (distribution config, Quadlet units, host
 * pull settings) is built from. Plain values only.
 */

/** Where the blobs live: a Podman volume, or an S3 bucket (R2 or another S3 store). */
export type RegistryStorage =
  | { readonly driver: "volume" }
  | { readonly driver: "s3"; readonly endpoint: string; readonly bucket: string; readonly region: string; readonly rootDirectory: string };

export interface RegistrySpec {
  /** Construct id: names units, volumes and Podman secrets (`tlos-<id>-…`). */
  readonly id: string;
  readonly latticeName: string;
  /** The machine it runs on (its bundle `hosts/<host>/`). */
  readonly host: string;
  /** DNS name or IP address clients reach it at (also the certificate's name). */
  readonly address: string;
  /** Hosts pull here (read-only instance); pipelines push to `push`. */
  readonly ports: { readonly pull: number; readonly push: number };
  /** Bind address of both listeners on the machine. */
  readonly bindIp: string;
  readonly image: string;
  readonly storage: RegistryStorage;
  /** systemd `OnCalendar` of the weekly garbage collection. */
  readonly gcCalendar: string;
  /** Upstream registries whose images hosts pull through this one (`docker.io`, `ghcr.io`, …). */
  readonly mirrors: readonly string[];
}

/** The two instances: `pull` (read-only storage, host identities) and `push` (the pipeline identity). */
export type RegistryRole = "pull" | "push";

/** `host:port` of an instance, as clients name it. */
export function registryEndpoint(s: Pick<RegistrySpec, "address" | "ports">, role: RegistryRole): string {
  const host = s.address.includes(":") ? `[${s.address}]` : s.address;
  return `${host}:${s.ports[role]}`;
}

/** Paths inside the registry container. */
export const REGISTRY_PATHS = {
  config: "/etc/docker/registry/config.yml",
  htpasswd: "/etc/docker/registry/htpasswd",
  cert: "/etc/docker/registry/tls/cert.pem",
  key: "/etc/docker/registry/tls/key.pem",
  data: "/var/lib/registry",
} as const;
