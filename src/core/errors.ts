/**
 * Errors a user of the library can meet. Every problem names the construct path, the field,
 * the bad value and what is allowed; a synth reports all of them at once.
 */

/** One problem found in a grid definition. */
export interface Problem {
  /** Construct path, e.g. `grid/lattice/home-1`. */
  readonly path: string;
  /** The prop (dotted for nested props), e.g. `resources.memory`. */
  readonly field: string;
  /** What is wrong and what is allowed. */
  readonly message: string;
  /** A stable machine-readable code, e.g. `quadlet-key-version`. */
  readonly code?: string;
}

/** Base class of every error this library throws on purpose (never a bug). */
export class TlosError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Formats one problem as `[path] field: message`. */
export function formatProblem(p: Problem): string {
  return `[${p.path}] ${p.field}: ${p.message}`;
}

/** Thrown by synth when the grid has problems; lists every one of them. */
export class ValidationError extends TlosError {
  readonly problems: readonly Problem[];
  constructor(problems: readonly Problem[]) {
    const sorted = [...problems].sort((a, b) =>
      a.path === b.path ? (a.field < b.field ? -1 : a.field > b.field ? 1 : 0) : a.path < b.path ? -1 : 1,
    );
    super(
      `Validation failed with ${sorted.length} problem${sorted.length === 1 ? "" : "s"}:\n` +
        sorted.map((p) => `  ${formatProblem(p)}`).join("\n"),
    );
    this.problems = sorted;
  }
}

/**
 * A Quadlet key that the target Podman version does not know. The generator rejects unknown
 * keys (`unsupported key 'X' in group 'Y'`) and the unit then does not exist, so we refuse early.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
export class QuadletKeyVersionError extends TlosError {
  constructor(
    readonly section: string,
    readonly key: string,
    readonly since: string | undefined,
    readonly target: string,
  ) {
    super(
      since === undefined
        ? `Quadlet key '${key}' does not exist in [${section}] (no Podman version up to 5.8 has it)`
        : `Quadlet key '${key}' in [${section}] needs Podman ${since} or newer; the target is Podman ${target} (set podman.version to '${since}' or drop the key)`,
    );
  }
}

/** A prop as a string for messages and fallbacks, never throwing on odd objects. */
export function asString(v: unknown, fallback = ""): string {
  return typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" ? String(v) : fallback;
}

/** Renders a value for an error message: strings quoted, objects as JSON, long values cut. */
export function show(value: unknown): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (value === undefined) s = "undefined";
  // JSON would print NaN and Infinity as null, and a Date as a string (an invalid one as null)
  else if (typeof value === "number" && !Number.isFinite(value)) s = String(value);
  else if (value instanceof Date) s = Number.isNaN(value.getTime()) ? "an invalid Date" : `Date ${value.toISOString()}`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/**
 * Runs `fn` and reports a `RangeError`/`TypeError` it throws (a parser refusing a value) as a
 * problem on `field`, returning `fallback` then; any other error is a bug and is thrown.
 */
export function attempt<T>(report: (field: string, message: string) => void, field: string, fn: () => T, fallback: T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof RangeError || e instanceof TypeError)) throw e;
    report(field, e.message);
    return fallback;
  }
}
