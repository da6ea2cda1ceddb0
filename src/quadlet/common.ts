/** Entries every tLOS container unit shares: hardening, health, restart and install. */
import { quoteArg, type IniEntry } from "../core/ini.js";

export interface HealthCheck {
  /** Shell-form command run inside the container. */
  readonly cmd: string;
  readonly interval: string;
  readonly retries: number;
  readonly startPeriod: string;
}

/** `Health*` keys plus `Notify=healthy`, so units ordered `After=` this one start once it is healthy. */
export function healthEntries(h: HealthCheck): IniEntry[] {
  return [
    ["HealthCmd", h.cmd],
    ["HealthInterval", h.interval],
    ["HealthRetries", String(h.retries)],
    ["HealthStartPeriod", h.startPeriod],
    ["HealthOnFailure", "kill"],
    ["Notify", "healthy"],
  ];
}

/** No extra privileges: drop every capability, forbid setuid gains. */
export const HARDENING: readonly IniEntry[] = [
  ["DropCapability", "ALL"],
  ["NoNewPrivileges", "true"],
];

/** systemd restarts the unit; health failures kill the container so this applies. */
export const RESTART: readonly IniEntry[] = [
  ["Restart", "always"],
  ["RestartSec", "5"],
  ["TimeoutStartSec", "300"],
];

/** Start at login/boot of the user session (rootless units need `loginctl enable-linger`). */
export const WANTED_BY_DEFAULT: readonly IniEntry[] = [["WantedBy", "default.target"]];

/**
 * Labels as sorted `Label="k=v"` entries: Quadlet splits an unquoted `Label=` value on spaces
 * into several labels, so each pair is one quoted argument.
 */
export function labelEntries(labels: Readonly<Record<string, string>>): IniEntry[] {
  return Object.keys(labels)
    .sort()
    .map((k) => ["Label", quoteArg(`${k}=${labels[k]}`)] as const);
}
