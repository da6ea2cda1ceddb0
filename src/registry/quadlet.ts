/**
 * The Podman side of a grid registry on its machine: one pod (one user namespace, so the
 * instances and the collector read and write the same files) publishing the pull and push ports,
 * the pull and push containers of CNCF distribution, the storage volume (pull mounts it
 * read-only), and the garbage collector with its weekly timer. The collector stops the push
 * instance while it runs (`Conflicts=`) and starts it again after: distribution's
 * `garbage-collect` must not race an upload.
 * @see https://distribution.github.io/distribution/about/garbage-collection/
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import type { IniEntry, IniSection } from "../core/ini.js";
import { HARDENING, RESTART, WANTED_BY_DEFAULT } from "../quadlet/common.js";
import { serviceName, type QuadletUnit } from "../quadlet/model.js";
import { REGISTRY_PATHS, type RegistryRole, type RegistrySpec } from "./model.js";

/** Podman secret names of a registry (created by the machine's install.sh). */
export function registrySecretNames(id: string) {
  const b = `tlos-${id}-registry`;
  return {
    htpasswd: (role: RegistryRole) => `${b}-${role}-htpasswd`, cert: `${b}-cert`, key: `${b}-key`, httpSecret: `${b}-http-secret`,
    s3AccessKey: `${b}-s3-access-key`, s3SecretKey: `${b}-s3-secret-key`,
  };
}

/** Quadlet file names of the two configs (installed beside the units, mounted by relative path). */
export const configFile = (id: string, role: RegistryRole): string => `${id}-registry-${role}.yml`;

/** Where each instance listens inside the pod (one network namespace: two ports). */
export const LISTEN: Readonly<Record<RegistryRole, number>> = { pull: 5000, push: 5001 };

function mounts(s: RegistrySpec, role: RegistryRole | "gc"): IniEntry[] {
  const n = registrySecretNames(s.id);
  const cfgRole: RegistryRole = role === "pull" ? "pull" : "push";
  const out: IniEntry[] = [
    ["Volume", `./${configFile(s.id, cfgRole)}:${REGISTRY_PATHS.config}:ro,z`],
    ["Secret", `${n.htpasswd(cfgRole)},type=mount,target=${REGISTRY_PATHS.htpasswd},mode=0444`],
    ["Secret", `${n.cert},type=mount,target=${REGISTRY_PATHS.cert},mode=0444`],
    ["Secret", `${n.key},type=mount,target=${REGISTRY_PATHS.key},mode=0400`],
    ["Secret", `${n.httpSecret},type=env,target=REGISTRY_HTTP_SECRET`],
  ];
  if (s.storage.driver === "volume") out.push(["Volume", `${s.id}-registry.volume:${REGISTRY_PATHS.data}:${role === "pull" ? "ro," : ""}z`]);
  else out.push(["Secret", `${n.s3AccessKey},type=env,target=REGISTRY_STORAGE_S3_ACCESSKEY`], ["Secret", `${n.s3SecretKey},type=env,target=REGISTRY_STORAGE_S3_SECRETKEY`]);
  return out;
}

function instance(s: RegistrySpec, role: RegistryRole): QuadletUnit {
  const what = role === "pull" ? "read-only; the hosts' identities pull here" : "the pipeline identity pushes here";
  return {
    type: "container",
    name: `${s.id}-registry-${role}`,
    header: [`OCI registry ${s.id} of lattice ${s.latticeName}, ${role} instance (${what}).`],
    unit: [["Description", `tLOS registry ${s.id} (${role})`]],
    body: [
      ["ContainerName", `tlos-${s.id}-registry-${role}`],
      ["Image", s.image],
      ["Pod", `${s.id}-registry.pod`],
      ["Exec", `serve ${REGISTRY_PATHS.config}`],
      ...mounts(s, role),
      ["ReadOnly", "true"],
      ["Tmpfs", "/tmp"],
      ...HARDENING,
    ],
    service: RESTART,
    install: WANTED_BY_DEFAULT,
  };
}

export function registryUnits(s: RegistrySpec, userNS: string): QuadletUnit[] {
  const pod: QuadletUnit = {
    type: "pod",
    name: `${s.id}-registry`,
    header: [`OCI registry ${s.id}: pull on ${s.ports.pull} (hosts), push on ${s.ports.push} (pipelines), both TLS from the lattice CA.`],
    body: [
      ["PodName", `tlos-${s.id}-registry`],
      ["Network", "pasta"],
      ["UserNS", userNS],
      ["PublishPort", `${s.bindIp}:${s.ports.pull}:${LISTEN.pull}/tcp`],
      ["PublishPort", `${s.bindIp}:${s.ports.push}:${LISTEN.push}/tcp`],
    ],
    install: WANTED_BY_DEFAULT,
  };
  const units: QuadletUnit[] = [pod, instance(s, "pull"), instance(s, "push")];
  if (s.storage.driver === "volume") units.push({ type: "volume", name: `${s.id}-registry`, header: [`Blobs and manifests of registry ${s.id}.`], body: [["VolumeName", `tlos-${s.id}-registry`]] });
  const push = serviceName({ type: "container", name: `${s.id}-registry-push` });
  units.push({
    type: "container",
    name: `${s.id}-registry-gc`,
    header: [`Garbage collection of registry ${s.id}: stops the push instance, deletes blobs no manifest references (manifests pushed by digest stay: no --delete-untagged), starts push again. Started by ${s.id}-registry-gc.timer.`],
    unit: [["Description", `tLOS registry ${s.id} garbage collection`], ["Conflicts", push], ["After", push]],
    body: [
      ["ContainerName", `tlos-${s.id}-registry-gc`],
      ["Image", s.image],
      ["Pod", `${s.id}-registry.pod`],
      ["Exec", `garbage-collect ${REGISTRY_PATHS.config}`],
      ...mounts(s, "gc"),
      ["ReadOnly", "true"],
      ["Tmpfs", "/tmp"],
      ...HARDENING,
    ],
    service: [["Type", "oneshot"], ["TimeoutStartSec", "3600"], ["ExecStopPost", `/usr/bin/systemctl --user start --no-block ${push}`]],
  });
  return units;
}

/** The weekly timer of the collector. */
export function gcTimer(s: RegistrySpec): IniSection[] {
  return [
    { name: "Unit", entries: [["Description", `Weekly garbage collection of registry ${s.id}`]] },
    { name: "Timer", entries: [["OnCalendar", s.gcCalendar], ["Persistent", "true"], ["RandomizedDelaySec", "600"], ["Unit", `${s.id}-registry-gc.service`]] },
    { name: "Install", entries: [["WantedBy", "timers.target"]] },
  ];
}
