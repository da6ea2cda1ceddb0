/**
 * Deterministic writer for systemd unit files (Quadlet units are systemd units).
 * Sections come in the order given; values never carry trailing comments (systemd allows
 * comments only on their own lines).
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.syntax.html
 */
import { commentLine } from "./comment.js";

/** One `Key=value` line; a key may repeat. */
export type IniEntry = readonly [key: string, value: string];

/** A `[Section]` with its entries in output order. */
export interface IniSection {
  readonly name: string;
  readonly entries: readonly IniEntry[];
}

/** Renders sections, skipping empty ones; `header` lines become `#` comments at the top. */
export function renderIni(sections: readonly IniSection[], header: readonly string[] = []): string {
  // lines joined once: one flat string (a text built by `+=` is a rope of every piece until
  // flattened, and a node's units are held from validation to its synth)
  const out: string[] = [];
  for (const h of header) out.push(commentLine(h));
  for (const s of sections) {
    if (s.entries.length === 0) continue;
    if (out.length > 0) out.push("");
    out.push(`[${s.name}]`);
    for (const [k, v] of s.entries) {
      const why = unitValueProblem(v);
      if (why) throw new RangeError(`unit value for ${k} ${why}: ${JSON.stringify(v).slice(0, 80)}`);
      out.push(`${k}=${v}`);
    }
  }
  return `${out.join("\n")}\n`;
}

const BREAK_OR_NUL = /[\r\n\u0000]/;

/**
 * Why `v` cannot be a systemd unit value, or undefined: a line break ends the entry, a NUL
 * truncates it, a trailing backslash joins the next line to it.
 */
export function unitValueProblem(v: string): string | undefined {
  if (BREAK_OR_NUL.test(v)) return "contains a line break or a NUL byte";
  if (v.endsWith("\\")) return "ends with a backslash (a line continuation)";
  return undefined;
}

/**
 * A value taken literally by systemd: `%` specifiers (`%h`, `%u`…) become `%%` and `$VAR`
 * expansions in the generated `ExecStart=` become `$$`. Use it for every value that reaches a
 * command line (Quadlet's resource section) so a prop arrives as the data it is.
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.unit.html#Specifiers
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.service.html#Command%20lines
 */
export function unitLiteral(v: string, dollars = true): string {
  const s = v.includes("%") ? v.replace(/%/g, "%%") : v;
  return dollars && s.includes("$") ? s.replace(/\$/g, "$$$$") : s;
}

/** Quotes one argument the way systemd and Quadlet's `LookupAllArgs` split command lines. */
export function quoteArg(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `"${arg.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Joins arguments into one command line for `Exec=`/`PodmanArgs=`. */
export function joinArgs(args: readonly string[]): string {
  return args.map(quoteArg).join(" ");
}
