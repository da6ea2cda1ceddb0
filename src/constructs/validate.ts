/** Small shared checks for construct props; each returns a message or undefined. */
import { parseVersion, atLeast } from "../core/version.js";
import { NEWEST_KNOWN_PODMAN } from "../quadlet/key-table.js";

/** A Podman version we can target: 5.0 (Quadlet .pod units) up to the newest known. */
export function podmanVersionProblem(v: unknown): string | undefined {
  if (typeof v !== "string" || !parseVersion(v)) return `${JSON.stringify(v)} is not a version: use "major.minor", e.g. "5.0"`;
  if (!atLeast(v, "5.0")) return `Podman ${v} is too old: tLOS nodes need Podman 5.0 or newer (Quadlet .pod units, Notify=healthy)`;
  if (!atLeast(NEWEST_KNOWN_PODMAN, v)) return `Podman ${v} is newer than the newest version whose Quadlet keys are known (${NEWEST_KNOWN_PODMAN})`;
  return undefined;
}

/** Values of `--userns` that make sense for rootless units. */
export const USERNS_FORMS = /^(auto(:[a-z0-9=,]+)?|keep-id(:[a-z0-9=,]+)?|nomap)$/;

/** An absolute POSIX path without `..`, spaces or quotes. */
export function absPathProblem(p: unknown): string | undefined {
  if (typeof p === "string" && /^\/[A-Za-z0-9._/@+-]*$/.test(p) && !p.split("/").includes("..")) return undefined;
  return `${JSON.stringify(p)} is not an absolute path: use letters, digits and . _ - / @ +, no '..'`;
}

/** A prop as a number, or the fallback. */
export function asNumber(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}
