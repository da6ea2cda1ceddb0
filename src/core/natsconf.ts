/**
 * Deterministic writer for nats-server configuration files. Values are typed so strings are
 * always quoted, sizes are written as nats-server parses them, and map keys keep their order
 * (the builders put them in a fixed order).
 * @see https://docs.nats.io/running-a-nats-service/configuration
 */
import { commentLine } from "./comment.js";

/** A raw token written unquoted, e.g. a size `256MB` or a duration. */
export class Raw {
  constructor(readonly text: string) {}
}

export type ConfValue = string | number | boolean | Raw | ConfValue[] | ConfMap;
export interface ConfMap {
  readonly [key: string]: ConfValue | undefined;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u007f]/;

/**
 * A double-quoted nats-server string. Its lexer knows only the escapes `\xXX`, `\t`, `\n`, `\r`,
 * `\"` and `\\` (JSON's `\u0000` or `\b` are parse errors), and a quoted string is never a
 * `$variable` or an `include`.
 */
export function natsString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  return `"${s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => (c === "\\" ? "\\\\" : c === '"' ? '\\"' : c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`))}"`;
}

function scalar(v: string | number | boolean | Raw): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === "string") return natsString(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`NATS config value ${v} is not finite`);
    return String(v);
  }
  return v ? "true" : "false";
}

function key(k: string): string {
  return BARE_KEY.test(k) ? k : natsString(k);
}

// lines gathered and joined once per level, so the text is flat (not a rope of its pieces)
function value(v: ConfValue, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const inner = indent + "  ";
    const lines: string[] = ["["];
    for (const x of v) lines.push(inner + value(x, inner));
    lines.push(`${indent}]`);
    return lines.join("\n");
  }
  if (typeof v === "object" && !(v instanceof Raw)) {
    const inner = indent + "  ";
    const lines: string[] = ["{"];
    for (const k of Object.keys(v)) {
      const x = v[k];
      if (x !== undefined) lines.push(`${inner}${key(k)}: ${value(x, inner)}`);
    }
    if (lines.length === 1) return "{}";
    lines.push(`${indent}}`);
    return lines.join("\n");
  }
  return scalar(v);
}

/** Renders a top-level config map; `header` lines become `#` comments. */
export function renderNatsConf(conf: ConfMap, header: readonly string[] = []): string {
  const out = header.map((h) => commentLine(h));
  for (const [k, v] of Object.entries(conf)) {
    if (v === undefined) continue;
    out.push(`${key(k)}: ${value(v, "")}`);
  }
  return `${out.join("\n")}\n`;
}
