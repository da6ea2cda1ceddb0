/**
 * What every `tlos` subcommand shares: its usage and help text, strict flag parsing (unknown
 * flags and missing values are usage errors, never stack traces), and `--help`/`-h`.
 */
import { parseArgs } from "node:util";
import { TlosError } from "../core/errors.js";

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** A flag: a string value or a boolean switch, optionally repeatable. */
export interface Flag {
  readonly type: "string" | "boolean";
  readonly short?: string;
  readonly multiple?: boolean;
}

/** The parsed command line of one subcommand. */
export class Args {
  constructor(
    private readonly values: Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>,
    readonly positionals: readonly string[],
  ) {}

  /** A string flag's value (the last one when given twice). */
  str(name: string): string | undefined {
    const v = this.values[name];
    const last = Array.isArray(v) ? v[v.length - 1] : v;
    return typeof last === "string" ? last : undefined;
  }

  /** Every value of a repeatable string flag. */
  strs(name: string): string[] {
    const v = this.values[name];
    return (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === "string");
  }

  bool(name: string): boolean {
    return this.values[name] === true;
  }

  /**
   * A duration flag in milliseconds: `1500ms`, `2s`, `1.5m`, or a bare number in the flag's own
   * `unit` (kept for the flags documented with one). Outside `min`–`max` ms, or not a duration: a
   * usage error naming the flag, the value and what is allowed.
   */
  duration(command: string, name: string, o: { unit: "ms" | "s"; default: number; min: number; max: number }): number {
    const v = this.str(name);
    if (v === undefined) return o.default;
    const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(v.trim());
    const ms = m ? Number(m[1]) * UNIT_MS[(m[2] ?? o.unit) as "ms" | "s" | "m"] : NaN;
    if (!(ms >= o.min && ms <= o.max)) {
      throw new UsageError(`tlos ${command}: --${name} ${JSON.stringify(v)} is not allowed: use a duration from ${showMs(o.min)} to ${showMs(o.max)} (e.g. 500ms, 2s, 1m; a bare number is ${o.unit === "s" ? "seconds" : "milliseconds"})`);
    }
    return ms;
  }
}

const UNIT_MS: Readonly<Record<"ms" | "s" | "m", number>> = { ms: 1, s: 1000, m: 60_000 };
const showMs = (ms: number) => (ms === 0 ? "0" : ms % 60_000 === 0 ? `${ms / 60_000}m` : ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`);

export interface Command {
  /** One usage line without the leading `tlos `, e.g. `synth <program> --out <dir>`. */
  readonly usage: string;
  /** What the command does, one or a few lines (shown by `--help` and `tlos --help`). */
  readonly help: string;
  readonly flags: Readonly<Record<string, Flag>>;
  /** How many positional arguments it takes. @default [0, 0] */
  readonly positionals?: readonly [min: number, max: number];
  /** Flags that must be given. */
  readonly required?: readonly string[];
  run(args: Args, io: Io): Promise<number>;
}

/** A command line the command cannot take: exit 2, one line, a pointer to `--help`. */
export class UsageError extends TlosError {}

/** Node's parseArgs messages, first sentence only (the rest is advice on `--`). */
function cleanParseError(e: unknown): string | undefined {
  const err = e as { code?: string; message?: string };
  if (typeof err?.code !== "string" || !err.code.startsWith("ERR_PARSE_ARGS_")) return undefined;
  const first = String(err.message).split(/\.\s/)[0]?.replace(/\.$/, "") ?? "bad arguments";
  return first.charAt(0).toLowerCase() + first.slice(1);
}

/** A parseArgs error as a {@link UsageError}; anything else unchanged. */
export function asUsageError(e: unknown, name: string): unknown {
  const msg = cleanParseError(e);
  return msg ? new UsageError(`tlos ${name}: ${msg} (see tlos ${name} --help)`) : e;
}

/** The `--help` text of a command. */
export function commandHelp(c: Command): string {
  const flags = Object.entries(c.flags).map(([n, f]) => `--${n}${f.short ? `, -${f.short}` : ""}`);
  return `Usage: tlos ${c.usage}\n\n${c.help.replace(/^/gm, "  ")}\n${flags.length ? `\nFlags: ${flags.join(", ")}, --help, -h\n` : "\nFlags: --help, -h\n"}`;
}

/**
 * Parses `argv` for command `name`; returns undefined after printing help for `--help`/`-h`.
 * Throws a {@link UsageError} for an unknown flag, a missing value, a missing required flag or
 * the wrong number of positional arguments.
 */
export function parseCommand(name: string, c: Command, argv: readonly string[], io: Io): Args | undefined {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, strict: true, options: { ...c.flags, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    throw asUsageError(e, name);
  }
  const values = parsed.values as Record<string, string | boolean | (string | boolean)[] | undefined>;
  if (values["help"] === true) {
    io.out(commandHelp(c));
    return undefined;
  }
  const [min, max] = c.positionals ?? [0, 0];
  const n = parsed.positionals.length;
  const usage = `(usage: tlos ${c.usage})`;
  if (n < min) throw new UsageError(`tlos ${name}: missing argument ${usage}`);
  if (n > max) throw new UsageError(`tlos ${name}: unexpected argument ${JSON.stringify(parsed.positionals[max])} ${usage}`);
  for (const r of c.required ?? []) {
    if (values[r] === undefined) throw new UsageError(`tlos ${name}: missing --${r} ${usage}`);
  }
  return new Args(values, parsed.positionals);
}
