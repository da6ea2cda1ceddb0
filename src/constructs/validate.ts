/** Small shared checks for construct props; each returns a message or undefined. */
import { parseVersion, atLeast } from "../core/version.js";
import { NEWEST_KNOWN_PODMAN } from "../quadlet/key-table.js";

/**
 * Where a `resolveXxx(props, report)` function reports: a problem (or, given as `warn`, a warning)
 * on one prop field. The resolver returns safe fallbacks for bad props and goes on, so one synth
 * reports every problem at once.
 */
export type Report = (field: string, message: string) => void;

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

/**
 * The one image-update policy: digest pins, updated by changing the pin (`tlos images --pin`), with
 * `AutoUpdate` off. `"registry"` on a digest-pinned image is a no-op (Podman stores `name@sha256:…`
 * and compares the digest with itself), so that combination is refused; on a tag it is an explicit
 * opt-out of pinning. Returns the policy to emit and the problem, if any.
 */
export function autoUpdateChoice(value: unknown, images: readonly string[]): { policy: "registry" | "local" | undefined; problem?: string } {
  const v = value ?? false;
  if (v !== false && v !== "registry" && v !== "local") return { policy: undefined, problem: `${JSON.stringify(v)} is not allowed: use false (default: digest pins, updated with tlos images --pin), "registry" or "local"` };
  if (v === "registry") {
    const pinned = images.filter((i) => i.includes("@sha256:"));
    if (pinned.length > 0) return { policy: undefined, problem: `"registry" never updates a digest-pinned image (${pinned[0]}): Podman compares the pinned digest with itself. Keep false and move the pin (tlos images --pin), or use a tag without a digest` };
  }
  return { policy: v === false ? undefined : v };
}
