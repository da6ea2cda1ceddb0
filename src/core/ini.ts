/**
 * Deterministic writer for systemd unit files (Quadlet units are systemd units).
 * Sections come in the order given; values never carry trailing comments (systemd allows
 * comments only on their own lines).
 * @see https://www.freedesktop.org/software/systemd/man/latest/systemd.syntax.html
 */

/** One `Key=value` line; a key may repeat. */
export type IniEntry = readonly [key: string, value: string];

/** A `[Section]` with its entries in output order. */
export interface IniSection {
  readonly name: string;
  readonly entries: readonly IniEntry[];
}

/** Renders sections, skipping empty ones; `header` lines become `#` comments at the top. */
export function renderIni(sections: readonly IniSection[], header: readonly string[] = []): string {
  const out: string[] = header.map((h) => `# ${h}`.trimEnd());
  for (const s of sections) {
    if (s.entries.length === 0) continue;
    if (out.length > 0) out.push("");
    out.push(`[${s.name}]`);
    for (const [k, v] of s.entries) {
      if (/[\r\n]/.test(v)) throw new RangeError(`unit value for ${k} contains a line break: ${JSON.stringify(v)}`);
      out.push(`${k}=${v}`);
    }
  }
  return `${out.join("\n")}\n`;
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
