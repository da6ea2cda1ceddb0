/**
 * Podman version gating, in the spirit of podlet's `Downgrade`: a key the target version lacks is
 * either rewritten into an equivalent `PodmanArgs=` flag or reported as a typed error naming the
 * key and the first version that has it.
 */
import { QuadletKeyVersionError } from "../core/errors.js";
import { atLeast } from "../core/version.js";
import { joinArgs, type IniEntry } from "../core/ini.js";
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

/**
 * Fits a unit to the target Podman version. Returns the unit to render and the keys that cannot
 * be expressed on that version.
 */
export function fitToPodman(unit: QuadletUnit, version: string): { unit: QuadletUnit; errors: QuadletKeyVersionError[] } {
  const section = sectionName(unit.type);
  const errors: QuadletKeyVersionError[] = [];
  if (!atLeast(version, UNIT_TYPE_SINCE[unit.type])) {
    errors.push(new QuadletKeyVersionError(section, `.${unit.type} units`, UNIT_TYPE_SINCE[unit.type], version));
  }
  const body: IniEntry[] = [];
  const moved: string[] = [];
  for (const [key, value] of unit.body) {
    const since = keySince(unit.type, key);
    if (since !== undefined && atLeast(version, since)) {
      body.push([key, value]);
      continue;
    }
    const flag = AS_PODMAN_ARG[unit.type]?.[key];
    if (flag && since !== undefined && atLeast(version, keySince(unit.type, "PodmanArgs") ?? "99")) {
      moved.push(`${flag}=${value}`);
      continue;
    }
    errors.push(new QuadletKeyVersionError(section, key, since, version));
  }
  if (moved.length > 0) {
    const at = body.findIndex(([k]) => k === "PodmanArgs");
    if (at >= 0) body[at] = ["PodmanArgs", `${body[at]?.[1]} ${joinArgs(moved)}`];
    else body.push(["PodmanArgs", joinArgs(moved)]);
  }
  return { unit: { ...unit, body }, errors };
}
