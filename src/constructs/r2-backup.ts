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
import { backupDirs, cloudflareFile, clusterDirs, composeDir, relativeFrom } from "../core/layout.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { show } from "../core/errors.js";
import { renderIni } from "../core/ini.js";
import { renderYaml } from "../core/yaml.js";
import { fitToPodman } from "../quadlet/compat.js";
import { renderUnit } from "../quadlet/render.js";
import { keepHorizonDays, retentionProblems } from "../backup/retention.js";
import { r2Endpoint, resticRepository, restoreInstructions, type Retention } from "../backup/restic.js";
import type { BackupSpec } from "../backup/model.js";
import { lifecycleRules, r2Resources, type LifecycleRule } from "../backup/cloudflare.js";
import { backupTimer, backupUnit } from "../backup/quadlet.js";
import { backupCompose } from "../backup/compose.js";
import { backupCronJob } from "../backup/kubernetes.js";
import { latticeClientCreds } from "../nats/auth.js";
import { backupRole } from "../nats/roles.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { PHASE } from "../core/host-items.js";
import { Lattice } from "./lattice.js";
import { SpinKubeCluster } from "./spinkube-cluster.js";
import { stageFile } from "../kubernetes/stages.js";
import { DEFAULT_NODE_IMAGE } from "../core/images.js";
import { R2_KEYS } from "./prop-keys.js";

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
  /**
   * The oldest a snapshot may get, in days. restic's keep policy enforces it (`forget --prune`
   * every run), so `keep` must not hold snapshots longer; the bucket lifecycle never deletes
   * restic's objects (that would break the repository), it only aborts incomplete uploads.
   * @default what `keep` spans: max(daily, 7 × weekly, 31 × monthly) days
   * @see https://restic.readthedocs.io/en/stable/060_forget.html
   */
  readonly retentionDays?: number;
  /** Incomplete multipart uploads are aborted after this. @default 7 */
  readonly abortMultipartDays?: number;
  /** Daily run time, `HH:MM` UTC. @default "03:17" */
  readonly at?: string;
  /** restic retention. @default { daily: 7, weekly: 4, monthly: 6 } */
  readonly keep?: Partial<Retention>;
  /** S3 endpoint override (another S3-compatible store). @default the bucket's R2 endpoint */
  readonly endpoint?: string;
  /** @default { restic: DEFAULT_RESTIC_IMAGE, node: DEFAULT_NODE_IMAGE } */
  readonly images?: { readonly restic?: string; readonly node?: string };
  /**
   * Where the nightly job runs — exactly one place, so no two jobs write the repository at once:
   * `"hub"` (a Quadlet `.container` + `.timer` on the first hub, in its bundle) or `"kubernetes"`
   * (a CronJob through the lattice's SpinKube cluster's leaf; needs a `SpinKubeCluster` with wasmCloud).
   * @default "hub"
   */
  readonly runOn?: "hub" | "kubernetes";
}

export type { LifecycleRule } from "../backup/cloudflare.js";

/** restic's official image and Node for the snapshot step (tags only: pin digests in your grid). */
export const DEFAULT_RESTIC_IMAGE = "docker.io/restic/restic:0.17.3";
export { DEFAULT_NODE_IMAGE } from "../core/images.js";
const ACCOUNT = /^[0-9a-f]{32}$/;

export class R2Backup extends TlosConstruct {
  /** True for any R2Backup, also across two loaded copies of this library. */
  static isR2Backup(x: unknown): x is R2Backup {
    return kindOf(x) === "R2Backup";
  }
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
    super(lattice, id, "R2Backup");
    const p = (this.plain(props) ?? {}) as Partial<R2BackupProps>;
    this.knownKeys(p, R2_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "an R2Backup must be created inside a Lattice (it backs up that lattice's JetStream)");
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
    this.retentionDays = days("retentionDays", p.retentionDays, keepHorizonDays(this.keep), 1);
    for (const r of retentionProblems(this.retentionDays, this.keep)) this.problem(r.field, r.message);
    this.endpoint = typeof p.endpoint === "string" && /^https?:\/\/[\w.-]+(:\d+)?\/?$/.test(p.endpoint) ? p.endpoint : r2Endpoint(this.accountId || "0".repeat(32), this.jurisdiction);
    if (p.endpoint !== undefined && this.endpoint !== p.endpoint) this.problem("endpoint", `${show(p.endpoint)} is not an http(s) endpoint URL`);
    this.resticImage = this.checkedImage("images.restic", p.images?.restic ?? DEFAULT_RESTIC_IMAGE, DEFAULT_RESTIC_IMAGE);
    this.nodeImage = this.checkedImage("images.node", p.images?.node ?? DEFAULT_NODE_IMAGE, DEFAULT_NODE_IMAGE);
    const on = p.runOn ?? "hub";
    this.runOn = on === "kubernetes" ? "kubernetes" : "hub";
    if (on !== "hub" && on !== "kubernetes") this.problem("runOn", `${show(p.runOn)} is not allowed: use "hub" (default) or "kubernetes"`);
  }

  protected override validateTree(): void {
    if (this.runOn === "kubernetes" && Lattice.isLattice(this.lattice) && !this.cluster()?.wasmcloudNamespace) {
      this.problem("runOn", `"kubernetes" needs a SpinKubeCluster with wasmCloud in lattice ${this.lattice.name} (its leaf reaches the hubs): add one, or run on "hub"`);
    }
  }

  /** The lattice's SpinKubeCluster, when it has one: the backup also runs there as a CronJob. */
  private cluster(): SpinKubeCluster | undefined {
    return Lattice.isLattice(this.lattice) ? this.lattice.node.children.find(SpinKubeCluster.isSpinKubeCluster) : undefined;
  }

  /** Hands the CronJob to the cluster's apply order (`08-backup-<id>.yaml`, applied by 02-install.sh and the Pulumi adapter). */
  protected override prepare(): void {
    const cluster = this.cluster();
    if (this.runOn === "kubernetes" && cluster?.wasmcloudNamespace) cluster.addDocs("backup", [backupCronJob(this.spec(), cluster.wasmcloudNamespace)], this.node.id);
  }

  /** `RESTIC_REPOSITORY` of this backup. */
  repository(): string {
    return resticRepository(this.endpoint, this.bucketName, this.lattice.name);
  }

  /** This backup, resolved: what every backup document (src/backup/) is built from. */
  spec(): BackupSpec {
    return {
      id: this.node.id, lattice: this.lattice.node.id, latticeName: this.lattice.name, jetstreamDomain: this.lattice.jetstreamDomain,
      repository: this.repository(), keep: this.keep, resticImage: this.resticImage, nodeImage: this.nodeImage, hour: this.hour, minute: this.minute,
      accountId: this.accountId, bucketName: this.bucketName, jurisdiction: this.jurisdiction, location: this.location, storageClass: this.storageClass,
      retentionDays: this.retentionDays, abortMultipartDays: this.abortMultipartDays, endpoint: this.endpoint,
    };
  }

  /** The Cloudflare resources this backup needs, as reviewable JSON (no credentials). */
  cloudflareResources(): Record<string, unknown> {
    return r2Resources(this.spec());
  }

  lifecycleRules(): LifecycleRule[] {
    return lifecycleRules(this.spec());
  }

  _synthesize(ctx: SynthContext): void {
    const id = this.node.id;
    const lat = this.lattice.node.id;
    const dirs = backupDirs(lat, id);
    const dir = dirs.dir;
    const add = fileAdder(ctx);
    const hub = this.lattice.hubs[0];
    if (!hub) return;
    add(cloudflareFile(`r2-${id}`), `${JSON.stringify(this.cloudflareResources(), null, 2)}\n`, "cloudflare", "cloudflare");
    const password = Buffer.from(ctx.seed.derive(`backup/${this.path}/restic`, 32)).toString("base64url");
    add(`${dirs.secrets}/restic-password`, `${password}\n`, "config", "backup", true);
    const backupCreds = latticeClientCreds(ctx.seed, this.lattice.path, `backup-${id}`, ctx.issuedAt, backupRole(), this.lattice.renewableLifetime());
    add(`${dirs.secrets}/backup.creds`, backupCreds, "nats-creds", "nats", true);
    const spec = this.spec();
    ctx.step(cloudflareStep(this.path, "R2 bucket, lifecycle and token"));
    add(`${dir}/restore.sh`, restoreInstructions(this.repository(), `tlos-${lat}`, `nats://127.0.0.1:${hub.ports.client}`, `$HOME/.config/tlos/${lat}/backup.creds`), "script", "backup", false, true);
    add(`${dir}/compose.backup.yaml`, renderYaml(backupCompose(spec, {
      // Compose resolves the relative paths of every -f file against the FIRST file's folder
      // (the project directory, <lattice>/compose), not against this file's own folder.
      creds: relativeFrom(composeDir(lat), `${dirs.secrets}/backup.creds`),
      resticPassword: relativeFrom(composeDir(lat), `${dirs.secrets}/restic-password`),
    }), { header: [`Backup ${id} for the local lattice: docker compose -f ${relativeFrom(dir, `${composeDir(lat)}/compose.yaml`)} -f compose.backup.yaml --profile backup run --rm backup`, "Generated by tlos."] }), "compose", "compose");
    if (this.runOn === "kubernetes") {
      const cluster = this.cluster();
      if (!cluster?.wasmcloudNamespace) return;
      const k8s = clusterDirs(lat, cluster.node.id);
      add(`${k8s.dir}/${stageFile("backup", id)}`, renderYaml(backupCronJob(spec, cluster.wasmcloudNamespace), { header: [`Daily JetStream backup ${id} through the cluster's leaf. Its Secrets: ${id}-backup (restic password, under secrets/) and ${id}-backup-s3 (the bucket token's S3 keys; see PLAN.md). Generated by tlos.`] }), "k8s-manifest", "kubernetes");
      add(`${k8s.secrets}/${stageFile("backup", id).replace(/\.yaml$/, "")}-secret.yaml`, renderYaml({ apiVersion: "v1", kind: "Secret", metadata: { name: `${id}-backup`, namespace: cluster.wasmcloudNamespace }, type: "Opaque", stringData: { "restic-password": `${password}\n` } }), "k8s-manifest", "kubernetes", true);
      ctx.step(backupStep(id, "kubernetes", "operator", { k8sDir: k8s.dir, namespace: cluster.wasmcloudNamespace }));
      return;
    }
    const unit = fitToPodman(backupUnit(spec, { id: hub.id, clientPort: hub.ports.client }), this.lattice.podmanVersion).unit;
    ctx.add({ path: `${dirs.quadlet}/${unit.name}.container`, content: renderUnit(unit), kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.lattice.podmanVersion });
    const timer = renderIni(backupTimer(spec), [`Timer of backup ${id} on hub ${hub.id} (its bundle installs it). Generated by tlos.`]);
    add(`${dirs.systemd}/${id}-backup.timer`, timer, "systemd-unit", "backup");
    ctx.step(backupStep(id, "hub", hub.id, {}));
    ctx.host(hub.id, `backup ${id} of lattice ${this.lattice.name}`, [
      { kind: "secret", name: `tlos-${id}-restic-password`, file: `${id}-restic-password`, content: `${password}\n` },
      { kind: "secret", name: `tlos-${id}-s3-key-id`, file: `${id}-s3-access-key-id`, optional: "the S3 access key id of the bucket token, from pulumi stack output" },
      { kind: "secret", name: `tlos-${id}-s3-secret`, file: `${id}-s3-secret-access-key`, optional: "the S3 secret of the bucket token, from pulumi stack output" },
      { kind: "unit", file: `${unit.name}.container`, content: renderUnit(unit), podmanVersion: this.lattice.podmanVersion },
      { kind: "user-unit", file: `${id}-backup.timer`, content: timer },
      { kind: "home-file", dest: `.config/tlos/${lat}/backup.creds`, file: `${id}-backup.creds`, content: backupCreds, secret: true },
      { kind: "needs", program: "tlos", why: "the backup takes its snapshot with tlos jetstream backup (npm install -g @tlos/grid)" },
      { kind: "start", unit: `${id}-backup.timer`, enable: true, order: 30 },
      { kind: "check", text: `systemctl --user list-timers ${id}-backup.timer shows the next run; systemctl --user start ${id}-backup.service once, then restic snapshots (with the bucket's keys) lists a jetstream snapshot` },
    ], PHASE.hubs);
  }
}
