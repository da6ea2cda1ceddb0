/**
 * The roles of the JetStream backup jobs: on a hub (`backupRole`) and in a Kubernetes cluster
 * through its leaf (`clusterBackupRole`). Both receive on their own inbox prefix, never `_INBOX.>`.
 */
import type { Role } from "./roles.js";

/**
 * Inbox prefix of a backup job (nats.js `inboxPrefix`, `tlos jetstream --inbox-prefix`): its
 * replies and the snapshot chunks JetStream streams to it arrive there. It is outside `_INBOX.`,
 * so the node identities (which must receive `_INBOX.>`) never see a stream's snapshot.
 */
export const backupInboxPrefix = (backupId: string) => `_TLOS_BACKUP.${backupId}`;

/** The JetStream backup job (`tlos jetstream backup` / `restore`), on a hub's client port. */
export function backupRole(backupId = "<id>"): Role {
  return {
    id: "backup",
    title: "backup job",
    holder: "one hub: `secrets/<lattice>/backup/<id>/backup.creds`",
    trust: "trusted",
    connection: ["STANDARD"],
    renewable: true,
    perms: {
      pub: [
        "$JS.API.INFO", "$JS.API.STREAM.NAMES", "$JS.API.STREAM.LIST", "$JS.API.STREAM.INFO.*",
        "$JS.API.STREAM.SNAPSHOT.*", "$JS.SNAPSHOT.ACK.>", // src/jetstream/snapshot.ts backup
        "$JS.API.STREAM.RESTORE.*", "$JS.SNAPSHOT.RESTORE.>", // restore into a fresh server
      ],
      sub: [`${backupInboxPrefix(backupId)}.>`], // replies and snapshot chunks, on its own prefix
    },
    cannot: "delete, purge or update streams; read or publish lattice traffic; receive or send on `_INBOX.>`",
  };
}

/**
 * The in-cluster backup job of an R2Backup (`runOn: "kubernetes"`): a user of the cluster's leaf,
 * mapped from its client certificate (cert-manager, signed by the chart's CA). Through the leaf it
 * reaches the hub domain's JetStream API for exactly the snapshots of `streams` — no stream list,
 * no message get, no consumer, no restore — and receives only on its own inbox prefix.
 * JetStream snapshot API: nats-server `server/jetstream_api.go` (`JSApiStreamSnapshot`,
 * `$JS.SNAPSHOT.ACK.<stream>.<id>` flow control).
 */
export function clusterBackupRole(backupId: string, domain: string, streams: readonly string[]): Role {
  const api = `$JS.${domain}.API`;
  return {
    id: `tlos-backup-${backupId}`,
    title: "backup job (in-cluster)",
    holder: "in-cluster: client certificate `tlos-backup-<id>` (cert-manager, signed by the chart's CA), Secret `<id>-backup-tls`",
    trust: "semi-trusted",
    connection: "config",
    renewable: false,
    perms: {
      pub: streams.flatMap((s) => [`${api}.STREAM.SNAPSHOT.${s}`, `$JS.SNAPSHOT.ACK.${s}.>`]), // src/jetstream/snapshot.ts snapshotStream
      sub: [`${backupInboxPrefix(backupId)}.>`],
    },
    cannot: "snapshot any other stream; list streams, get messages, consume, restore, delete or purge; publish lattice traffic; receive on `_INBOX.>`",
  };
}
