/**
 * The Quadlet units of a rootless tLOS node: a pod (shared network namespace, pasta, user
 * namespace, no published port unless asked) holding a NATS leaf and a wasmCloud host, plus the
 * JetStream volume. Credentials arrive as Podman secrets; nothing secret is in these files.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import type { IniEntry } from "../core/ini.js";
import { joinArgs } from "../core/ini.js";
import type { QuadletUnit } from "./model.js";
import { serviceName } from "./model.js";
import { HARDENING, healthEntries, labelEntries, RESTART, WANTED_BY_DEFAULT } from "./common.js";

export interface PublishedPort {
  readonly hostIp?: string;
  readonly host: number;
  readonly container: number;
  readonly protocol: "tcp" | "udp";
}

export interface NodeUnitsInput {
  readonly node: string;
  readonly lattice: string;
  readonly natsImage: string;
  readonly hostImage: string;
  /** Name of the leaf config file next to the units. */
  readonly natsConfFile: string;
  readonly configDir: string;
  readonly storeDir: string;
  readonly monitorPort: number;
  readonly userNS: string;
  readonly autoUpdate: "registry" | "local" | undefined;
  readonly publish: readonly PublishedPort[];
  readonly cpus: string | undefined;
  readonly memory: string | undefined;
  readonly hostExec: readonly string[];
  readonly hostEnv: Readonly<Record<string, string>>;
  /** env var → Podman secret name. */
  readonly hostSecretEnv: Readonly<Record<string, string>>;
  readonly secrets: { readonly leafCreds: string; readonly ca: string };
  readonly labels: Readonly<Record<string, string>>;
  /** Extra keys per unit, appended last (checked against the Podman version by the caller). */
  readonly extra: { readonly pod: readonly IniEntry[]; readonly nats: readonly IniEntry[]; readonly host: readonly IniEntry[] };
}

function publishEntry(p: PublishedPort): IniEntry {
  const ip = p.hostIp ? (p.hostIp.includes(":") ? `[${p.hostIp}]:` : `${p.hostIp}:`) : "";
  return ["PublishPort", `${ip}${p.host}:${p.container}/${p.protocol}`];
}

export function nodeUnits(i: NodeUnitsInput): QuadletUnit[] {
  // the same labels go on the volume and both containers: quoted once
  const labels = labelEntries(i.labels);
  const pod: QuadletUnit = {
    type: "pod",
    name: i.node,
    header: [`tLOS node ${i.node} (lattice ${i.lattice}): network namespace shared by its NATS leaf and wasmCloud host.`],
    body: [
      ["PodName", `tlos-${i.node}`],
      ["Network", "pasta"],
      ["UserNS", i.userNS],
      ...i.publish.map(publishEntry),
      ...i.extra.pod,
    ],
    install: WANTED_BY_DEFAULT,
  };
  const volume: QuadletUnit = {
    type: "volume",
    name: `${i.node}-jetstream`,
    header: [`JetStream store of the NATS leaf of ${i.node}.`],
    body: [["VolumeName", `tlos-${i.node}-jetstream`], ...labels],
  };
  const auto: IniEntry[] = i.autoUpdate ? [["AutoUpdate", i.autoUpdate]] : [];
  const nats: QuadletUnit = {
    type: "container",
    name: `${i.node}-nats`,
    header: [`NATS leaf of ${i.node}: loopback listener only, dials out to the lattice hubs over TLS.`],
    unit: [["Description", `tLOS ${i.node} NATS leaf`]],
    body: [
      ["ContainerName", `tlos-${i.node}-nats`],
      ["Image", i.natsImage],
      ["Pod", `${i.node}.pod`],
      ["Exec", joinArgs(["nats-server", "--config", `${i.configDir}/nats-server.conf`])],
      ["Volume", `./${i.natsConfFile}:${i.configDir}/nats-server.conf:ro,Z`],
      ["Volume", `${volume.name}.volume:${i.storeDir}:Z`],
      ["Secret", `${i.secrets.leafCreds},type=mount,target=${i.configDir}/leaf.creds,mode=0400`],
      ["Secret", `${i.secrets.ca},type=mount,target=${i.configDir}/tls/ca.pem,mode=0444`],
      ["ReadOnly", "true"],
      ...HARDENING,
      ...healthEntries({ cmd: `wget -q --spider http://127.0.0.1:${i.monitorPort}/healthz`, interval: "10s", retries: 3, startPeriod: "30s" }),
      ...auto,
      ...labels,
      ...i.extra.nats,
    ],
    service: RESTART,
    install: WANTED_BY_DEFAULT,
  };
  const natsService = serviceName(nats);
  const limits: string[] = [];
  if (i.cpus) limits.push(`--cpus=${i.cpus}`);
  const host: QuadletUnit = {
    type: "container",
    name: `${i.node}-wasmcloud`,
    header: [`wasmCloud host of ${i.node}: talks to its leaf on 127.0.0.1 once the leaf is healthy.`],
    unit: [
      ["Description", `tLOS ${i.node} wasmCloud host`],
      ["Requires", natsService],
      ["After", natsService],
    ],
    body: [
      ["ContainerName", `tlos-${i.node}-wasmcloud`],
      ["Image", i.hostImage],
      ["Pod", `${i.node}.pod`],
      ...(i.hostExec.length > 0 ? [["Exec", joinArgs(i.hostExec)] as IniEntry] : []),
      ...Object.keys(i.hostEnv).sort().map((k) => ["Environment", joinArgs([`${k}=${i.hostEnv[k]}`])] as IniEntry),
      ...Object.keys(i.hostSecretEnv).sort().map((k) => ["Secret", `${i.hostSecretEnv[k]},type=env,target=${k}`] as IniEntry),
      ...(i.memory ? [["Memory", i.memory] as IniEntry] : []),
      ...(limits.length > 0 ? [["PodmanArgs", joinArgs(limits)] as IniEntry] : []),
      // read-only root; podman's default --read-only-tmpfs gives the host /tmp, /var/tmp and /run as scratch
      ["ReadOnly", "true"],
      ...HARDENING,
      ...auto,
      ...labels,
      ...i.extra.host,
    ],
    service: RESTART,
    install: WANTED_BY_DEFAULT,
  };
  return [pod, volume, nats, host];
}
