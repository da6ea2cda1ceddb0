/**
 * The rules Akash's Go SDL parser enforces (`pkg.akt.dev/go/sdl`, `go/node/deployment/v1beta4`,
 * `go/manifest/v2beta3`), checked on a rendered SDL. Both JS validators (akashjs, chain-sdk) miss
 * eleven of them — GPU > 24, > 384 CPUs, > 2Ti memory, count > 50, unit price > 10,000,000,
 * amount 0, `beta*` class without `persistent`, unknown class, duplicate volume names, service
 * names that are not DNS labels, env names that are not valid — so we check all of them.
 * @see https://github.com/akash-network/chain-sdk/blob/main/go/sdl/validation_config.go
 */
import type { Sdl, SdlStorage } from "./sdl.js";
import { STORAGE_CLASSES } from "./sdl.js";

export interface SdlProblem {
  /** Path in the SDL, e.g. `profiles.compute.vllm.resources.gpu.units`. */
  readonly at: string;
  readonly message: string;
}

/** Limits from the Go validation config. */
export const AKASH_LIMITS = {
  cpuMilliMin: 10,
  cpuMilliMax: 384_000,
  gpuMax: 24,
  memoryMin: 2 ** 20,
  memoryMax: 2 * 2 ** 40,
  storageMin: 5 * 2 ** 20,
  storageMax: 32 * 2 ** 40,
  countMax: 50,
  priceMax: 10_000_000,
} as const;

const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const UNITS: Record<string, number> = { "": 1, k: 1e3, Ki: 2 ** 10, M: 1e6, Mi: 2 ** 20, G: 1e9, Gi: 2 ** 30, T: 1e12, Ti: 2 ** 40, P: 1e15, Pi: 2 ** 50 };

/** Bytes of an SDL size string (`"512Mi"`, `"1Gi"`, `"100M"`), or undefined. */
export function sdlBytes(size: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(k|Ki|M|Mi|G|Gi|T|Ti|P|Pi)?$/.exec(String(size));
  return m ? Number(m[1]) * (UNITS[m[2] ?? ""] ?? 1) : undefined;
}

/** Millicores of an SDL CPU value (`2`, `0.5`, `"100m"`), or undefined. */
export function sdlMillis(units: number | string): number | undefined {
  if (typeof units === "number") return Number.isFinite(units) ? units * 1000 : undefined;
  const m = /^(\d+(?:\.\d+)?)(m?)$/.exec(units);
  return m ? (m[2] ? Number(m[1]) : Number(m[1]) * 1000) : undefined;
}

export function goRuleProblems(sdl: Sdl): SdlProblem[] {
  const out: SdlProblem[] = [];
  const p = (at: string, message: string) => out.push({ at, message });
  if (sdl.version !== "2.0") p("version", `must be "2.0"`);
  for (const [name, svc] of Object.entries(sdl.services)) {
    if (!SERVICE_NAME.test(name)) p(`services.${name}`, `service name ${JSON.stringify(name)} is not a DNS label (^[a-z]([-a-z0-9]*[a-z0-9])?$)`);
    if (!svc.image) p(`services.${name}.image`, "image must not be empty");
    (svc.env ?? []).forEach((e, i) => {
      const k = e.split("=")[0] ?? "";
      if (!e.includes("=") || !ENV_NAME.test(k)) p(`services.${name}.env[${i}]`, `${JSON.stringify(k)} is not a valid environment variable name`);
    });
    for (const x of svc.expose ?? []) {
      if (!(Number.isInteger(x.port) && x.port >= 1 && x.port <= 65535)) p(`services.${name}.expose`, `port ${x.port} is out of range`);
      for (const t of x.to) if (t.service && !sdl.services[t.service]) p(`services.${name}.expose`, `exposes to unknown service ${t.service}`);
    }
    const deployed = Object.values(sdl.deployment[name] ?? {});
    if (deployed.length === 0) p(`services.${name}`, `service ${name} is not in the deployment section`);
    for (const d of deployed) {
      const compute = sdl.profiles.compute[d.profile];
      const volumes = compute ? (Array.isArray(compute.resources.storage) ? compute.resources.storage : [compute.resources.storage]) : [];
      const names = new Set(volumes.map((v) => v.name ?? "default"));
      const mounts = new Set<string>();
      for (const [vol, m] of Object.entries(svc.params?.storage ?? {})) {
        if (!names.has(vol)) p(`services.${name}.params.storage.${vol}`, `references volume ${vol}, which profile ${d.profile} does not define`);
        if (!m.mount?.startsWith("/")) p(`services.${name}.params.storage.${vol}.mount`, "mount must be an absolute path");
        if (mounts.has(m.mount)) p(`services.${name}.params.storage.${vol}.mount`, `mount ${m.mount} is used twice`);
        mounts.add(m.mount);
      }
      for (const v of volumes) {
        if (v.attributes?.persistent && !svc.params?.storage?.[v.name ?? "default"]) p(`profiles.compute.${d.profile}.resources.storage.${v.name ?? "default"}`, "persistent storage needs a mount in the service params");
      }
    }
  }
  // IP endpoints: an IP needs global, the endpoint must exist with kind ip, no duplicate ip/as/proto, none unused
  const used = new Set<string>();
  for (const [name, svc] of Object.entries(sdl.services)) {
    const seen = new Set<string>();
    for (const x of svc.expose ?? []) {
      for (const t of x.to) {
        if (!t.ip) continue;
        used.add(t.ip);
        if (!t.global) p(`services.${name}.expose`, `an IP (${t.ip}) requires global: true`);
        if (sdl.endpoints?.[t.ip]?.kind !== "ip") p(`services.${name}.expose`, `endpoint ${t.ip} is not declared with kind ip`);
        const k = `${t.ip}/${x.as ?? x.port}/${x.proto ?? "TCP"}`;
        if (seen.has(k)) p(`services.${name}.expose`, `duplicate ip/as/proto ${k}`);
        seen.add(k);
      }
    }
  }
  for (const e of Object.keys(sdl.endpoints ?? {})) {
    if (!/^[a-z]+[-_0-9a-z]+$/.test(e)) p(`endpoints.${e}`, `endpoint name ${JSON.stringify(e)} is not valid`);
    if (!used.has(e)) p(`endpoints.${e}`, `endpoint ${e} is declared but never used`);
  }
  for (const [svc, groups] of Object.entries(sdl.deployment)) {
    if (!sdl.services[svc]) p(`deployment.${svc}`, `deploys unknown service ${svc}`);
    for (const [group, d] of Object.entries(groups)) {
      const at = `deployment.${svc}.${group}`;
      if (!sdl.profiles.placement[group]) p(at, `placement ${group} is not defined`);
      if (!sdl.profiles.compute[d.profile]) p(`${at}.profile`, `compute profile ${d.profile} is not defined`);
      else if (!sdl.profiles.placement[group]?.pricing[d.profile]) p(`profiles.placement.${group}.pricing`, `no price for profile ${d.profile}`);
      if (!(Number.isInteger(d.count) && d.count >= 1 && d.count <= AKASH_LIMITS.countMax)) p(`${at}.count`, `count ${d.count} must be from 1 to ${AKASH_LIMITS.countMax}`);
    }
  }
  for (const [name, c] of Object.entries(sdl.profiles.compute)) {
    const at = `profiles.compute.${name}.resources`;
    const milli = sdlMillis(c.resources.cpu.units);
    if (milli === undefined || milli < AKASH_LIMITS.cpuMilliMin || milli > AKASH_LIMITS.cpuMilliMax) p(`${at}.cpu.units`, `CPU ${String(c.resources.cpu.units)} must be from 10m to 384 cores`);
    const mem = sdlBytes(c.resources.memory.size);
    if (mem === undefined || mem < AKASH_LIMITS.memoryMin || mem > AKASH_LIMITS.memoryMax) p(`${at}.memory.size`, `memory ${c.resources.memory.size} must be from 1Mi to 2Ti`);
    const vols: SdlStorage[] = Array.isArray(c.resources.storage) ? c.resources.storage : [c.resources.storage];
    const seen = new Set<string>();
    let rootEphemeral = 0;
    for (const v of vols) {
      const vn = v.name ?? "default";
      const vat = `${at}.storage.${vn}`;
      if (seen.has(vn)) p(vat, `duplicate volume name ${vn}`);
      seen.add(vn);
      const size = sdlBytes(v.size);
      if (size === undefined || size < AKASH_LIMITS.storageMin || size > AKASH_LIMITS.storageMax) p(`${vat}.size`, `storage ${v.size} must be from 5Mi to 32Ti`);
      const cls = v.attributes?.class;
      const persistent = v.attributes?.persistent === true;
      if (cls !== undefined && !(STORAGE_CLASSES as readonly string[]).includes(cls)) p(`${vat}.attributes.class`, `unknown storage class ${cls}: use ${STORAGE_CLASSES.join(", ")}`);
      if (cls === "ram" && persistent) p(`${vat}.attributes`, "ram storage class cannot be persistent");
      if (!persistent && cls !== undefined && cls !== "ram") p(`${vat}.attributes.class`, "ephemeral storage should not set attribute class");
      if (!persistent && cls !== "ram") rootEphemeral++;
    }
    if (rootEphemeral > 1) p(`${at}.storage`, "only one root ephemeral volume is allowed");
    const gpu = c.resources.gpu;
    if (gpu) {
      if (!(Number.isInteger(gpu.units) && gpu.units >= 0 && gpu.units <= AKASH_LIMITS.gpuMax)) p(`${at}.gpu.units`, `GPU units ${gpu.units} must be from 0 to ${AKASH_LIMITS.gpuMax}`);
      if (gpu.units > 0 && !gpu.attributes) p(`${at}.gpu.attributes`, "GPU attributes are required when units > 0");
      if (gpu.units > 0 && gpu.attributes && !("nvidia" in gpu.attributes.vendor)) p(`${at}.gpu.attributes.vendor`, "a GPU vendor is required (nvidia)");
      for (const m of gpu.attributes?.vendor.nvidia ?? []) {
        if (m.interface !== undefined && m.interface !== "pcie" && m.interface !== "sxm") p(`${at}.gpu.attributes.vendor.nvidia`, `interface ${m.interface} must be pcie or sxm`);
      }
    }
  }
  const denoms = new Set<string>();
  for (const [name, pl] of Object.entries(sdl.profiles.placement)) {
    for (const [profile, price] of Object.entries(pl.pricing)) {
      const at = `profiles.placement.${name}.pricing.${profile}`;
      denoms.add(price.denom);
      if (!(price.amount > 0)) p(`${at}.amount`, `amount ${price.amount} must be more than 0`);
      if (price.amount > AKASH_LIMITS.priceMax) p(`${at}.amount`, `amount ${price.amount} exceeds the unit price limit ${AKASH_LIMITS.priceMax}`);
      if (price.denom !== "uakt" && price.denom !== "uact") p(`${at}.denom`, `denom ${price.denom} must be uakt or uact`);
    }
  }
  if (denoms.size > 1) p("profiles.placement", `all groups must use the same denom, found ${[...denoms].join(", ")}`);
  return out;
}
