/**
 * The Quadlet document model: one unit file is a list of sections, each a list of `Key=value`
 * entries spelled exactly as podman-systemd.unit(5) spells them. Repeated keys are repeated
 * entries, in order.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import type { IniEntry } from "../core/ini.js";

/** The Quadlet unit types we emit. */
export type UnitType = "container" | "pod" | "volume" | "network";

/** One Quadlet unit file, e.g. `home-1-nats.container`. */
export interface QuadletUnit {
  readonly type: UnitType;
  /** File name without the extension, e.g. `home-1-nats`. */
  readonly name: string;
  /** Comment lines written at the top. */
  readonly header?: readonly string[];
  /** systemd `[Unit]` entries (passed through by the generator). */
  readonly unit?: readonly IniEntry[];
  /** The resource section (`[Container]`, `[Pod]`, …) in Quadlet keys. */
  readonly body: readonly IniEntry[];
  /**
   * Resource-section entries the builder writes with systemd specifiers on purpose (e.g. a
   * `Volume=%h/…` of the user's home): rendered as given, never escaped. Never put a prop here.
   */
  readonly bodySpecified?: readonly IniEntry[];
  /** systemd `[Service]` entries. */
  readonly service?: readonly IniEntry[];
  /** systemd `[Install]` entries. */
  readonly install?: readonly IniEntry[];
}

/** The file name of a unit: `name.type`. */
export function unitFileName(u: Pick<QuadletUnit, "name" | "type">): string {
  return `${u.name}.${u.type}`;
}

/**
 * The systemd service a unit becomes: `x.service` for containers, `x-pod.service`,
 * `x-volume.service`, `x-network.service` otherwise.
 */
export function serviceName(u: Pick<QuadletUnit, "name" | "type">): string {
  return u.type === "container" ? `${u.name}.service` : `${u.name}-${u.type}.service`;
}

/** The section name of a unit type: `Container`, `Pod`, … */
export function sectionName(type: UnitType): string {
  return type.charAt(0).toUpperCase() + type.slice(1);
}
