/**
 * Checks of Akash props against the limits of Akash's Go parser, reported on the prop (not the
 * SDL path): the same limits `src/akash/go-rules.ts` enforces on the rendered SDL.
 */
import { show } from "../core/errors.js";
import { Cpu, Memory } from "../core/quantity.js";
import { AKASH_LIMITS } from "../akash/go-rules.js";
import { DENOMS, STORAGE_CLASSES, type Denom } from "../akash/sdl.js";
import type { AkashPlacementProps, AkashPricingProps } from "./akash-props.js";
import { SECRET_ENV_NAME, type EnvEntry } from "../akash/env.js";
import type { Report } from "./validate.js";

export type { Report } from "./validate.js";

const AKASH_ADDRESS = /^akash1[02-9ac-hj-np-z]{38}$/;
const ATTR_KEY = /^[a-zA-Z][\w./-]{0,62}$/;

export function cpuMillis(report: Report, field: string, v: unknown, fallback: string): number {
  let millis: number;
  try {
    millis = Cpu.parse((v ?? fallback) as string).millis;
  } catch (e) {
    report(field, (e as Error).message);
    return Cpu.parse(fallback).millis;
  }
  if (millis < AKASH_LIMITS.cpuMilliMin || millis > AKASH_LIMITS.cpuMilliMax) report(field, `${show(v)} is outside Akash's limit: 10m to 384 CPUs per service`);
  return millis;
}

export function bytes(report: Report, field: string, v: unknown, fallback: string, min: number, max: number, range: string): Memory {
  let m: Memory;
  try {
    m = Memory.parse((v ?? fallback) as string);
  } catch (e) {
    report(field, (e as Error).message);
    return Memory.parse(fallback);
  }
  if (m.bytes < min || m.bytes > max) report(field, `${show(v)} is outside Akash's limit: ${range}`);
  return m;
}

export function storageClass(report: Report, field: string, v: unknown): string {
  if (typeof v !== "string" || !(STORAGE_CLASSES as readonly string[]).includes(v)) {
    report(field, `${show(v)} is not an Akash storage class: use ${STORAGE_CLASSES.filter((c) => c !== "ram").join(", ")}`);
    return "beta3";
  }
  if (v === "ram") report(field, `"ram" cannot hold persistent data (Akash: ram storage class cannot be persistent): use beta2 or beta3`);
  return v;
}

export function pricing(report: Report, p: Partial<AkashPricingProps> | undefined): { denom: Denom; amount: number; sidecarAmount: number } {
  const denom = p?.denom;
  if (!DENOMS.includes(denom as Denom)) report("pricing.denom", `${show(denom)} is not allowed: use "uakt" or "uact", the denoms the chain takes deposits in (MinDeposits in the deployment params; the SDL parser itself would take any coin denom), one per deployment`);
  const amount = (f: string, v: unknown) => {
    if (typeof v !== "number" || !Number.isFinite(v) || v <= 0) report(f, `${show(v)} is not allowed: the price per block must be more than 0 (Akash refuses 0)`);
    else if (v > AKASH_LIMITS.priceMax) report(f, `${show(v)} exceeds Akash's unit price limit of ${AKASH_LIMITS.priceMax} per block`);
    return typeof v === "number" && v > 0 ? v : 1;
  };
  return { denom: DENOMS.includes(denom as Denom) ? (denom as Denom) : "uakt", amount: amount("pricing.amount", p?.amount), sidecarAmount: amount("pricing.sidecarAmount", p?.sidecarAmount ?? 1000) };
}

export function placement(report: Report, p: AkashPlacementProps | undefined): { attributes: Record<string, string>; anyOf: string[]; allOf: string[] } {
  const attributes: Record<string, string> = {};
  for (const [k, v] of Object.entries(p?.attributes ?? {})) {
    if (!ATTR_KEY.test(k) || typeof v !== "string" || v === "") report(`placement.attributes.${k}`, `${show(k)}: ${show(v)} is not a provider attribute: use a key of letters, digits, '.', '_', '/', '-' and a non-empty string value`);
    else attributes[k] = v;
  }
  const list = (f: string, v: unknown): string[] => {
    if (v === undefined) return [];
    if (!Array.isArray(v)) {
      report(f, `must be a list of auditor addresses, got ${show(v)}`);
      return [];
    }
    v.forEach((a, i) => {
      if (typeof a !== "string" || !AKASH_ADDRESS.test(a)) report(`${f}[${i}]`, `${show(a)} is not an Akash address (akash1…, 44 characters)`);
    });
    return v.filter((a): a is string => typeof a === "string" && AKASH_ADDRESS.test(a));
  };
  return { attributes, anyOf: list("placement.signedBy.anyOf", p?.signedBy?.anyOf), allOf: list("placement.signedBy.allOf", p?.signedBy?.allOf) };
}

/**
 * Env names Kubernetes accepts (Akash's manifest check); values plain or `{ secret }`. A plain
 * string under a well-known secret name (`HF_TOKEN`, `*_KEY`, `*_SECRET`, `PASSWORD`) is refused.
 */
export function envEntries(report: Report, field: string, env: unknown): EnvEntry[] {
  if (env === undefined) return [];
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    report(field, `must be an object of NAME → value, got ${show(env)}`);
    return [];
  }
  const out: EnvEntry[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(k)) report(`${field}.${k}`, `${show(k)} is not a valid environment variable name (Akash requires a Kubernetes env name: no leading digit)`);
    else if (typeof v === "object" && v !== null && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secret?: unknown }).secret === "string" && (v as { secret: string }).secret !== "") {
      out.push({ name: k, value: (v as { secret: string }).secret, secret: true });
    } else if (typeof v !== "string") report(`${field}.${k}`, `${show(typeof v === "object" && v !== null && "secret" in v ? "{ secret: … }" : v)} is not a string or { secret: "<non-empty value>" }`);
    else if (SECRET_ENV_NAME.test(k)) report(`${field}.${k}`, `${k} looks like a credential and would be written in plain text into the reviewable SDL and tlos diff: mark it secret, ${k}: { secret: process.env.${k} }, so it goes only under secrets/ (and to Pulumi as a secret)`);
    else out.push({ name: k, value: v, secret: false });
  }
  return out;
}
