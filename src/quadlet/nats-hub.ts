/**
 * The Quadlet units of one lattice hub: a NATS cluster member that accepts routes from the other
 * hubs and leaf connections from nodes (the only published ports of a grid), with its JetStream
 * volume. TLS material and the operator JWT arrive as a Podman secret and a read-only file.
 */
import type { IniEntry } from "../core/ini.js";
import { joinArgs } from "../core/ini.js";
import type { QuadletUnit } from "./model.js";
import { HARDENING, healthEntries, labelEntries, RESTART, WANTED_BY_DEFAULT } from "./common.js";

export interface HubUnitsInput {
  readonly hub: string;
  readonly lattice: string;
  readonly image: string;
  readonly natsConfFile: string;
  readonly operatorJwtFile: string;
  readonly configDir: string;
  readonly storeDir: string;
  readonly monitorPort: number;
  /** Ports published on the host: cluster and leafnode. */
  readonly publish: readonly number[];
  readonly userNS: string;
  readonly autoUpdate: "registry" | "local" | undefined;
  readonly secrets: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly labels: Readonly<Record<string, string>>;
}

export function hubUnits(i: HubUnitsInput): QuadletUnit[] {
  const volume: QuadletUnit = {
    type: "volume",
    name: `${i.hub}-jetstream`,
    header: [`JetStream and resolver store of hub ${i.hub}.`],
    body: [["VolumeName", `tlos-${i.hub}-jetstream`], ...labelEntries(i.labels)],
  };
  const auto: IniEntry[] = i.autoUpdate ? [["AutoUpdate", i.autoUpdate]] : [];
  const hub: QuadletUnit = {
    type: "container",
    name: i.hub,
    header: [`NATS hub ${i.hub} of lattice ${i.lattice}: routes to the other hubs and accepts leaf nodes, both over TLS.`],
    unit: [["Description", `tLOS hub ${i.hub}`]],
    body: [
      ["ContainerName", `tlos-${i.hub}`],
      ["Image", i.image],
      ["Exec", joinArgs(["nats-server", "--config", `${i.configDir}/nats-server.conf`])],
      ["Network", "pasta"],
      ["UserNS", i.userNS],
      ...i.publish.map((p) => ["PublishPort", `${p}:${p}/tcp`] as IniEntry),
      ["Volume", `./${i.natsConfFile}:${i.configDir}/nats-server.conf:ro,Z`],
      ["Volume", `./${i.operatorJwtFile}:${i.configDir}/operator.jwt:ro,Z`],
      ["Volume", `${volume.name}.volume:${i.storeDir}:Z`],
      ["Secret", `${i.secrets.ca},type=mount,target=${i.configDir}/tls/ca.pem,mode=0444`],
      ["Secret", `${i.secrets.cert},type=mount,target=${i.configDir}/tls/server.pem,mode=0444`],
      ["Secret", `${i.secrets.key},type=mount,target=${i.configDir}/tls/server-key.pem,mode=0400`],
      ["ReadOnly", "true"],
      ...HARDENING,
      ...healthEntries({ cmd: `wget -q --spider http://127.0.0.1:${i.monitorPort}/healthz`, interval: "10s", retries: 3, startPeriod: "60s" }),
      ...auto,
      ...labelEntries(i.labels),
    ],
    service: RESTART,
    install: WANTED_BY_DEFAULT,
  };
  return [volume, hub];
}
