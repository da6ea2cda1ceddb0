/**
 * `R2Backup`: encrypted, scheduled backups of a lattice's JetStream state to a Cloudflare R2
 * bucket. The bucket (computed name, location, jurisdiction, storage class), its lifecycle
 * (retention, aborting incomplete multipart uploads) and a token scoped to that one bucket are
 * Pulumi resources; the token's S3 credentials (access key = token id, secret = SHA-256 of the
 * token value) stay Pulumi secrets. The job takes consistent stream snapshots through
 * JetStream's snapshot API (`tlos jetstream backup`), then restic encrypts and uploads them:
 * a Quadlet `.container` + `.timer` on the first hub, a compose service, and a Kubernetes
 * `CronJob` when the lattice has a `SpinKubeCluster`.
 * @see https://developers.cloudflare.com/r2/api/s3/tokens/
 */
import { backupStep, cloudflareStep } from "./plan-steps.js";
import { TlosConstruct } from "../core/construct.js";
import { show } from "../core/errors.js";
import { renderIni, joinArgs } from "../core/ini.js";
import { renderYaml } from "../core/yaml.js";
import { fitToPodman } from "../quadlet/compat.js";
import { renderUnit } from "../quadlet/render.js";
import { HARDENING } from "../quadlet/common.js";
import type { QuadletUnit } from "../quadlet/model.js";
import { r2Endpoint, resticRepository, resticScript, restoreInstructions, type Retention } from "../backup/restic.js";
import { latticeClientCreds } from "../nats/auth.js";
import { fileAdder, type SynthContext } from "../synth/artifact.js";
import { PHASE } from "../synth/host-bundle.js";
import { Lattice } from "./lattice.js";
import { DEFAULT_NODE_IMAGE } from "../core/images.js";
import { TLOS_NPX } from "../core/package-version.js";
import { COMPOSE_HARDENING } from "../compose/hardening.js";
import { NO_PRIVILEGES, NO_PRIVILEGES_READ_ONLY } from "../kubernetes/security.js";

/** Props of an {@link R2Backup}. */
export interface R2BackupProps {
  /** Cloudflare account id (32 hex digits). */
  readonly accountId: string;
  /**
   * The bucket (its name is computed: `tlos-<lattice>-<id>`).
   * @default { jurisdiction: "default", storageClass: "Standard" }
   * @see https://developers.cloudflare.com/r2/reference/data-location/
   */
  readonly bucket?: { readonly location?: "apac" | "eeur" | "enam" | "weur" | "wnam" | "oc"; readonly jurisdiction?: "default" | "eu" | "fedramp"; readonly storageClass?: "Standard" | "InfrequentAccess" };
  /** Objects older than this are deleted by the bucket lifecycle. @default 90 */
  readonly retentionDays?: number;
  /** Incomplete multipart uploads are aborted after this. @default 7 */
  readonly abortMultipartDays?: number;
  /** Daily run time, `HH:MM` UTC. @default "03:17" */
  readonly at?: string;
  /** restic retention. @default { daily: 7, weekly: 4, monthly: 6 } */
  readonly keep?: Partial<Retention>;
  /** S3 endpoint override (another S3-compatible store). @default the bucket's R2 endpoint */
  readonly endpoint?: string;
  /**
   * Where the nightly job runs — exactly one place, so no two jobs write the repository at once:
   * `"hub"` (a Quadlet `.container` + `.timer` on the first hub) or `"kubernetes"` (a CronJob
   * through the lattice's SpinKube cluster's leaf; needs a `SpinKubeCluster` with wasmCloud).
   * @default "hub"
   */
  readonly runOn?: "hub" | "kubernetes";
  /** @default { restic: DEFAULT_RESTIC_IMAGE, node: DEFAULT_NODE_IMAGE } */
  readonly images?: { readonly restic?: string; readonly node?: string };
}

/** One R2 lifecycle rule, shaped as `cloudflare.R2BucketLifecycle` takes it. */
export interface LifecycleRule {
  id: string;
  enabled: boolean;
  conditions: { prefix: string };
  deleteObjectsTransition?: { condition: { type: "Age"; maxAge: number } };
  abortMultipartUploadsTransition?: { condition: { type: "Age"; maxAge: number } };
}

/** restic's official image and Node for the snapshot step (tags only: pin digests in your grid). */
export const DEFAULT_RESTIC_IMAGE = "docker.io/restic/restic:0.17.3";
export { DEFAULT_NODE_IMAGE } from "../core/images.js";
const ACCOUNT = /^[0-9a-f]{32}$/;

export class R2Backup extends TlosConstruct {
  /** @internal */ readonly _isR2Backup = true as const;
  readonly lattice: Lattice;
  readonly bucketName: string;
  readonly accountId: string;
  readonly jurisdiction: "default" | "eu" | "fedramp";
  readonly location: string | undefined;
  readonly storageClass: "Standard" | "InfrequentAccess";
  readonly retentionDays: number;
  readonly abortMultipartDays: number;
  readonly hour: number;
  readonly minute: number;
  readonly keep: Retention;
  readonly endpoint: string;
  readonly resticImage: string;
  readonly nodeImage: string;
  readonly runOn: "hub" | "kubernetes";

  constructor(lattice: Lattice, id: string, props: R2BackupProps) {
    super(lattice, id);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "an R2Backup must be created inside a Lattice (it backs up that lattice's JetStream)");
    const p = (props ?? {}) as Partial<R2BackupProps>;
    this.accountId = typeof p.accountId === "string" ? p.accountId : "";
    if (!ACCOUNT.test(this.accountId)) this.problem("accountId", `${show(p.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
    this.bucketName = `tlos-${lattice.node.id}-${this.node.id}`.slice(0, 63);
    const b = (typeof p.bucket === "object" && p.bucket !== null ? p.bucket : {}) as NonNullable<R2BackupProps["bucket"]>;
    if (p.bucket !== undefined && (typeof p.bucket !== "object" || p.bucket === null)) this.problem("bucket", `must be an object, got ${show(p.bucket)}`);
    this.jurisdiction = b.jurisdiction ?? "default";
    if (!["default", "eu", "fedramp"].includes(this.jurisdiction)) this.problem("bucket.jurisdiction", `${show(b.jurisdiction)} is not allowed: use "default", "eu" or "fedramp"`);
    this.location = b.location;
    if (b.location !== undefined && !["apac", "eeur", "enam", "weur", "wnam", "oc"].includes(b.location)) this.problem("bucket.location", `${show(b.location)} is not an R2 location hint: use apac, eeur, enam, weur, wnam or oc`);
    this.storageClass = b.storageClass ?? "Standard";
    if (!["Standard", "InfrequentAccess"].includes(this.storageClass)) this.problem("bucket.storageClass", `${show(b.storageClass)} is not allowed: use "Standard" or "InfrequentAccess"`);
    const days = (f: string, v: unknown, d: number, min: number) => {
      const x = v ?? d;
      if (!(Number.isInteger(x) && (x as number) >= min && (x as number) <= 3650)) {
        this.problem(f, `${show(v)} is not allowed: use whole days from ${min} to 3650`);
        return d;
      }
      return x as number;
    };
    this.retentionDays = days("retentionDays", p.retentionDays, 90, 1);
    this.abortMultipartDays = days("abortMultipartDays", p.abortMultipartDays, 7, 1);
    const at = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(typeof p.at === "string" ? p.at : p.at === undefined ? "03:17" : "");
    if (!at) this.problem("at", `${show(p.at)} is not a time: use "HH:MM" (UTC)`);
    this.hour = Number(at?.[1] ?? 3);
    this.minute = Number(at?.[2] ?? 17);
    const k = (typeof p.keep === "object" && p.keep !== null ? p.keep : {}) as Partial<Retention>;
    const n = (f: keyof Retention, d: number) => {
      const v = k[f] ?? d;
      if (!(Number.isInteger(v) && v >= 0 && v <= 1000)) {
        this.problem(`keep.${f}`, `${show(v)} is not allowed: use a count from 0 to 1000`);
        return d;
      }
      return v;
    };
    this.keep = { daily: n("daily", 7), weekly: n("weekly", 4), monthly: n("monthly", 6) };
    if (this.keep.daily + this.keep.weekly + this.keep.monthly === 0) this.problem("keep", "keeping nothing deletes every backup: keep at least one snapshot");
    if (this.retentionDays < this.keep.daily) this.problem("retentionDays", `${this.retentionDays} days of bucket retention would delete backups restic keeps for ${this.keep.daily} days`);
    this.endpoint = typeof p.endpoint === "string" && /^https?:\/\/[\w.-]+(:\d+)?\/?$/.test(p.endpoint) ? p.endpoint : r2Endpoint(this.accountId || "0".repeat(32), this.jurisdiction);
    if (p.endpoint !== undefined && this.endpoint !== p.endpoint) this.problem("endpoint", `${show(p.endpoint)} is not an http(s) endpoint URL`);
    this.resticImage = this.checkedImage("images.restic", p.images?.restic ?? DEFAULT_RESTIC_IMAGE, DEFAULT_RESTIC_IMAGE);
    this.nodeImage = this.checkedImage("images.node", p.images?.node ?? DEFAULT_NODE_IMAGE, DEFAULT_NODE_IMAGE);
    const on = p.runOn ?? "hub";
    this.runOn = on === "kubernetes" ? "kubernetes" : "hub";
    if (on !== "hub" && on !== "kubernetes") this.problem("runOn", `${show(p.runOn)} is not allowed: use "hub" (default) or "kubernetes"`);
  }

  /** The lattice's SpinKube cluster whose leaf a CronJob reaches the hubs through. */
  private cluster(): { wasmcloudNamespace?: string; node: { id: string } } | undefined {
    return this.lattice.node.children.find((c) => (c as { _isSpinKubeCluster?: boolean; wasmcloudNamespace?: string })._isSpinKubeCluster && (c as { wasmcloudNamespace?: string }).wasmcloudNamespace) as { wasmcloudNamespace?: string; node: { id: string } } | undefined;
  }

  protected override validateTree(): void {
    if (this.runOn === "kubernetes" && Lattice.isLattice(this.lattice) && !this.cluster()) {
      this.problem("runOn", `"kubernetes" needs a SpinKubeCluster with wasmCloud in lattice ${this.lattice.name} (its leaf reaches the hubs): add one, or run on "hub"`);
    }
  }

  /** `RESTIC_REPOSITORY` of this backup. */
  repository(): string {
    return resticRepository(this.endpoint, this.bucketName, this.lattice.name);
  }

  /** The Cloudflare resources this backup needs, as reviewable JSON (no credentials). */
  cloudflareResources(): Record<string, unknown> {
    const scope = `com.cloudflare.edge.r2.bucket.${this.accountId}_${this.jurisdiction}_${this.bucketName}`;
    return {
      bucket: { resource: "cloudflare:index/r2Bucket:R2Bucket", args: { accountId: this.accountId, name: this.bucketName, jurisdiction: this.jurisdiction, storageClass: this.storageClass, ...(this.location ? { location: this.location } : {}) } },
      lifecycle: { resource: "cloudflare:index/r2BucketLifecycle:R2BucketLifecycle", args: { accountId: this.accountId, bucketName: this.bucketName, jurisdiction: this.jurisdiction, rules: this.lifecycleRules() } },
      token: {
        resource: "cloudflare:index/accountToken:AccountToken",
        args: { accountId: this.accountId, name: `${this.bucketName}-backup`, policies: [{ effect: "allow", permissionGroups: ["Workers R2 Storage Bucket Item Read", "Workers R2 Storage Bucket Item Write"], resources: { [scope]: "*" } }] },
        s3: { endpoint: this.endpoint, accessKeyId: "token id (secret output)", secretAccessKey: "sha256(token value) (secret output)" },
      },
    };
  }

  lifecycleRules(): LifecycleRule[] {
    return [
      { id: "expire-old-backups", enabled: true, conditions: { prefix: "" }, deleteObjectsTransition: { condition: { type: "Age", maxAge: this.retentionDays * 86400 } } },
      { id: "abort-incomplete-multipart", enabled: true, conditions: { prefix: "" }, abortMultipartUploadsTransition: { condition: { type: "Age", maxAge: this.abortMultipartDays * 86400 } } },
    ];
  }

  private podmanUnit(hubId: string, clientPort: number): QuadletUnit {
    const id = this.node.id;
    const lat = this.lattice.node.id;
    const snap = `%h/.local/share/tlos/${lat}/${id}/snapshot`;
    return {
      type: "container",
      name: `${id}-backup`,
      header: [`Backup ${id} of lattice ${this.lattice.name}: JetStream snapshots (tlos, on the host) then restic to R2. Started by ${id}-backup.timer.`],
      unit: [["Description", `tLOS JetStream backup ${id}`], ["After", `${hubId}-nats.service`], ["Wants", `${hubId}-nats.service`]],
      body: [
        ["ContainerName", `tlos-${id}-backup`],
        ["Image", this.resticImage],
        ["Entrypoint", "/bin/sh"],
        ["Exec", joinArgs(["-c", resticScript("/snapshot", `tlos-${lat}`, this.keep)])],
        ["Environment", `RESTIC_REPOSITORY=${this.repository()}`],
        ["Environment", "RESTIC_PASSWORD_FILE=/run/secrets/restic-password"],
        ["Environment", "RESTIC_CACHE_DIR=/tmp/restic-cache"],
        ["Secret", `tlos-${id}-restic-password,type=mount,target=/run/secrets/restic-password,mode=0400`],
        ["Secret", `tlos-${id}-s3-key-id,type=env,target=AWS_ACCESS_KEY_ID`],
        ["Secret", `tlos-${id}-s3-secret,type=env,target=AWS_SECRET_ACCESS_KEY`],
        ["Volume", `${snap}:/snapshot:ro,Z`],
        ["Network", "pasta"],
        ["UserNS", "auto"],
        ["Tmpfs", "/tmp"],
        ["ReadOnly", "true"],
        ...HARDENING,
      ],
      service: [
        ["Type", "oneshot"],
        // the snapshot's parent stays the user's alone (0700); the snapshot itself must be readable
        // by the container's user: with UserNS=auto and no capabilities that is "others" (uid 65534
        // there), and tlos writes its files 0600
        ["ExecStartPre", `/usr/bin/install -d -m 0700 %h/.local/share/tlos/${lat}/${id}`],
        ["ExecStartPre", `/bin/rm -rf ${snap}`],
        ["ExecStartPre", `/usr/bin/env tlos jetstream backup --server nats://127.0.0.1:${clientPort} --creds %h/.config/tlos/${lat}/backup.creds --out ${snap}`],
        ["ExecStartPre", `/bin/chmod -R u=rwX,go=rX ${snap}`],
        ["TimeoutStartSec", "3600"],
      ],
    };
  }

  _synthesize(ctx: SynthContext): void {
    const id = this.node.id;
    const lat = this.lattice.node.id;
    const dir = `${lat}/backup/${id}`;
    const add = fileAdder(ctx);
    const hub = this.lattice.hubs[0];
    if (!hub) return;
    ctx.step(cloudflareStep(this.path, "R2 bucket, lifecycle and token"));
    add(`cloudflare/r2-${id}.json`, `${JSON.stringify(this.cloudflareResources(), null, 2)}\n`, "cloudflare", "cloudflare");
    const password = Buffer.from(ctx.seed.derive(`backup/${this.path}/restic`, 32)).toString("base64url");
    add(`secrets/${dir}/restic-password`, `${password}\n`, "config", "backup", true);
    const backupCreds = latticeClientCreds(ctx.seed, this.lattice.path, `backup-${id}`, ctx.issuedAt);
    add(`secrets/${dir}/backup.creds`, backupCreds, "nats-creds", "nats", true);
    add(`${dir}/restore.sh`, restoreInstructions(this.repository(), `tlos-${lat}`, `nats://127.0.0.1:${hub.ports.client}`, `$HOME/.config/tlos/${lat}/backup.creds`), "script", "backup", false, true);
    add(`${dir}/compose.backup.yaml`, renderYaml(this.composeServices(), { header: [`Backup ${id} for the local lattice: docker compose -f ../../compose/compose.yaml -f compose.backup.yaml --profile backup run --rm backup`, "Generated by tlos."] }), "compose", "compose");
    if (this.runOn === "kubernetes") {
      const cluster = this.cluster();
      if (!cluster?.wasmcloudNamespace) return;
      const k8s = `${lat}/k8s/${cluster.node.id}`;
      add(`${k8s}/08-backup-${id}.yaml`, renderYaml(this.cronJob(cluster.wasmcloudNamespace), { header: [`Daily JetStream backup ${id} through the cluster's leaf. Its Secrets: ${id}-backup (restic password, secrets/${k8s}/08-backup-${id}-secret.yaml) and ${id}-backup-s3 (the bucket token's S3 keys; see PLAN.md). Generated by tlos.`] }), "k8s-manifest", "kubernetes");
      ctx.step(backupStep(id, "kubernetes", "operator", { k8sDir: k8s, namespace: cluster.wasmcloudNamespace }));
      add(`secrets/${k8s}/08-backup-${id}-secret.yaml`, renderYaml({ apiVersion: "v1", kind: "Secret", metadata: { name: `${id}-backup`, namespace: cluster.wasmcloudNamespace }, type: "Opaque", stringData: { "restic-password": `${password}\n` } }), "k8s-manifest", "kubernetes", true);
      return;
    }
    const unit = fitToPodman(this.podmanUnit(hub.id, hub.ports.client), this.lattice.podmanVersion).unit;
    ctx.add({ path: `${dir}/quadlet/${unit.name}.container`, content: renderUnit(unit), kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.lattice.podmanVersion });
    ctx.step(backupStep(id, "hub", hub.id, {}));
    const timer = renderIni([
      { name: "Unit", entries: [["Description", `Daily JetStream backup ${id} of lattice ${this.lattice.name}`]] },
      { name: "Timer", entries: [["OnCalendar", `*-*-* ${String(this.hour).padStart(2, "0")}:${String(this.minute).padStart(2, "0")}:00 UTC`], ["Persistent", "true"], ["RandomizedDelaySec", "300"], ["Unit", `${id}-backup.service`]] },
      { name: "Install", entries: [["WantedBy", "timers.target"]] },
    ], [`Timer of backup ${id} on hub ${hub.id} (its bundle installs it). Generated by tlos.`]);
    add(`${dir}/systemd/${id}-backup.timer`, timer, "systemd-unit", "backup");
    ctx.host(hub.id, `backup ${id} of lattice ${this.lattice.name}`, [
      { kind: "secret", name: `tlos-${id}-restic-password`, file: `${id}-restic-password`, content: `${password}\n` },
      { kind: "secret", name: `tlos-${id}-s3-key-id`, file: `${id}-s3-access-key-id`, optional: "the S3 access key id of the bucket token, from pulumi stack output" },
      { kind: "secret", name: `tlos-${id}-s3-secret`, file: `${id}-s3-secret-access-key`, optional: "the S3 secret of the bucket token, from pulumi stack output" },
      { kind: "unit", file: `${unit.name}.container`, content: renderUnit(unit), podmanVersion: this.lattice.podmanVersion },
      { kind: "user-unit", file: `${id}-backup.timer`, content: timer },
      { kind: "home-file", dest: `.config/tlos/${lat}/backup.creds`, file: `${id}-backup.creds`, content: backupCreds, secret: true },
      { kind: "needs", program: "tlos", why: `the backup takes its snapshot with tlos jetstream backup (npm install -g @tlos/grid)` },
      { kind: "start", unit: `${id}-backup.timer`, enable: true, order: 30 },
      { kind: "check", text: `systemctl --user list-timers ${id}-backup.timer shows the next run; systemctl --user start ${id}-backup.service once, then restic snapshots (with the bucket's keys) lists a jetstream snapshot` },
    ], PHASE.hubs);
  }

  private composeServices(): Record<string, unknown> {
    const lat = this.lattice.node.id;
    return {
      services: {
        "backup-snapshot": {
          image: this.nodeImage,
          profiles: ["backup"],
          command: [...TLOS_NPX, "jetstream", "backup", "--server", "nats://hub:4222", "--creds", "/run/secrets/backup-creds", "--out", "/snapshot"],
          secrets: [{ source: "backup-creds" }],
          volumes: ["backup-snapshot:/snapshot"],
          depends_on: { hub: { condition: "service_healthy" } },
        },
        backup: {
          image: this.resticImage,
          profiles: ["backup"],
          entrypoint: ["/bin/sh", "-c", resticScript("/snapshot", `tlos-${lat}`, this.keep)],
          environment: { RESTIC_REPOSITORY: this.repository(), RESTIC_PASSWORD_FILE: "/run/secrets/restic-password", AWS_ACCESS_KEY_ID: "${TLOS_R2_ACCESS_KEY_ID:?}", AWS_SECRET_ACCESS_KEY: "${TLOS_R2_SECRET_ACCESS_KEY:?}" },
          secrets: [{ source: "restic-password" }],
          volumes: ["backup-snapshot:/snapshot:ro"],
          depends_on: { "backup-snapshot": { condition: "service_completed_successfully" } },
          ...COMPOSE_HARDENING,
        },
      },
      volumes: { "backup-snapshot": {} },
      secrets: {
        "backup-creds": { file: `../../../secrets/${lat}/backup/${this.node.id}/backup.creds` },
        "restic-password": { file: `../../../secrets/${lat}/backup/${this.node.id}/restic-password` },
      },
    };
  }

  private cronJob(namespace: string): Record<string, unknown> {
    const lat = this.lattice.node.id;
    const secret = `${this.node.id}-backup`;
    return {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: `${this.node.id}-backup`, namespace },
      spec: {
        schedule: `${this.minute} ${this.hour} * * *`,
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
                  image: this.nodeImage,
                  command: [...TLOS_NPX, "jetstream", "backup", "--server", "tls://nats:4222", "--domain", this.lattice.jetstreamDomain, "--tls-cert", "/certs/tls.crt", "--tls-key", "/certs/tls.key", "--tls-ca", "/certs/ca.crt", "--out", "/snapshot"],
                  env: [{ name: "HOME", value: "/tmp" }, { name: "npm_config_cache", value: "/tmp/.npm" }],
                  securityContext: NO_PRIVILEGES,
                  volumeMounts: [{ name: "snapshot", mountPath: "/snapshot" }, { name: "certs", mountPath: "/certs", readOnly: true }, { name: "tmp", mountPath: "/tmp" }],
                }],
                containers: [{
                  name: "restic",
                  image: this.resticImage,
                  command: ["/bin/sh", "-c", resticScript("/snapshot", `tlos-${lat}`, this.keep)],
                  env: [
                    { name: "RESTIC_REPOSITORY", value: this.repository() },
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
}
