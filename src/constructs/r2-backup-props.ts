/**
 * What an {@link R2Backup} takes ({@link R2BackupProps}) and what it resolves them to
 * ({@link ResolvedR2Backup}), in the akash-checks style: problems go to `report`, a bad prop
 * resolves to a safe fallback.
 * @see https://developers.cloudflare.com/r2/
 */
import { show } from "../core/errors.js";
import { NATS_NAME_PATTERN } from "../core/names.js";
import { resolveImage } from "../core/image.js";
import { DEFAULT_NODE_IMAGE } from "../core/images.js";
import { r2Endpoint, type Retention } from "../backup/restic.js";
import { keepHorizonDays, retentionProblems } from "../backup/retention.js";
import type { Report } from "./validate.js";

/** Props of an `R2Backup`. */
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
  /**
   * The streams to snapshot (names in the hub domain; a KV bucket `b` is stream `KV_b`). On
   * `"hub"` the job may snapshot every stream and takes them all when none are named. On
   * `"kubernetes"` they are required: the in-cluster job's identity may snapshot these streams
   * and nothing else.
   * @default every stream of the hub domain (`"hub"`); none (`"kubernetes"`: name them)
   * @see https://docs.nats.io/running-a-nats-service/nats_admin/jetstream_admin/disaster_recovery
   */
  readonly streams?: readonly string[];
}

/**
 * restic's official image, by the multi-arch index digest public manifests pin 0.17.3 with:
 * JoelGotsch/homelab-k8s `infrastructure/backup-cronjobs/nas-personal-cronjob.yaml` (a restic
 * CronJob, commit 02de4d6), and the same digest in several other public repositories' compose
 * files and scripts (one of them noting it is the manifest-list digest).
 * @see https://hub.docker.com/r/restic/restic
 */
export const DEFAULT_RESTIC_IMAGE = "docker.io/restic/restic:0.17.3@sha256:8f5a62b422a2cb1277ea0dd6e826fe1acf649e5b9f02d60e5268d5fd1976255a";
const ACCOUNT = /^[0-9a-f]{32}$/;

/** Resolves an R2Backup's props (a plain copy): problems to `report`, warnings (image tags) to `warn`. */
export function resolveR2Backup(p: Partial<R2BackupProps>, report: Report, warn: Report) {
  const accountId = typeof p.accountId === "string" ? p.accountId : "";
  if (!ACCOUNT.test(accountId)) report("accountId", `${show(p.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
  const b = (typeof p.bucket === "object" && p.bucket !== null ? p.bucket : {}) as NonNullable<R2BackupProps["bucket"]>;
  if (p.bucket !== undefined && (typeof p.bucket !== "object" || p.bucket === null)) report("bucket", `must be an object, got ${show(p.bucket)}`);
  const jurisdiction = b.jurisdiction ?? "default";
  if (!["default", "eu", "fedramp"].includes(jurisdiction)) report("bucket.jurisdiction", `${show(b.jurisdiction)} is not allowed: use "default", "eu" or "fedramp"`);
  const location = b.location;
  if (b.location !== undefined && !["apac", "eeur", "enam", "weur", "wnam", "oc"].includes(b.location)) report("bucket.location", `${show(b.location)} is not an R2 location hint: use apac, eeur, enam, weur, wnam or oc`);
  const storageClass = b.storageClass ?? "Standard";
  if (!["Standard", "InfrequentAccess"].includes(storageClass)) report("bucket.storageClass", `${show(b.storageClass)} is not allowed: use "Standard" or "InfrequentAccess"`);
  const days = (f: string, v: unknown, d: number, min: number) => {
    const x = v ?? d;
    if (!(Number.isInteger(x) && (x as number) >= min && (x as number) <= 3650)) {
      report(f, `${show(v)} is not allowed: use whole days from ${min} to 3650`);
      return d;
    }
    return x as number;
  };
  const abortMultipartDays = days("abortMultipartDays", p.abortMultipartDays, 7, 1);
  const at = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(typeof p.at === "string" ? p.at : p.at === undefined ? "03:17" : "");
  if (!at) report("at", `${show(p.at)} is not a time: use "HH:MM" (UTC)`);
  const hour = Number(at?.[1] ?? 3);
  const minute = Number(at?.[2] ?? 17);
  const k = (typeof p.keep === "object" && p.keep !== null ? p.keep : {}) as Partial<Retention>;
  const n = (f: keyof Retention, d: number) => {
    const v = k[f] ?? d;
    if (!(Number.isInteger(v) && v >= 0 && v <= 1000)) {
      report(`keep.${f}`, `${show(v)} is not allowed: use a count from 0 to 1000`);
      return d;
    }
    return v;
  };
  const keep: Retention = { daily: n("daily", 7), weekly: n("weekly", 4), monthly: n("monthly", 6) };
  if (keep.daily + keep.weekly + keep.monthly === 0) report("keep", "keeping nothing deletes every backup: keep at least one snapshot");
  const retentionDays = days("retentionDays", p.retentionDays, keepHorizonDays(keep), 1);
  for (const r of retentionProblems(retentionDays, keep)) report(r.field, r.message);
  const endpoint = typeof p.endpoint === "string" && /^https?:\/\/[\w.-]+(:\d+)?\/?$/.test(p.endpoint) ? p.endpoint : r2Endpoint(accountId || "0".repeat(32), jurisdiction);
  if (p.endpoint !== undefined && endpoint !== p.endpoint) report("endpoint", `${show(p.endpoint)} is not an http(s) endpoint URL`);
  const resticImage = resolveImage(report, warn, "images.restic", p.images?.restic ?? DEFAULT_RESTIC_IMAGE, DEFAULT_RESTIC_IMAGE);
  const nodeImage = resolveImage(report, warn, "images.node", p.images?.node ?? DEFAULT_NODE_IMAGE, DEFAULT_NODE_IMAGE);
  const on = p.runOn ?? "hub";
  const runOn: "hub" | "kubernetes" = on === "kubernetes" ? "kubernetes" : "hub";
  if (on !== "hub" && on !== "kubernetes") report("runOn", `${show(p.runOn)} is not allowed: use "hub" (default) or "kubernetes"`);
  return { accountId, jurisdiction, location, storageClass, retentionDays, abortMultipartDays, hour, minute, keep, endpoint, resticImage, nodeImage, runOn, streams: resolveStreams(p.streams, runOn, report) };
}

function resolveStreams(v: unknown, runOn: "hub" | "kubernetes", report: Report): string[] {
  if (v !== undefined && !Array.isArray(v)) {
    report("streams", `must be a list of stream names, got ${show(v)}`);
    return [];
  }
  const names = (v ?? []) as unknown[];
  names.forEach((s, i) => {
    if (typeof s !== "string" || !NATS_NAME_PATTERN.test(s)) report(`streams[${i}]`, `${show(s)} is not a stream name: use letters, digits, '_' and '-', starting with a letter`);
  });
  const ok = [...new Set(names.filter((s): s is string => typeof s === "string" && NATS_NAME_PATTERN.test(s)))].sort();
  if (runOn === "kubernetes" && names.length === 0) report("streams", `runOn "kubernetes" needs the streams to back up (its in-cluster identity may snapshot those and no others): e.g. streams: ["KV_app-data"]`);
  return ok;
}

/** A R2Backup's props with every default filled and every bad value replaced by its fallback. */
export type ResolvedR2Backup = ReturnType<typeof resolveR2Backup>;
