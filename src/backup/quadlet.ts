/**
 * The Podman side of an R2Backup on the lattice's first hub: a oneshot Quadlet `.container`
 * (JetStream snapshots through `tlos jetstream backup` on the host, then restic to the bucket)
 * and the daily systemd `.timer` that starts it.
 */
import { joinArgs, type IniSection } from "../core/ini.js";
import { HARDENING } from "../quadlet/common.js";
import type { QuadletUnit } from "../quadlet/model.js";
import { resticScript } from "./restic.js";
import { resticHost, snapshotFlags, type BackupSpec } from "./model.js";

/** The hub the job runs on: its id (unit ordering) and NATS client port. */
export interface BackupHub {
  readonly id: string;
  readonly clientPort: number;
}

export function backupUnit(s: BackupSpec, hub: BackupHub): QuadletUnit {
  const id = s.id;
  const lat = s.lattice;
  const hubId = hub.id;
  const clientPort = hub.clientPort;
  const snap = `%h/.local/share/tlos/${lat}/${id}/snapshot`;
    return {
      type: "container",
      name: `${id}-backup`,
      header: [`Backup ${id} of lattice ${s.latticeName}: JetStream snapshots (tlos, on the host) then restic to R2. Started by ${id}-backup.timer.`],
      unit: [["Description", `tLOS JetStream backup ${id}`], ["After", `${hubId}-nats.service`], ["Wants", `${hubId}-nats.service`]],
      body: [
        ["ContainerName", `tlos-${id}-backup`],
        ["Image", s.resticImage],
        ["Entrypoint", "/bin/sh"],
        ["Exec", joinArgs(["-c", resticScript("/snapshot", resticHost(s), s.keep)])],
        ["Environment", `RESTIC_REPOSITORY=${s.repository}`],
        ["Environment", "RESTIC_PASSWORD_FILE=/run/secrets/restic-password"],
        ["Environment", "RESTIC_CACHE_DIR=/tmp/restic-cache"],
        ["Secret", `tlos-${id}-restic-password,type=mount,target=/run/secrets/restic-password,mode=0400`],
        ["Secret", `tlos-${id}-s3-key-id,type=env,target=AWS_ACCESS_KEY_ID`],
        ["Secret", `tlos-${id}-s3-secret,type=env,target=AWS_SECRET_ACCESS_KEY`],
        ["Network", "pasta"],
        ["UserNS", "auto"],
        ["Tmpfs", "/tmp"],
        ["ReadOnly", "true"],
        ...HARDENING,
      ],
      // the snapshot folder is under the user's home: %h is meant for systemd here
      bodySpecified: [["Volume", `${snap}:/snapshot:ro,Z`]],
      service: [
        ["Type", "oneshot"],
        // the snapshot's parent stays the user's alone (0700); the snapshot itself must be readable
        // by the container's user: with UserNS=auto and no capabilities that is "others" (uid 65534
        // there), and tlos writes its files 0600
        ["ExecStartPre", `/usr/bin/install -d -m 0700 %h/.local/share/tlos/${lat}/${id}`],
        ["ExecStartPre", `/bin/rm -rf ${snap}`],
        ["ExecStartPre", `/usr/bin/env tlos jetstream backup --server nats://127.0.0.1:${clientPort} --creds %h/.config/tlos/${lat}/backup.creds --out ${snap} ${joinArgs(snapshotFlags(s))}`],
        ["ExecStartPre", `/bin/chmod -R u=rwX,go=rX ${snap}`],
        ["TimeoutStartSec", "3600"],
      ],
  };
}

/** The daily timer that starts the unit. */
export function backupTimer(s: BackupSpec): IniSection[] {
  return [
    { name: "Unit", entries: [["Description", `Daily JetStream backup ${s.id} of lattice ${s.latticeName}`]] },
    { name: "Timer", entries: [["OnCalendar", `*-*-* ${String(s.hour).padStart(2, "0")}:${String(s.minute).padStart(2, "0")}:00 UTC`], ["Persistent", "true"], ["RandomizedDelaySec", "300"], ["Unit", `${s.id}-backup.service`]] },
    { name: "Install", entries: [["WantedBy", "timers.target"]] },
  ];
}
