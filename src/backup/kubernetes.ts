/**
 * The Kubernetes side of an R2Backup: a daily `CronJob` that snapshots JetStream through the
 * cluster's in-cluster leaf, then runs restic. It connects with a client certificate of its own
 * (user `tlos-backup-<id>` on the leaf, `clusterBackupRole`), issued by cert-manager from the
 * runtime-operator chart's CA (the Secret `wasmcloud-ca` the chart generates), so the leaf's
 * `verify_and_map` maps it like the chart's own certificates; its pod carries the label the
 * leaf's NetworkPolicy admits.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 * @see https://cert-manager.io/docs/configuration/ca/
 */
import { TLOS_NPX } from "../core/package-version.js";
import { NO_PRIVILEGES_READ_ONLY } from "../kubernetes/security.js";
import { resticScript } from "./restic.js";
import { resticHost, snapshotFlags, type BackupSpec } from "./model.js";

/** The chart's CA Secret (`global.certificates.caSecretName`, `charts/runtime-operator/templates/certificates.yaml`). */
export const CHART_CA_SECRET = "wasmcloud-ca";

/** The in-cluster backup's leaf user, its certificate's Secret and its pods' label. */
export const clusterBackupNames = (id: string) => ({ user: `tlos-backup-${id}`, tlsSecret: `${id}-backup-tls`, podLabel: { "app.kubernetes.io/name": `${id}-backup` } });

/** The Issuer (the chart's CA), the backup's client Certificate and its CronJob, in apply order. */
export function backupKubernetesDocs(s: BackupSpec, namespace: string): Record<string, unknown>[] {
  const n = clusterBackupNames(s.id);
  const issuer = `${s.id}-backup-ca`;
  return [
    { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: { name: issuer, namespace }, spec: { ca: { secretName: CHART_CA_SECRET } } },
    {
      apiVersion: "cert-manager.io/v1",
      kind: "Certificate",
      metadata: { name: n.tlsSecret, namespace },
      spec: {
        secretName: n.tlsSecret,
        // verify_and_map matches the DNS SAN (as for the chart's wasmcloud-* certificates)
        commonName: n.user,
        dnsNames: [n.user],
        usages: ["client auth", "digital signature"],
        duration: "2160h",
        renewBefore: "360h",
        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
        issuerRef: { name: issuer, kind: "Issuer", group: "cert-manager.io" },
      },
    },
    backupCronJob(s, namespace),
  ];
}

export function backupCronJob(s: BackupSpec, namespace: string): Record<string, unknown> {
  const secret = `${s.id}-backup`;
  const n = clusterBackupNames(s.id);
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
            metadata: { labels: { ...n.podLabel, "app.kubernetes.io/managed-by": "tlos" } },
            spec: {
              restartPolicy: "Never",
              automountServiceAccountToken: false,
              securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
              initContainers: [{
                name: "snapshot",
                image: s.nodeImage,
                command: [...TLOS_NPX, "jetstream", "backup", "--server", "tls://nats:4222", "--domain", s.jetstreamDomain, "--tls-cert", "/certs/tls.crt", "--tls-key", "/certs/tls.key", "--tls-ca", "/certs/ca.crt", "--out", "/snapshot", ...snapshotFlags(s)],
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
                { name: "certs", secret: { secretName: n.tlsSecret, defaultMode: 0o400 } },
                { name: "secret", secret: { secretName: secret, items: [{ key: "restic-password", path: "restic-password" }] } },
              ],
            },
          },
        },
      },
    },
  };
}

/** The restic password as a Secret manifest (written only under `secrets/`). */
export function resticPasswordSecret(s: BackupSpec, namespace: string, password: string): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Secret", metadata: { name: `${s.id}-backup`, namespace }, type: "Opaque", stringData: { "restic-password": `${password}\n` } };
}
