/**
 * The Quadlet units of one lattice hub: a pod (the only published ports of a grid: cluster routes
 * and leafnodes, plus the client port on loopback for tools on the hub machine) holding the
 * nats-server and, on v1 lattices, wadm. TLS material arrives as Podman secrets.
 */
import type { IniEntry } from "../core/ini.js";
import { joinArgs } from "../core/ini.js";
import type { QuadletUnit } from "./model.js";
import { serviceName } from "./model.js";
import { HARDENING, healthEntries, labelEntries, RESTART, WANTED_BY_DEFAULT } from "./common.js";

export interface HubUnitsInput {
  readonly hub: string;
  readonly lattice: string;
  readonly image: string;
  readonly natsConfFile: string;
  readonly operatorJwtFile: string;
  readonly configDir: string;
  readonly storeDir: string;
  readonly clientPort: number;
  readonly monitorPort: number;
  /** Ports published on all addresses: cluster and leafnode. */
  readonly publish: readonly number[];
  readonly userNS: string;
  readonly autoUpdate: "registry" | "local" | undefined;
  readonly secrets: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly labels: Readonly<Record<string, string>>;
  /** wasmCloud v1: wadm beside the hub. */
  readonly wadm?: { readonly image: string; readonly credsSecret: string };
}

export function hubUnits(i: HubUnitsInput): QuadletUnit[] {
  const auto: IniEntry[] = i.autoUpdate ? [["AutoUpdate", i.autoUpdate]] : [];
  const pod: QuadletUnit = {
    type: "pod",
    name: i.hub,
    header: [`Hub ${i.hub} of lattice ${i.lattice}: publishes the cluster and leafnode ports; the client port only on loopback.`],
    body: [
      ["PodName", `tlos-${i.hub}`],
      ["Network", "pasta"],
      ["UserNS", i.userNS],
      ...i.publish.map((p) => ["PublishPort", `${p}:${p}/tcp`] as IniEntry),
      ["PublishPort", `127.0.0.1:${i.clientPort}:${i.clientPort}/tcp`],
    ],
    install: WANTED_BY_DEFAULT,
  };
  const volume: QuadletUnit = {
    type: "volume",
    name: `${i.hub}-jetstream`,
    header: [`JetStream and resolver store of hub ${i.hub}.`],
    body: [["VolumeName", `tlos-${i.hub}-jetstream`], ...labelEntries(i.labels)],
  };
  const nats: QuadletUnit = {
    type: "container",
    name: `${i.hub}-nats`,
    header: [`nats-server of hub ${i.hub}: routes to the other hubs and accepts leaf nodes, both over TLS.`],
    unit: [["Description", `tLOS hub ${i.hub} nats-server`]],
    body: [
      ["ContainerName", `tlos-${i.hub}-nats`],
      ["Image", i.image],
      ["Pod", `${i.hub}.pod`],
      ["Exec", joinArgs(["nats-server", "--config", `${i.configDir}/nats-server.conf`])],
      ["Volume", `./${i.natsConfFile}:${i.configDir}/nats-server.conf:ro,Z`],
      ["Volume", `./${i.operatorJwtFile}:${i.configDir}/operator.jwt:ro,Z`],
      ["Volume", `${volume.name}.volume:${i.storeDir}:Z`],
      ["Secret", `${i.secrets.ca},type=mount,target=${i.configDir}/tls/ca.pem,mode=0444`],
      ["Secret", `${i.secrets.cert},type=mount,target=${i.configDir}/tls/server.pem,mode=0444`],
      ["Secret", `${i.secrets.key},type=mount,target=${i.configDir}/tls/server-key.pem,mode=0400`],
      ["ReadOnly", "true"],
      ...HARDENING,
      // Liveness and readiness in one: the server answers and JetStream is on. Plain /healthz also
      // needs a JetStream meta leader, so HealthOnFailure=kill would kill the first hub brought up,
      // or a survivor while two hubs are down, for lacking a quorum it cannot make alone.
      ...healthEntries({ cmd: `wget -q --spider http://127.0.0.1:${i.monitorPort}/healthz?js-enabled-only=true`, interval: "10s", retries: 3, startPeriod: "60s" }),
      ...auto,
      ...labelEntries(i.labels),
    ],
    service: RESTART,
    install: WANTED_BY_DEFAULT,
  };
  const units = [pod, volume, nats];
  if (i.wadm) {
    const after = serviceName(nats);
    units.push({
      type: "container",
      name: `${i.hub}-wadm`,
      header: [`wadm of lattice ${i.lattice} on hub ${i.hub}: reconciles OAM applications; several wadm instances share the work.`],
      unit: [["Description", `tLOS hub ${i.hub} wadm`], ["Requires", after], ["After", after]],
      body: [
        ["ContainerName", `tlos-${i.hub}-wadm`],
        ["Image", i.wadm.image],
        ["Pod", `${i.hub}.pod`],
        ["Environment", `WADM_NATS_SERVER=127.0.0.1:${i.clientPort}`],
        ["Environment", "WADM_NATS_CREDS_FILE=/run/secrets/wadm.creds"],
        ["Environment", "WADM_STRUCTURED_LOGGING=true"],
        ["Secret", `${i.wadm.credsSecret},type=mount,target=/run/secrets/wadm.creds,mode=0400`],
        ["ReadOnly", "true"],
        ...HARDENING,
        ...auto,
        ...labelEntries(i.labels),
      ],
      service: RESTART,
      install: WANTED_BY_DEFAULT,
    });
  }
  return units;
}
