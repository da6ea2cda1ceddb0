/** Small shared checks for construct props; each returns a message or undefined. */
import { ImageRef } from "../core/image.js";
import { parseVersion, atLeast } from "../core/version.js";
import { NEWEST_KNOWN_PODMAN } from "../quadlet/key-table.js";

/** Parses an image ref; a tag without digest yields a warning text. */
export function checkImage(ref: unknown): { image?: ImageRef; problem?: string; warning?: string } {
  if (typeof ref !== "string") return { problem: `must be an image reference string, got ${typeof ref}` };
  try {
    const image = ImageRef.parse(ref);
    return image.pinned
      ? { image }
      : { image, warning: `${ref} has a tag but no digest: pin it as ${ref}@sha256:<digest> (skopeo inspect --format '{{.Digest}}' docker://${image.toString()})` };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

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

/** A prop as a string for messages and fallbacks, never throwing on odd objects. */
export function asString(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : fallback;
}

/** A prop as a number, or the fallback. */
export function asNumber(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}
