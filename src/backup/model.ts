/** One R2Backup, resolved: what every backup document (unit, timer, compose, CronJob, Cloudflare) is built from. */
import { backupInboxPrefix } from "../nats/backup-roles.js";
import type { Retention } from "./restic.js";

export type Jurisdiction = "default" | "eu" | "fedramp";
export type StorageClass = "Standard" | "InfrequentAccess";

export interface BackupSpec {
  /** The backup's construct id: names units, secrets and the CronJob. */
  readonly id: string;
  /** The lattice's construct id (folders, `tlos-<lattice>` restic host). */
  readonly lattice: string;
  /** The lattice's name (descriptions). */
  readonly latticeName: string;
  readonly jetstreamDomain: string;
  /** `RESTIC_REPOSITORY`. */
  readonly repository: string;
  readonly keep: Retention;
  readonly resticImage: string;
  readonly nodeImage: string;
  /** Daily run time, UTC. */
  readonly hour: number;
  readonly minute: number;
  readonly accountId: string;
  readonly bucketName: string;
  readonly jurisdiction: Jurisdiction;
  readonly location: string | undefined;
  readonly storageClass: StorageClass;
  readonly retentionDays: number;
  readonly abortMultipartDays: number;
  readonly endpoint: string;
  /** The streams to snapshot; empty: every stream (hub job only). */
  readonly streams: readonly string[];
}

/** The restic host name every snapshot of the lattice is tagged with. */
export const resticHost = (s: BackupSpec): string => `tlos-${s.lattice}`;

/** `tlos jetstream backup` flags every form of the job passes: its own inbox prefix, the named streams. */
export const snapshotFlags = (s: BackupSpec): string[] => ["--inbox-prefix", backupInboxPrefix(s.id), ...s.streams.flatMap((x) => ["--stream", x])];
