/**
 * Podman version gating, in the spirit of podlet's `Downgrade`: a key the target version lacks is
 * either rewritten into an equivalent `PodmanArgs=` flag or reported as a typed error naming the
 * key and the first version that has it.
 */
import { QuadletKeyVersionError } from "../core/errors.js";
import { atLeast } from "../core/version.js";
import { joinArgs, type IniEntry } from "../core/ini.js";
import { memoized } from "../core/memo.js";
import { QUADLET_KEYS, UNIT_TYPE_SINCE } from "./key-table.js";
import { sectionName, type QuadletUnit, type UnitType } from "./model.js";

/** Keys with an exact `podman … create` flag equivalent, usable on versions before the key. */
const AS_PODMAN_ARG: Partial<Record<UnitType, Record<string, string>>> = {
  pod: { UserNS: "--userns", HostName: "--hostname", ShmSize: "--shm-size", StopTimeout: "--stop-timeout" },
  container: { Memory: "--memory", StopSignal: "--stop-signal", Retry: "--retry", RetryDelay: "--retry-delay" },
};

/** When a key was added to a section, or undefined if no known Podman has it. */
export function keySince(type: UnitType, key: string): string | undefined {
  const table = QUADLET_KEYS[type] as Record<string, readonly [string, string]>;
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key]?.[0] : undefined;
}

/** What a key becomes on a version: kept, moved into `PodmanArgs=` as this flag, or refused. */
type Verdict = { readonly keep: true } | { readonly flag: string } | { readonly refused: true; readonly since: string | undefined };
const KEEP: Verdict = { keep: true };

/** Verdicts by unit type and version (`type@version`), then key: every node asks the same few questions. */
const verdicts = memoized(256, () => new Map<string, Verdict>());

/** The verdicts of one unit type on one version, filled in as keys are asked about. */
function verdictsOn(type: UnitType, version: string): Map<string, Verdict> {
  return verdicts(`${type}@${version}`);
}

function verdictOf(byKey: Map<string, Verdict>, type: UnitType, version: string, key: string): Verdict {
  let v = byKey.get(key);
  if (v === undefined) {
    const since = keySince(type, key);
    const flag = AS_PODMAN_ARG[type]?.[key];
    v = since !== undefined && atLeast(version, since) ? KEEP
      : flag && since !== undefined && atLeast(version, keySince(type, "PodmanArgs") ?? "99") ? { flag }
      : { refused: true, since };
    byKey.set(key, v);
  }
  return v;
}

/**
 * Fits a unit to the target Podman version. Returns the unit to render and the keys that cannot
 * be expressed on that version (the unit itself when every key fits as it is).
 */
export function fitToPodman(unit: QuadletUnit, version: string): { unit: QuadletUnit; errors: QuadletKeyVersionError[] } {
  const section = sectionName(unit.type);
  const errors: QuadletKeyVersionError[] = [];
  if (!atLeast(version, UNIT_TYPE_SINCE[unit.type])) {
    errors.push(new QuadletKeyVersionError(section, `.${unit.type} units`, UNIT_TYPE_SINCE[unit.type], version));
  }
  const body: IniEntry[] = [];
  const moved: string[] = [];
  const byKey = verdictsOn(unit.type, version);
  for (const entry of unit.body) {
    const [key, value] = entry;
    const v = verdictOf(byKey, unit.type, version, key);
    if ("keep" in v) body.push(entry);
    else if ("flag" in v) moved.push(`${v.flag}=${value}`);
    else errors.push(new QuadletKeyVersionError(section, key, v.since, version));
  }
  if (body.length === unit.body.length) return { unit, errors };
  if (moved.length > 0) {
    const at = body.findIndex(([k]) => k === "PodmanArgs");
    if (at >= 0) body[at] = ["PodmanArgs", `${body[at]?.[1]} ${joinArgs(moved)}`];
    else body.push(["PodmanArgs", joinArgs(moved)]);
  }
  return { unit: { ...unit, body }, errors };
}
