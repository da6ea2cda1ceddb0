/**
 * The Kubernetes side of an R2Backup: a daily `CronJob` that snapshots JetStream through the
 * cluster's in-cluster leaf (mTLS with the wasmCloud data TLS secret), then runs restic.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
import { TLOS_NPX } from "../core/package-version.js";
import { NO_PRIVILEGES_READ_ONLY } from "../kubernetes/security.js";
import { resticScript } from "./restic.js";
import { resticHost, type BackupSpec } from "./model.js";

export function backupCronJob(s: BackupSpec, namespace: string): Record<string, unknown> {
  const secret = `${s.id}-backup`;
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: `${s.id}-backup`, namespace },
    spec: {
      schedule: `${s.minute} ${s.hour} * * *`,
      timeZone: "Etc/UTC",
      concurrencyPolicy: "Forbid",
      jobTemplate: {
        spec: {
          backoffLimit: 2,
          template: {
            spec: {
              restartPolicy: "Never",
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
              initContainers: [{
                name: "snapshot",
                image: s.nodeImage,
                command: [...TLOS_NPX, "jetstream", "backup", "--server", "tls://nats:4222", "--domain", s.jetstreamDomain, "--tls-cert", "/certs/tls.crt", "--tls-key", "/certs/tls.key", "--tls-ca", "/certs/ca.crt", "--out", "/snapshot"],
                env: [{ name: "HOME", value: "/tmp" }, { name: "npm_config_cache", value: "/tmp/.npm" }],
                // writes only to its volumes: /snapshot and /tmp (HOME and the npm cache)
                securityContext: NO_PRIVILEGES_READ_ONLY,
                volumeMounts: [{ name: "snapshot", mountPath: "/snapshot" }, { name: "certs", mountPath: "/certs", readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
              }],
              containers: [{
                name: "restic",
                image: s.resticImage,
                command: ["/bin/sh", "-c", resticScript("/snapshot", resticHost(s), s.keep)],
                env: [
                  { name: "RESTIC_REPOSITORY", value: s.repository },
                  { name: "RESTIC_PASSWORD_FILE", value: "/secret/restic-password" },
                  { name: "RESTIC_CACHE_DIR", value: "/tmp/restic-cache" },
                  { name: "AWS_ACCESS_KEY_ID", valueFrom: { secretKeyRef: { name: `${secret}-s3`, key: "s3-access-key-id" } } },
                  { name: "AWS_SECRET_ACCESS_KEY", valueFrom: { secretKeyRef: { name: `${secret}-s3`, key: "s3-secret-access-key" } } },
                ],
                securityContext: NO_PRIVILEGES_READ_ONLY,
                volumeMounts: [{ name: "snapshot", mountPath: "/snapshot", readOnly: true }, { name: "secret", mountPath: "/secret", readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
              }],
              volumes: [
                { name: "snapshot", emptyDir: {} },
                { name: "tmp", emptyDir: {} },
                { name: "certs", secret: { secretName: "wasmcloud-data-tls" } },
                { name: "secret", secret: { secretName: secret, items: [{ key: "restic-password", path: "restic-password" }] } },
              ],
            },
          },
        },
      },
    },
  };
}
