/**
 * The backup job's commands: restic (client-side encryption, deduplication) against the R2
 * bucket's S3 endpoint, run after `tlos jetstream backup` has written consistent stream
 * snapshots. The same script text runs in the Podman unit, the compose service and the
 * Kubernetes CronJob, and the tests run it for real.
 * Every value is a quoted shell word (`shQuote`), never code.
 * @see https://restic.readthedocs.io/en/stable/030_preparing_a_new_repo.html#amazon-s3
 */
import { shQuote } from "../core/shell.js";

export interface Retention {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
}

/** S3 endpoint of an R2 bucket, per jurisdiction. @see https://developers.cloudflare.com/r2/reference/data-location/ */
export function r2Endpoint(accountId: string, jurisdiction: "default" | "eu" | "fedramp"): string {
  return `https://${accountId}.${jurisdiction === "default" ? "" : `${jurisdiction}.`}r2.cloudflarestorage.com`;
}

/** `RESTIC_REPOSITORY` for a bucket and a folder in it. */
export function resticRepository(endpoint: string, bucket: string, folder: string): string {
  return `s3:${endpoint.replace(/\/$/, "")}/${bucket}/${folder}`;
}

/** The shell script of the restic step (one line): init once, back up the snapshot folder, apply retention. */
export function resticScript(snapshotDir: string, host: string, keep: Retention): string {
  return [
    "set -eu",
    "restic snapshots --quiet >/dev/null 2>&1 || restic init",
    `restic backup --quiet --host ${shQuote(host)} --tag jetstream ${shQuote(snapshotDir)}`,
    `restic forget --quiet --host ${shQuote(host)} --tag jetstream --keep-daily ${keep.daily} --keep-weekly ${keep.weekly} --keep-monthly ${keep.monthly} --prune`,
  ].join("; ");
}

/** The restore commands, documented next to the job. */
export function restoreInstructions(repo: string, host: string, server: string, credsPath: string, inboxPrefix: string): string {
  return [
    "#!/usr/bin/env bash",
    "# Restores the latest JetStream backup into a fresh nats-server (streams must not exist there).",
    "# Needs restic, the tlos CLI, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY of the bucket token and the",
    "# repository password (secrets/…/restic-password). Usage: restore.sh [nats-url]",
    "set -euo pipefail",
    `export RESTIC_REPOSITORY=${shQuote(repo)}`,
    'export RESTIC_PASSWORD_FILE="${RESTIC_PASSWORD_FILE:?path to restic-password}"',
    'work="$(mktemp -d)"',
    `restic restore latest --host ${shQuote(host)} --tag jetstream --target "$work"`,
    `default_creds=${shQuote(credsPath)}`,
    `default_server=${shQuote(server)}`,
    'creds="${TLOS_NATS_CREDS:-$default_creds}"',
    'credsArg=(); if [ -f "$creds" ]; then credsArg=(--creds "$creds"); fi',
    `tlos jetstream restore --server "\${1:-$default_server}" "\${credsArg[@]}" --inbox-prefix ${shQuote(inboxPrefix)} --in "$(find "$work" -name '*.snapshot' -printf '%h\\n' | head -1)"`,
    "",
  ].join("\n");
}
