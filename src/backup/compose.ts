/**
 * The compose side of an R2Backup: two services under profile `backup` that run next to the
 * local lattice (`docker compose -f <lattice>/compose/compose.yaml -f compose.backup.yaml`).
 */
import { TLOS_NPX } from "../core/package-version.js";
import { COMPOSE_HARDENING } from "../compose/hardening.js";
import { resticScript } from "./restic.js";
import { resticHost, snapshotFlags, type BackupSpec } from "./model.js";

/**
 * @param secretFiles the secret files as Compose resolves them: relative to the FIRST `-f`
 *   file's folder (the project directory, `<lattice>/compose`), not to this file's own folder
 */
export function backupCompose(s: BackupSpec, secretFiles: { readonly creds: string; readonly resticPassword: string }): Record<string, unknown> {
  return {
    services: {
      "backup-snapshot": {
        image: s.nodeImage,
        profiles: ["backup"],
        command: [...TLOS_NPX, "jetstream", "backup", "--server", "nats://hub:4222", "--creds", "/run/secrets/backup-creds", "--out", "/snapshot", ...snapshotFlags(s)],
        secrets: [{ source: "backup-creds" }],
        volumes: ["backup-snapshot:/snapshot"],
        depends_on: { hub: { condition: "service_healthy" } },
        // npx needs a writable HOME and npm cache: a tmpfs, the rest of the root is read-only
        environment: { HOME: "/tmp", npm_config_cache: "/tmp/.npm" },
        read_only: true,
        tmpfs: ["/tmp"],
        ...COMPOSE_HARDENING,
      },
      backup: {
        image: s.resticImage,
        profiles: ["backup"],
        entrypoint: ["/bin/sh", "-c", resticScript("/snapshot", resticHost(s), s.keep)],
        environment: { RESTIC_REPOSITORY: s.repository, RESTIC_PASSWORD_FILE: "/run/secrets/restic-password", RESTIC_CACHE_DIR: "/tmp/restic-cache", AWS_ACCESS_KEY_ID: "${TLOS_R2_ACCESS_KEY_ID:?}", AWS_SECRET_ACCESS_KEY: "${TLOS_R2_SECRET_ACCESS_KEY:?}" },
        secrets: [{ source: "restic-password" }],
        volumes: ["backup-snapshot:/snapshot:ro"],
        depends_on: { "backup-snapshot": { condition: "service_completed_successfully" } },
        read_only: true,
        tmpfs: ["/tmp"],
        ...COMPOSE_HARDENING,
      },
    },
    volumes: { "backup-snapshot": {} },
    secrets: {
      "backup-creds": { file: secretFiles.creds },
      "restic-password": { file: secretFiles.resticPassword },
    },
  };
}
