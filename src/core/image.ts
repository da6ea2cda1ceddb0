/**
 * OCI image references: `[registry/]repository[:tag][@sha256:<64 hex>]`.
 * Security defaults: `:latest` is refused; a tag without a digest is allowed with a warning.
 * @see https://github.com/distribution/reference/blob/main/reference.go
 */
import { asString } from "./errors.js";
import { memoized } from "./memo.js";

const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;
const REGISTRY = /^(?:localhost|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+|[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)*:\d+)$/;

/** A parsed, fully qualified image reference. */
export class ImageRef {
  private constructor(
    /** Registry host, e.g. `ghcr.io` (`docker.io` when the reference named none). */
    readonly registry: string,
    /** Repository path, e.g. `wasmcloud/wash` (`library/nats` for official Docker Hub images). */
    readonly repository: string,
    /** Tag, e.g. `2.10.29-alpine`. */
    readonly tag: string | undefined,
    /** Content digest, e.g. `sha256:…`. */
    readonly digest: string | undefined,
  ) {}

  /** Parses a reference; throws `RangeError` naming what is wrong (including `:latest`). */
  static parse(ref: string): ImageRef {
    if (typeof ref !== "string" || ref.trim() !== ref || ref.length === 0) {
      throw new RangeError(`${JSON.stringify(ref)} is not an image reference: expected "registry/repo:tag@sha256:<digest>"`);
    }
    let rest = ref;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
      digest = rest.slice(at + 1);
      rest = rest.slice(0, at);
      if (!DIGEST.test(digest)) throw new RangeError(`${JSON.stringify(ref)} has a bad digest: expected "sha256:" and 64 lowercase hex characters`);
    }
    let tag: string | undefined;
    const colon = rest.lastIndexOf(":");
    if (colon > rest.lastIndexOf("/")) {
      tag = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
      if (!TAG.test(tag)) throw new RangeError(`${JSON.stringify(ref)} has a bad tag ${JSON.stringify(tag)}`);
    }
    if (tag === "latest") {
      throw new RangeError(`${JSON.stringify(ref)} uses ':latest', which is refused: pin a version tag and a digest (name:1.2.3@sha256:…)`);
    }
    if (tag === undefined && digest === undefined) {
      throw new RangeError(`${JSON.stringify(ref)} has neither tag nor digest (that means ':latest', which is refused): pin name:1.2.3@sha256:…`);
    }
    const parts = rest.split("/");
    let registry = "docker.io";
    const first = parts[0] ?? "";
    if (parts.length > 1 && REGISTRY.test(first)) {
      registry = first;
      parts.shift();
    }
    if (registry === "docker.io" && parts.length === 1) parts.unshift("library");
    if (parts.length === 0 || !parts.every((p) => COMPONENT.test(p))) {
      throw new RangeError(`${JSON.stringify(ref)} has a bad repository name: use lowercase path components like "org/name"`);
    }
    return new ImageRef(registry, parts.join("/"), tag, digest);
  }

  /** True when the reference carries a content digest. */
  get pinned(): boolean {
    return this.digest !== undefined;
  }

  /** The fully qualified reference, as Podman's `AutoUpdate=registry` requires. */
  toString(): string {
    return `${this.registry}/${this.repository}${this.tag ? `:${this.tag}` : ""}${this.digest ? `@${this.digest}` : ""}`;
  }
}

type ImageCheck = Readonly<{ image?: ImageRef; problem?: string; warning?: string }>;

/** Checks by reference: every node of a grid usually names the same few images. */
const checked = memoized(1024, (ref) => Object.freeze(parseChecked(ref)));

/** Parses an image ref; a tag without digest yields a warning text. */
export function checkImage(ref: unknown): ImageCheck {
  if (typeof ref !== "string") return { problem: `must be an image reference string, got ${typeof ref}` };
  return checked(ref);
}

function parseChecked(ref: string): ImageCheck {
  try {
    const image = ImageRef.parse(ref);
    return image.pinned
      ? { image }
      : { image, warning: `${ref} has a tag but no digest: pin it as ${ref}@sha256:<digest> (skopeo inspect --format '{{.Digest}}' docker://${image.toString()})` };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

/**
 * Checks an image prop, reporting a problem or a missing-digest warning on `field`; returns the
 * fully qualified reference, or `fallback` when it does not parse.
 */
export function resolveImage(report: (field: string, message: string) => void, warn: (field: string, message: string) => void, field: string, ref: unknown, fallback = asString(ref)): string {
  const r = checkImage(ref);
  if (r.problem) report(field, r.problem);
  if (r.warning) warn(field, r.warning);
  return r.image?.toString() ?? fallback;
}
