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
import { renderIni } from "../core/ini.js";
import { renderYaml } from "../core/yaml.js";
import { fitToPodman } from "../quadlet/compat.js";
import { renderUnit } from "../quadlet/render.js";
import { resticRepository, restoreInstructions, type Retention } from "../backup/restic.js";
import type { BackupSpec } from "../backup/model.js";
import { lifecycleRules, r2Resources, type LifecycleRule } from "../backup/cloudflare.js";
import { backupTimer, backupUnit } from "../backup/quadlet.js";
import { backupCompose } from "../backup/compose.js";
import { backupKubernetesDocs, clusterBackupNames, resticPasswordSecret } from "../backup/kubernetes.js";
import { latticeClientCreds } from "../nats/auth.js";
import { backupInboxPrefix, backupRole, clusterBackupRole } from "../nats/backup-roles.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { PHASE } from "../core/host-items.js";
import { Lattice } from "./lattice.js";
import { SpinKubeCluster } from "./spinkube-cluster.js";
import { stageFile } from "../kubernetes/stages.js";
import { R2_KEYS } from "./prop-keys.js";
import { resolveR2Backup, type R2BackupProps } from "./r2-backup-props.js";

export type { R2BackupProps } from "./r2-backup-props.js";
export type { LifecycleRule } from "../backup/cloudflare.js";

/** restic's official image and Node for the snapshot step (both pinned by digest). */
export { DEFAULT_RESTIC_IMAGE } from "./r2-backup-props.js";
export { DEFAULT_NODE_IMAGE } from "../core/images.js";

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
  /** The streams the job snapshots; empty: every stream (on a hub). */
  readonly streams: readonly string[];

  constructor(lattice: Lattice, id: string, props: R2BackupProps) {
    super(lattice, id, "R2Backup");
    const p = (this.plain(props) ?? {}) as Partial<R2BackupProps>;
    this.knownKeys(p, R2_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "an R2Backup must be created inside a Lattice (it backs up that lattice's JetStream)");
    this.bucketName = `tlos-${lattice.node.id}-${this.node.id}`.slice(0, 63);
    ({
      accountId: this.accountId, jurisdiction: this.jurisdiction, location: this.location, storageClass: this.storageClass,
      retentionDays: this.retentionDays, abortMultipartDays: this.abortMultipartDays, hour: this.hour, minute: this.minute, keep: this.keep,
      endpoint: this.endpoint, resticImage: this.resticImage, nodeImage: this.nodeImage, runOn: this.runOn, streams: this.streams,
    } = resolveR2Backup(p, (f, m) => this.problem(f, m), (f, m) => this.warn(f, m)));
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

  /**
   * Hands the Issuer, Certificate and CronJob to the cluster's apply order (`08-backup-<id>.yaml`,
   * applied by 02-install.sh and the Pulumi adapter), and the job's user to the cluster's leaf.
   */
  protected override prepare(): void {
    const cluster = this.cluster();
    if (this.runOn !== "kubernetes" || !cluster?.wasmcloudNamespace) return;
    cluster.addDocs("backup", backupKubernetesDocs(this.spec(), cluster.wasmcloudNamespace), this.node.id);
    const role = clusterBackupRole(this.node.id, this.lattice.jetstreamDomain, this.streams);
    this.lattice.addClusterLeafUser(cluster.node.id, { role, podLabel: clusterBackupNames(this.node.id).podLabel });
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
      retentionDays: this.retentionDays, abortMultipartDays: this.abortMultipartDays, endpoint: this.endpoint, streams: this.streams,
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
    const backupCreds = latticeClientCreds(ctx.seed, this.lattice.path, `backup-${id}`, ctx.issuedAt, backupRole(id), this.lattice.renewableLifetime());
    add(`${dirs.secrets}/backup.creds`, backupCreds, "nats-creds", "nats", true);
    const spec = this.spec();
    ctx.step(cloudflareStep(this.path, "R2 bucket, lifecycle and token"));
    add(`${dir}/restore.sh`, restoreInstructions(this.repository(), `tlos-${lat}`, `nats://127.0.0.1:${hub.ports.client}`, `$HOME/.config/tlos/${lat}/backup.creds`, backupInboxPrefix(id)), "script", "backup", false, true);
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
      add(`${k8s.dir}/${stageFile("backup", id)}`, renderYaml(backupKubernetesDocs(spec, cluster.wasmcloudNamespace), { multi: true, header: [`Daily JetStream backup ${id} through the cluster's leaf, as user tlos-backup-${id} (client certificate ${id}-backup-tls from cert-manager). Its Secrets: ${id}-backup (restic password, under secrets/) and ${id}-backup-s3 (the bucket token's S3 keys; see PLAN.md). Generated by tlos.`] }), "k8s-manifest", "kubernetes");
      add(`${k8s.secrets}/${stageFile("backup", id).replace(/\.yaml$/, "")}-secret.yaml`, renderYaml(resticPasswordSecret(spec, cluster.wasmcloudNamespace, password)), "k8s-manifest", "kubernetes", true);
      ctx.step(backupStep(id, "kubernetes", "operator", { k8sDir: k8s.dir, namespace: cluster.wasmcloudNamespace }));
      return;
    }
    const unit = fitToPodman(backupUnit(spec, { id: hub.id, clientPort: hub.ports.client }), this.lattice.podmanVersion).unit;
    const unitText = renderUnit(unit);
    ctx.add({ path: `${dirs.quadlet}/${unit.name}.container`, content: unitText, kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.lattice.podmanVersion });
    const timer = renderIni(backupTimer(spec), [`Timer of backup ${id} on hub ${hub.id} (its bundle installs it). Generated by tlos.`]);
    add(`${dirs.systemd}/${id}-backup.timer`, timer, "systemd-unit", "backup");
    ctx.step(backupStep(id, "hub", hub.id, {}));
    ctx.host(hub.id, `backup ${id} of lattice ${this.lattice.name}`, [
      { kind: "secret", name: `tlos-${id}-restic-password`, file: `${id}-restic-password`, content: `${password}\n` },
      { kind: "secret", name: `tlos-${id}-s3-key-id`, file: `${id}-s3-access-key-id`, optional: "the S3 access key id of the bucket token, from pulumi stack output" },
      { kind: "secret", name: `tlos-${id}-s3-secret`, file: `${id}-s3-secret-access-key`, optional: "the S3 secret of the bucket token, from pulumi stack output" },
      { kind: "unit", file: `${unit.name}.container`, content: unitText, podmanVersion: this.lattice.podmanVersion },
      { kind: "user-unit", file: `${id}-backup.timer`, content: timer },
      { kind: "home-file", dest: `.config/tlos/${lat}/backup.creds`, file: `${id}-backup.creds`, content: backupCreds, secret: true },
      { kind: "needs", program: "tlos", why: "the backup takes its snapshot with tlos jetstream backup (npm install -g @tlos/grid)" },
      { kind: "start", unit: `${id}-backup.timer`, enable: true, order: 30 },
      { kind: "check", text: `systemctl --user list-timers ${id}-backup.timer shows the next run; systemctl --user start ${id}-backup.service once, then restic snapshots (with the bucket's keys) lists a jetstream snapshot` },
    ], PHASE.hubs);
  }
}
