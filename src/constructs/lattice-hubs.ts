/** The hubs of a lattice with every default filled in, and the checks of their props. */
import { asString, show } from "../core/errors.js";
import { idProblem, isHost, isPort } from "../core/names.js";
import { Memory } from "../core/quantity.js";
import type { HubPorts } from "../nats/config.js";
import { absPathProblem } from "./validate.js";

/** The most hubs a lattice may have: every hub routes to every other (a full mesh). */
const MAX_HUBS = 31;

export const DEFAULT_PORTS: HubPorts = { client: 4222, cluster: 6222, leafnode: 7422, monitor: 8222 };

/** A hub with every default filled in. */
export interface ResolvedHub {
  readonly id: string;
  readonly host: string;
  readonly bind: string;
  readonly ports: HubPorts;
  readonly storeDir: string;
  readonly configDir: string;
  readonly maxMemory: Memory;
  readonly maxFile: Memory;
}

export function resolveHubs(hubs: unknown, mode: "cluster" | "single", problem: (field: string, message: string) => void, attempt: <T>(field: string, fn: () => T, fallback: T) => T): ResolvedHub[] {
  if (!Array.isArray(hubs)) {
    problem("hubs", `must be a list of hubs ({ id, host }), got ${show(hubs)}`);
    return [];
  }
  if (mode === "single") {
    if (hubs.length !== 1) problem("hubs", `${hubs.length} hubs given for mode "single": give exactly one hub, or use mode "cluster" with 3, 5 or 7`);
  } else if (hubs.length < 3 || hubs.length % 2 === 0 || hubs.length > MAX_HUBS) {
    problem("hubs", `${hubs.length} hubs given: use an odd number from 3 to ${MAX_HUBS} (3, 5, 7) so JetStream R3 streams keep a quorum when one hub is down`);
    if (hubs.length > MAX_HUBS) return [];
  }
  const out: ResolvedHub[] = [];
  const seen = new Set<string>();
  const bound = new Map<string, string>();
  hubs.forEach((raw: unknown, n: number) => {
    const f = `hubs[${n}]`;
    const h = (raw ?? {}) as Record<string, unknown> & { ports?: Record<string, unknown>; jetstream?: Record<string, unknown> };
    const id = h["id"];
    const why = idProblem(id);
    if (why) problem(`${f}.id`, why);
    else if (seen.has(id as string)) problem(`${f}.id`, `duplicate hub id ${show(id)}: hub ids must be unique`);
    seen.add(asString(id));
    if (!isHost(h["host"])) problem(`${f}.host`, `${show(h["host"])} is not a host name or IP address`);
    const bind = h["bind"] ?? "0.0.0.0";
    if (!isHost(bind)) problem(`${f}.bind`, `${show(bind)} is not an IP address or host name to bind`);
    const ports = { ...DEFAULT_PORTS };
    for (const k of Object.keys(h.ports ?? {})) {
      const v = h.ports?.[k];
      if (!(k in DEFAULT_PORTS)) problem(`${f}.ports.${k}`, `unknown port: use client, cluster, leafnode or monitor`);
      else if (!isPort(v)) problem(`${f}.ports.${k}`, `${show(v)} is not a port: use an integer from 1 to 65535`);
      else ports[k as keyof HubPorts] = v;
    }
    // Every listener of a hub runs on the machine named by `host` (monitoring on its loopback),
    // so two listeners on one host must not share a port.
    for (const k of Object.keys(ports) as (keyof HubPorts)[]) {
      const key = `${asString(h["host"])}|${ports[k]}`;
      const other = bound.get(key);
      if (other) problem(`${f}.ports.${k}`, `port ${ports[k]} clashes with ${other} on host ${asString(h["host"])}: give each listener its own port`);
      else bound.set(key, `${f}.ports.${k}`);
    }
    const storeDir = h["storeDir"] ?? "/data";
    const configDir = h["configDir"] ?? "/etc/nats";
    const sp = absPathProblem(storeDir);
    if (sp) problem(`${f}.storeDir`, sp);
    const cp = absPathProblem(configDir);
    if (cp) problem(`${f}.configDir`, cp);
    const maxMemory = attempt(`${f}.jetstream.maxMemory`, () => Memory.parse((h.jetstream?.["maxMemory"] as string) ?? "1Gi"), Memory.parse("1Gi"));
    const maxFile = attempt(`${f}.jetstream.maxFile`, () => Memory.parse((h.jetstream?.["maxFile"] as string) ?? "10Gi"), Memory.parse("10Gi"));
    out.push({ id: asString(id), host: asString(h["host"]), bind: asString(bind), ports, storeDir: asString(storeDir), configDir: asString(configDir), maxMemory, maxFile });
  });
  return out;
}

