/**
 * The rules Akash's Go SDL parser enforces (`sdl.Read` in chain-sdk 55f1c68 `go/sdl/sdl.go`:
 * YAML decode, `v2.validate`, `ValidateDeploymentGroups`, `Manifest.Validate`), checked on any
 * parsed SDL — a document of unknown shape, so nothing here throws. Each rule cites its Go source.
 * The JS validator (chain-sdk's `generateManifest`) misses some of them and adds JSON-schema
 * rules Go does not have; `test/akash-corpus.test.ts` lists every disagreement on real SDLs.
 * @see https://github.com/akash-network/chain-sdk/tree/main/go/sdl
 */
import { BYTE_SUFFIXES, CHAIN_DEPOSIT_DENOMS, DENOM_SYNTAX, MEMORY_SUFFIXES, parseAmount, parseCpu, parseSize, parseUint, scalarText } from "./go-units.js";
import { exposeProblems, type Ctx } from "./go-expose.js";

export interface SdlProblem {
  /** Path in the SDL, e.g. `profiles.compute.vllm.resources.gpu.units`. */
  readonly at: string;
  readonly message: string;
}

/** Limits from `go/node/deployment/v1beta4/validation_config.go`. */
export const AKASH_LIMITS = {
  cpuMilliMin: 10,
  cpuMilliMax: 384_000,
  gpuMax: 24,
  memoryMin: 2 ** 20,
  memoryMax: 2 * 2 ** 40,
  storageMin: 5 * 2 ** 20,
  storageMax: 32 * 2 ** 40,
  /** `maxUnitCount`: declared, but its check in resourceunit.go is commented out; it bounds group totals only. */
  countMax: 50,
  priceMax: 10_000_000,
} as const;

const SERVICE_NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/; // go/manifest/v2beta3/manifest.go serviceNameValidationRegex
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/; // k8s.io/apimachinery validation.IsEnvVarName
const ENDPOINT_NAME = /^[a-z]+[a-z\-_\d]+$/; // go/sdl/v2.go endpointNameValidationRegex
const ATTRIBUTE_KEY = /^([a-zA-Z][\w/.-]{1,126}[\w*]?)$/; // go/node/types/attributes/v1 AttributeNameRegexpStringWildcard
const TOP_LEVEL = new Set(["version", "include", "services", "profiles", "deployment", "endpoints", "reclamation"]); // v2.UnmarshalYAML
const STORAGE_CLASSES = new Set(["default", "beta1", "beta2", "beta3", "ram"]); // go/sdl/storage.go allowedStorageClasses

/** Bytes of an SDL size string as Go reads it (`"512Mi"`, `"1G"`, `1024`), or undefined. */
export function sdlBytes(size: unknown): number | undefined {
  const r = parseSize(size);
  return r.ok ? r.value : undefined;
}

/** Millicores of an SDL CPU value (`2`, `0.5`, `"100m"`), or undefined. */
export function sdlMillis(units: unknown): number | undefined {
  const r = parseCpu(units);
  return r.ok ? r.value : undefined;
}

export type Obj = Record<string, unknown>;
export const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);
export const obj = (v: unknown): Obj => (isObj(v) ? v : {});
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const sorted = (o: Obj) => Object.keys(o).sort();

interface Volume { readonly name: string; readonly persistent: boolean; readonly size?: number }

/** storage.go v2ResourceStorageArray + v2StorageAttributes: volumes as Go names and checks them. */
function volumes(c: Ctx, at: string, storage: unknown): Volume[] {
  if (storage === undefined || storage === null) {
    c.p(at, "storage is required: validateStorage refuses a nil storage list (go/node/deployment/v1beta4/resourceunit.go)");
    return [];
  }
  // a map is one volume always named "default"; in a list an unnamed volume is "default"
  const raw = Array.isArray(storage) ? storage.map((s) => ({ s, name: scalarText(obj(s)["name"]) || "default" })) : [{ s: storage, name: "default" }];
  const out: Volume[] = [];
  const names = new Set<string>();
  raw.forEach(({ s, name }, i) => {
    const vat = Array.isArray(storage) ? `${at}[${i}]` : at;
    if (names.has(name)) c.p(vat, `duplicated volume name ${JSON.stringify(name)} (errStorageDuplicatedVolumeName, go/sdl/storage.go)`);
    names.add(name);
    const v = obj(s);
    const size = parseSize(v["size"]);
    if (!size.ok) c.p(`${vat}.size`, `storage size ${size.why} (byteQuantity, go/sdl/units.go)`);
    else if (size.value < AKASH_LIMITS.storageMin || size.value > AKASH_LIMITS.storageMax) c.p(`${vat}.size`, `storage ${scalarText(v["size"])} is outside 5Mi to 32Ti per volume (validateStorage, validation_config.go)`);
    let persistent = false;
    if (v["attributes"] !== undefined && v["attributes"] !== null) {
      const a = obj(v["attributes"]);
      for (const k of sorted(a)) if (k !== "persistent" && k !== "class") c.p(`${vat}.attributes.${k}`, `unsupported storage attribute ${JSON.stringify(k)}: only persistent and class (errUnsupportedStorageAttribute, storage.go)`);
      const pt = a["persistent"] === undefined ? "false" : scalarText(a["persistent"]) ?? "";
      const p = ["true", "on", "yes"].includes(pt) ? "true" : ["false", "off", "no"].includes(pt) ? "false" : undefined;
      if (p === undefined) c.p(`${vat}.attributes.persistent`, `${JSON.stringify(pt)} is not a bool: use true or false (validateAttributeBool, storage.go)`);
      persistent = p === "true";
      const cls = a["class"] === undefined ? "" : scalarText(a["class"]) ?? "";
      if (cls === "ram" && pt !== "false") c.p(`${vat}.attributes`, "ram storage class cannot be persistent (errStorageRAMClass, storage.go)");
      else if (cls !== "" && cls !== "ram" && pt === "false") c.p(`${vat}.attributes.class`, "ephemeral storage should not set attribute class (errStorageEphemeralClass, storage.go)");
      if (cls !== "" && !STORAGE_CLASSES.has(cls)) c.p(`${vat}.attributes.class`, `invalid value for attribute class ${JSON.stringify(cls)}: use default, beta1, beta2, beta3 or ram (allowedStorageClasses, storage.go)`);
    }
    out.push({ name, persistent, ...(size.ok ? { size: size.value } : {}) });
  });
  return out;
}

/** gpu.go v2ResourceGPU / v2GPUAttributes + validateGPU in resourceunit.go. Returns GPU units. */
function gpuUnits(c: Ctx, at: string, gpu: unknown): number {
  if (gpu === undefined || gpu === null) return 0;
  const g = obj(gpu);
  for (const k of sorted(g)) if (k !== "units" && k !== "attributes") c.p(`${at}.${k}`, `unsupported field (${k}) for GPU resource (gpu.go)`);
  const u = g["units"] === undefined ? { ok: true as const, value: 0 } : parseUint(g["units"]);
  if (!u.ok) c.p(`${at}.units`, `GPU units ${u.why} (gpuQuantity, units.go)`);
  const units = u.ok ? u.value : 0;
  if (units > AKASH_LIMITS.gpuMax) c.p(`${at}.units`, `GPU units ${units} must be from 0 to ${AKASH_LIMITS.gpuMax} per replica (validateGPU, resourceunit.go)`);
  const hasAttrs = g["attributes"] !== undefined && g["attributes"] !== null;
  if (units > 0 && !hasAttrs) c.p(`${at}.attributes`, "GPU attributes must be present if units > 0 (gpu.go)");
  if (!hasAttrs) return units;
  if (units === 0) c.p(`${at}.attributes`, "attributes cannot be present if units == 0 (validateGPU, resourceunit.go)");
  const vendor = obj(g["attributes"])["vendor"];
  if (!isObj(vendor)) {
    c.p(`${at}.attributes.vendor`, "invalid GPU attributes: at least one vendor must be set (gpu.go)");
    return units;
  }
  // gpuVendor has only `nvidia`; yaml.v3 ignores other keys, so `amd: [...]` alone becomes vendor/nvidia/model/*
  const keys = new Set<string>();
  list(vendor["nvidia"]).forEach((m, i) => {
    const mat = `${at}.attributes.vendor.nvidia[${i}]`;
    const model = obj(m);
    let key = `vendor/nvidia/model/${scalarText(model["model"]) ?? ""}`;
    if (model["ram"] !== undefined) {
      const ram = parseSize(model["ram"], MEMORY_SUFFIXES);
      if (!ram.ok) c.p(`${mat}.ram`, `GPU ram ${ram.why} (memoryQuantity: only Ki, Mi, Gi, Ti, Pi, Ei; units.go)`);
      else key += `/ram/${Math.floor(ram.value / 2 ** 30)}Gi`;
    }
    if (model["interface"] !== undefined) {
      const iface = scalarText(model["interface"]);
      if (iface !== "pcie" && iface !== "sxm") c.p(`${mat}.interface`, `invalid GPU interface ${JSON.stringify(model["interface"])}: expected "pcie|sxm" (gpu.go)`);
      key += `/interface/${iface ?? ""}`;
    }
    if (!ATTRIBUTE_KEY.test(key)) c.p(`${mat}.model`, `attribute key ${JSON.stringify(key)} does not match the attribute regexp (attributes/v1 Validate)`);
    if (keys.has(key)) c.p(mat, `duplicate GPU attribute ${key}: attributes cannot have duplicate keys (attributes/v1 Validate)`);
    keys.add(key);
  });
  return units;
}

interface Unit { readonly cpu: number; readonly gpu: number; readonly memory: number; readonly volumes: Volume[] }

/** One compute profile: resources.go + resourceunit.go validateCPU/validateMemory/validateStorage. */
function computeUnit(c: Ctx, name: string, profile: unknown): Unit {
  const at = `profiles.compute.${name}.resources`;
  const r = obj(obj(profile)["resources"]);
  let cpu = 0;
  if (r["cpu"] === undefined || r["cpu"] === null) c.p(`${at}.cpu`, "CPU is required: invalid unit CPU, cannot be nil (resourceunit.go)");
  else {
    const v = parseCpu(obj(r["cpu"])["units"]);
    if (!v.ok) c.p(`${at}.cpu.units`, `${v.why} (cpuQuantity, units.go)`);
    else if (v.value < AKASH_LIMITS.cpuMilliMin || v.value > AKASH_LIMITS.cpuMilliMax) c.p(`${at}.cpu.units`, `CPU ${scalarText(obj(r["cpu"])["units"])} must be from 10m to 384 cores (validateCPU, validation_config.go)`);
    else cpu = v.value;
  }
  let memory = 0;
  if (r["memory"] === undefined || r["memory"] === null) c.p(`${at}.memory`, "memory is required: invalid unit memory, cannot be nil (resourceunit.go)");
  else {
    const text = obj(r["memory"])["size"];
    const v = parseSize(text, BYTE_SUFFIXES);
    if (!v.ok) c.p(`${at}.memory.size`, `memory size ${v.why} (byteQuantity, units.go)`);
    else if (v.value < AKASH_LIMITS.memoryMin || v.value > AKASH_LIMITS.memoryMax) c.p(`${at}.memory.size`, `memory ${scalarText(text)} is outside 1Mi to 2Ti (validateMemory, validation_config.go)`);
    else memory = v.value;
  }
  const gpu = gpuUnits(c, `${at}.gpu`, r["gpu"]);
  return { cpu, gpu, memory, volumes: volumes(c, `${at}.storage`, r["storage"]) };
}

/** Problems Akash's Go parser (`sdl.Read`) raises on this document; empty when Go accepts it. */
export function goRuleProblems(doc: unknown): SdlProblem[] {
  const out: SdlProblem[] = [];
  const c: Ctx = { p: (at, message) => out.push({ at, message }) };
  if (!isObj(doc)) return [{ at: "", message: "an SDL must be a YAML mapping" }];
  // sdl.go: version parsed with semver.ParseTolerant; 2.0.0 or >= 2.1.0
  const ver = scalarText(doc["version"]);
  const vm = ver === undefined ? null : /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(ver.trim());
  if (ver === undefined) c.p("version", "no version found (errSDLInvalidNoVersion, sdl.go)");
  else if (!vm) c.p("version", `${JSON.stringify(ver)} is not a version (semver.ParseTolerant, sdl.go)`);
  else if (!(vm[1] === "2" && (Number(vm[2] ?? 0) >= 1 || (Number(vm[2] ?? 0) === 0 && Number(vm[3] ?? 0) === 0)))) c.p("version", `unsupported version ${JSON.stringify(ver)}: use "2.0" or "2.1" (sdl.go)`);
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.has(k)) c.p(k, `sdl: unexpected field ${k} (v2.UnmarshalYAML, v2.go)`);

  const services = obj(doc["services"]);
  const profiles = obj(doc["profiles"]);
  const computes = obj(profiles["compute"]);
  const placements = obj(profiles["placement"]);
  const deployment = obj(doc["deployment"]);
  const endpoints = obj(doc["endpoints"]);
  const units = new Map<string, Unit>();
  for (const name of sorted(computes)) units.set(name, computeUnit(c, name, computes[name]));

  // v2.validate: endpoint names and kinds
  for (const e of sorted(endpoints)) {
    if (!ENDPOINT_NAME.test(e)) c.p(`endpoints.${e}`, `endpoint named ${JSON.stringify(e)} is not a valid name (^[a-z]+[a-z-_0-9]+$, v2.go)`);
    const kind = scalarText(obj(endpoints[e])["kind"]) ?? "";
    if (kind === "") c.p(`endpoints.${e}.kind`, `endpoint named ${JSON.stringify(e)} has no kind (v2.go)`);
    else if (kind !== "ip") c.p(`endpoints.${e}.kind`, `endpoint named ${JSON.stringify(e)}, unknown kind ${JSON.stringify(kind)}: only ip (v2.go)`);
  }

  const used = new Set<string>();
  const ports = new Map<string, string>();
  const groups = new Map<string, { cpu: number; gpu: number; memory: number; denoms: Set<string> }>();
  const hostnames = new Set<string>();
  let globals = 0;
  const deployed = sorted(deployment);
  for (const svcName of deployed) {
    const svc = obj(services[svcName]);
    const depl = obj(deployment[svcName]);
    for (const placementName of sorted(depl)) {
      const at = `deployment.${svcName}.${placementName}`;
      const d = obj(depl[placementName]);
      const profile = scalarText(d["profile"]) ?? "";
      const count = parseUint(d["count"], 0xffffffff);
      if (!count.ok) c.p(`${at}.count`, `count ${count.why} (uint32, v2.go)`);
      const unit = units.get(profile);
      if (!unit) c.p(`${at}.profile`, `${svcName}.${placementName}: no compute profile named ${profile} (v2.go)`);
      if (!isObj(placements[placementName])) c.p(at, `${svcName}.${placementName}: no placement profile named ${placementName} (v2.go)`);
      else if (!isObj(obj(obj(placements[placementName])["pricing"])[profile])) c.p(`profiles.placement.${placementName}.pricing`, `${svcName}.${placementName}: no pricing for profile ${profile} (v2.go)`);
      if (!isObj(services[svcName])) c.p(`services.${svcName}`, `${svcName}.${placementName}: no service profile named ${svcName} (v2.go)`);
      const cred = svc["credentials"];
      if (cred !== undefined && cred !== null) {
        const cr = obj(cred);
        for (const f of ["host", "username", "password"]) if ((scalarText(cr[f]) ?? "").trim() === "") c.p(`services.${svcName}.credentials.${f}`, `service credentials missing ${f} (v2ServiceCredentials.validate, v2.go)`);
      }
      globals += exposeProblems(c, svcName, svc, endpoints, used, ports, hostnames);
      // storage params: v2.go validate
      const vols = new Map((unit?.volumes ?? []).map((v) => [v.name, v]));
      const params = obj(obj(svc["params"])["storage"]);
      const mounts = new Map<string, string>();
      for (const vol of sorted(params)) {
        const pat = `services.${svcName}.params.storage.${vol}`;
        if (!vols.has(vol)) c.p(pat, `service ${JSON.stringify(svcName)} references to no-existing compute volume named ${JSON.stringify(vol)} (v2.go)`);
        const mount = scalarText(obj(params[vol])["mount"]) ?? "";
        if (!mount.startsWith("/")) c.p(`${pat}.mount`, `invalid value for "service.${svcName}.params.${vol}.mount" parameter. expected absolute path (path.IsAbs, v2.go)`);
        else if (mounts.has(mount)) c.p(`${pat}.mount`, `mount ${JSON.stringify(mount)} already in use by volume ${JSON.stringify(mounts.get(mount))} (errStorageDupMountPoint, v2.go)`);
        mounts.set(mount, vol);
      }
      // v2.go: `attr` is shared across the service's volumes, so any params mount satisfies every persistent volume
      const persistent = [...vols.values()].find((v) => v.persistent);
      if (persistent && Object.keys(params).length === 0) c.p(`profiles.compute.${profile}.resources.storage`, `compute.storage.${persistent.name} has persistent=true which requires service.${svcName}.params.storage.${persistent.name} to have mount (v2.go)`);
      // group totals and prices: resourceunits.go Validate, groupspec.go validatePricing
      const g = groups.get(placementName) ?? { cpu: 0, gpu: 0, memory: 0, denoms: new Set<string>() };
      groups.set(placementName, g);
      const n = count.ok ? count.value : 0;
      if (unit) {
        g.cpu += unit.cpu * n;
        g.gpu += unit.gpu * n;
        g.memory += unit.memory * n;
        for (const v of unit.volumes) if (v.size !== undefined && v.size * n > AKASH_LIMITS.storageMax * AKASH_LIMITS.countMax) c.p(at, `invalid total storage for volume ${v.name}: ${v.size * n} bytes exceeds 32Ti × 50 (resourceunits.go)`);
      }
      const price = obj(obj(obj(placements[placementName])["pricing"])[profile]);
      if (isObj(obj(obj(placements[placementName])["pricing"])[profile])) {
        const pat = `profiles.placement.${placementName}.pricing.${profile}`;
        const amount = parseAmount(price["amount"]);
        if (!amount.ok) c.p(`${pat}.amount`, `${amount.why} (v2Coin, coin.go)`);
        else if (amount.value > AKASH_LIMITS.priceMax) c.p(`${pat}.amount`, `amount ${amount.value} exceeds the unit price limit ${AKASH_LIMITS.priceMax} (validatePricing, resourceunit.go)`);
        const denom = scalarText(price["denom"]) ?? "";
        if (!DENOM_SYNTAX.test(denom)) c.p(`${pat}.denom`, `denom ${JSON.stringify(denom)} is not a valid coin denom (sdk.NewDecCoinFromDec panics; go/node/types/sdk/coin.go)`);
        g.denoms.add(denom);
      }
    }
  }
  const allDenoms = new Set<string>();
  for (const [name, g] of [...groups.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const at = `profiles.placement.${name}`;
    if (g.cpu <= 0 || g.cpu > AKASH_LIMITS.cpuMilliMax * AKASH_LIMITS.countMax) c.p(at, `invalid total CPU ${g.cpu}m for group ${name}: must be more than 0 and at most 384 × 50 cores (resourceunits.go)`);
    if (g.gpu > AKASH_LIMITS.gpuMax * AKASH_LIMITS.countMax) c.p(at, `invalid total GPU ${g.gpu} for group ${name}: at most 24 × 50 (resourceunits.go)`);
    if (g.memory <= 0 || g.memory > AKASH_LIMITS.memoryMax * AKASH_LIMITS.countMax) c.p(at, `invalid total memory for group ${name}: must be more than 0 and at most 2Ti × 50 (resourceunits.go)`);
    if (g.denoms.size > 1) c.p(`${at}.pricing`, `multi-denomination group: ${[...g.denoms].sort().join(", ")} (groupspec.go validatePricing)`);
    for (const d of g.denoms) allDenoms.add(d);
  }
  if (allDenoms.size > 1) c.p("profiles.placement", `inconsistent group denomination: ${[...allDenoms].sort().join(", ")} (ValidateDeploymentGroups, group_validation.go)`);
  if (deployed.length === 0) c.p("deployment", "no deployment groups (v1.ErrInvalidGroups, group_validation.go)");
  for (const e of sorted(endpoints)) if (!used.has(e)) c.p(`endpoints.${e}`, `endpoint ${JSON.stringify(e)} declared but never used (v2.go)`);
  // go/manifest/v2beta3: names, images, env
  for (const svcName of deployed) {
    if (!isObj(services[svcName])) continue;
    const svc = obj(services[svcName]);
    if (!SERVICE_NAME.test(svcName)) c.p(`services.${svcName}`, `service ${JSON.stringify(svcName)} name is invalid: ^[a-z]([-a-z0-9]*[a-z0-9])?$ (manifest.go)`);
    if ((scalarText(svc["image"]) ?? "") === "") c.p(`services.${svcName}.image`, `service ${JSON.stringify(svcName)} has empty image name (manifest service.go)`);
    list(svc["env"]).forEach((e, i) => {
      // service.go: strings.SplitN(env, "=", 2); only the name is checked, so "FLAG" without "=" is fine
      const name = (scalarText(e) ?? "").split("=")[0] ?? "";
      if (!ENV_NAME.test(name)) c.p(`services.${svcName}.env[${i}]`, `service ${JSON.stringify(svcName)} defines an env. var. with an invalid name ${JSON.stringify(name)} (IsEnvVarName, manifest service.go)`);
    });
  }
  if (deployed.length > 0 && globals === 0) c.p("services", "zero global services: at least one expose needs `to: [{global: true}]` (Groups.Validate, go/manifest/v2beta3/groups.go)");
  return out;
}

/**
 * Not parser rules but the chain's: a deployment's deposit must be in one of the chain's
 * `MinDeposits` denoms (uakt, uact by default; go/node/deployment/v1beta4/params.go), so pricing in
 * another denom (an `ibc/…` one) parses but cannot be paid for with a default-params chain.
 */
export function chainNotes(doc: unknown): SdlProblem[] {
  const out: SdlProblem[] = [];
  const placements = obj(obj(obj(doc)["profiles"])["placement"]);
  for (const pl of sorted(placements)) {
    const pricing = obj(obj(placements[pl])["pricing"]);
    for (const prof of sorted(pricing)) {
      const denom = scalarText(obj(pricing[prof])["denom"]) ?? "";
      if (DENOM_SYNTAX.test(denom) && !CHAIN_DEPOSIT_DENOMS.includes(denom)) out.push({ at: `profiles.placement.${pl}.pricing.${prof}.denom`, message: `denom ${JSON.stringify(denom)} parses, but the chain's deposit params take only ${CHAIN_DEPOSIT_DENOMS.join(", ")} (MinDeposits, go/node/deployment/v1beta4/params.go)` });
    }
  }
  return out;
}
