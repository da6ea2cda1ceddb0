/**
 * Deterministic writer for nats-server configuration files. Values are typed so strings are
 * always quoted, sizes are written as nats-server parses them, and map keys keep their order
 * (the builders put them in a fixed order).
 * @see https://docs.nats.io/running-a-nats-service/configuration
 */

/** A raw token written unquoted, e.g. a size `256MB` or a duration. */
export class Raw {
  constructor(readonly text: string) {}
}

export type ConfValue = string | number | boolean | Raw | ConfValue[] | ConfMap;
export interface ConfMap {
  readonly [key: string]: ConfValue | undefined;
}

const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function scalar(v: string | number | boolean | Raw): string {
  if (v instanceof Raw) return v.text;
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new RangeError(`NATS config value ${v} is not finite`);
    return String(v);
  }
  return v ? "true" : "false";
}

function key(k: string): string {
  return BARE_KEY.test(k) ? k : JSON.stringify(k);
}

function value(v: ConfValue, indent: string): string {
  if (Array.isArray(v)) {
    if (v.length === 0) return "[]";
    const inner = indent + "  ";
    return `[\n${v.map((x) => inner + value(x, inner)).join("\n")}\n${indent}]`;
  }
  if (typeof v === "object" && !(v instanceof Raw)) {
    const inner = indent + "  ";
    const lines = Object.entries(v)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${inner}${key(k)}: ${value(x as ConfValue, inner)}`);
    return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent}}`;
  }
  return scalar(v);
}

/** Renders a top-level config map; `header` lines become `#` comments. */
export function renderNatsConf(conf: ConfMap, header: readonly string[] = []): string {
  const out = header.map((h) => `# ${h}`.trimEnd());
  for (const [k, v] of Object.entries(conf)) {
    if (v === undefined) continue;
    out.push(`${key(k)}: ${value(v, "")}`);
  }
  return `${out.join("\n")}\n`;
}
