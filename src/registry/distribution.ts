/**
 * CNCF distribution's `config.yml` for the two instances of a grid registry. distribution's
 * htpasswd backend has no per-user rights (every user it knows may push), so read-only vs push is
 * two instances on one storage: `pull` runs with `maintenance.readonly` (every write answers
 * 405/503) and knows only the host identities; `push` knows only the pipeline identity. A host's
 * password is unknown to the push instance, so it cannot write at all.
 * @see https://distribution.github.io/distribution/about/configuration/
 */
import { REGISTRY_PATHS, type RegistryRole, type RegistrySpec } from "./model.js";

/** Where the files a config names live (the container paths by default; a test moves them). */
export interface ConfigPaths {
  readonly htpasswd: string;
  readonly cert: string;
  readonly key: string;
  readonly data: string;
}

export const CONTAINER_PATHS: ConfigPaths = { htpasswd: REGISTRY_PATHS.htpasswd, cert: REGISTRY_PATHS.cert, key: REGISTRY_PATHS.key, data: REGISTRY_PATHS.data };

/**
 * The config of one instance. No secret inside: S3 keys and the upload-state secret come from
 * the environment (`REGISTRY_STORAGE_S3_ACCESSKEY`, `REGISTRY_STORAGE_S3_SECRETKEY`,
 * `REGISTRY_HTTP_SECRET`), the htpasswd file and TLS key are mounted secrets.
 */
export function distributionConfig(s: RegistrySpec, role: RegistryRole, paths: ConfigPaths = CONTAINER_PATHS, listen = `:${role === "pull" ? 5000 : 5001}`): Record<string, unknown> {
  const storage: Record<string, unknown> = s.storage.driver === "volume"
    ? { filesystem: { rootdirectory: paths.data } }
    : { s3: { region: s.storage.region, regionendpoint: s.storage.endpoint, bucket: s.storage.bucket, rootdirectory: s.storage.rootDirectory, secure: true, v4auth: true }, redirect: { disable: true } };
  return {
    version: 0.1,
    log: { level: "info", formatter: "text", fields: { service: "registry", instance: `${s.id}-${role}` } },
    storage: {
      ...storage,
      delete: { enabled: false },
      maintenance: role === "pull"
        ? { uploadpurging: { enabled: false }, readonly: { enabled: true } }
        : { uploadpurging: { enabled: true, age: "168h", interval: "24h", dryrun: false }, readonly: { enabled: false } },
    },
    http: {
      addr: listen,
      tls: { certificate: paths.cert, key: paths.key, minimumtls: "tls1.2" },
      headers: { "X-Content-Type-Options": ["nosniff"] },
    },
    auth: { htpasswd: { realm: `tLOS registry ${s.id} (${role})`, path: paths.htpasswd } },
    health: { storagedriver: { enabled: true, interval: "30s", threshold: 3 } },
  };
}
