/**
 * Deterministic YAML: keys sorted (except a few head keys kept first), `undefined` dropped,
 * no line folding, YAML 1.2 core schema.
 *
 * Rendering goes through a direct block-style emitter for JSON-shaped data: the output is the
 * bytes `yaml`'s `stringify` prints for the same data (a test compares both on every document
 * of the examples and on random data), without building its Document tree — about 5× faster.
 * A scalar the emitter cannot prove plain is printed by `yaml` itself (cached per string), and a
 * document it does not handle (a multi-line string, an odd key, a non-JSON value) is rendered
 * entirely by `yaml`.
 * @see https://yaml.org/spec/1.2.2/
 */
import { createRequire } from "node:module";
import { commentLine } from "./comment.js";
import { memoized } from "./memo.js";

let lib: typeof import("yaml") | undefined;

/**
 * The `yaml` package, loaded on first use (a 1-node synth, or a validate of the block YAML tlos
 * writes, needs none of it): every lazy user of `yaml` asks here.
 */
export function yamlModule(): typeof import("yaml") {
  lib ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  return lib;
}

/** `yaml`'s `stringify`, its package loaded on first use. */
function stringify(value: unknown, opts: typeof OPTS): string {
  return yamlModule().stringify(value, opts);
}

const HEAD = ["apiVersion", "kind", "metadata", "name", "version"];
const OPTS = { lineWidth: 0, aliasDuplicateObjects: false } as const;

const IS_HEAD = new Set(HEAD);

/**
 * The defined keys of `v`: the head keys present, in HEAD's order, then the rest in UTF-16 code
 * unit order (what `a < b` compares, and what `sort()` without a comparator does natively).
 */
function sortedKeys(v: Record<string, unknown>): string[] {
  const rest: string[] = [];
  let heads: string[] | undefined;
  for (const k of Object.keys(v)) {
    if (v[k] === undefined) continue;
    if (IS_HEAD.has(k)) (heads ??= []).push(k);
    else rest.push(k);
  }
  rest.sort();
  return heads === undefined ? rest : [...heads.sort((a, b) => HEAD.indexOf(a) - HEAD.indexOf(b)), ...rest];
}

function sortValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortValue);
  if (v && typeof v === "object") {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(sortedKeys(o).map((k) => [k, sortValue(o[k])]));
  }
  return v;
}

/** Strings every YAML 1.2 reader takes as the same plain string: no indicator, space or ambiguity. */
const PLAIN = /^[A-Za-z_/.][A-Za-z0-9_./:=@+-]*$/;
const AMBIGUOUS = /^(?:true|True|TRUE|false|False|FALSE|null|Null|NULL|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN|\.\d.*)$/;

/** Thrown inside the emitter when a document needs `yaml` itself. */
class Unsupported extends Error {}

/** Flags (`-q`, `--config`): one or two dashes, then a letter (`---` starts a document). */
const DASHED = /^--?[A-Za-z][A-Za-z0-9_./:=@+-]*$/;
/** Strings that start with a digit (`5s`, `2.7.0`), no colon; plain unless the core schema reads them as a number. */
const DIGITED = /^[0-9][A-Za-z0-9_./=@+-]*$/;
/** What the core schema (which `yaml` quotes against) reads as an int, a hex or octal int, or a float. */
const CORE_NUMBER = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$/;

/** True for a string written as it is, as a value or a key. */
function isPlain(s: string): boolean {
  if (s.endsWith(":")) return false;
  return (PLAIN.test(s) && !AMBIGUOUS.test(s)) || DASHED.test(s) || (DIGITED.test(s) && !CORE_NUMBER.test(s));
}

const scalarCache = new Map<string, string>();

function stringScalar(s: string): string {
  if (isPlain(s)) return s;
  let out = scalarCache.get(s);
  if (out === undefined) {
    out = stringify(s, OPTS);
    // one line plus its newline; a block scalar (multi-line string) needs the context: use yaml
    if (out.indexOf("\n") !== out.length - 1 || out.startsWith("|") || out.startsWith(">")) throw new Unsupported();
    out = out.slice(0, -1);
    if (scalarCache.size < 100_000) scalarCache.set(s, out);
  }
  return out;
}

function scalar(v: unknown): string {
  if (typeof v === "string") return stringScalar(v);
  if (typeof v === "number") {
    if (!Number.isFinite(v) || Object.is(v, -0) || !Number.isSafeInteger(v)) throw new Unsupported();
    return String(v);
  }
  if (typeof v === "boolean") return v ? "true" : "false";
  if (v === null) return "null";
  throw new Unsupported();
}

/** Keys judged once: a grid's documents repeat the same few hundred keys. */
const plainKey = memoized(10_000, isPlain);

function key(k: string): string {
  if (plainKey(k)) return k;
  throw new Unsupported();
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === "object" && !Array.isArray(v);

/** Appends `v` as the value after `key:` (or after `- `) at indentation `ind`. */
function emitValue(out: Out, v: unknown, ind: string, afterDash: boolean): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push(afterDash ? "[]\n" : " []\n");
      return;
    }
    if (!afterDash) out.push("\n");
    emitSeq(out, v, afterDash ? "" : ind, ind);
    return;
  }
  if (isObject(v)) {
    const keys = sortedKeys(v);
    if (keys.length === 0) {
      out.push(afterDash ? "{}\n" : " {}\n");
      return;
    }
    if (!afterDash) out.push("\n");
    emitMap(out, v, keys, ind, afterDash);
    return;
  }
  if (v !== null && typeof v === "object") throw new Unsupported();
  out.push(afterDash ? `${scalar(v)}\n` : ` ${scalar(v)}\n`);
}

/** The pieces of a document being emitted; `joined`: how many at the front are joined chunks. */
type Out = string[] & { joined?: number };
const CHUNK = 4096;

/**
 * Joins the newest pieces into one string once there are {@link CHUNK} of them: a big document
 * (a 10k-node compose.yaml) then holds a few hundred flat chunks while it is made, not a million
 * short strings (each with its own header, many of them ropes).
 */
function compact(out: Out): void {
  const from = out.joined ?? 0;
  if (out.length - from < CHUNK) return;
  out.push(out.splice(from).join(""));
  out.joined = from + 1;
}

/** A mapping; when it follows `- ` its first key goes on the dash's line. */
function emitMap(out: Out, o: Record<string, unknown>, keys: string[], ind: string, firstInline: boolean): void {
  keys.forEach((k, i) => {
    out.push(i === 0 && firstInline ? `${key(k)}:` : `${ind}${key(k)}:`);
    emitValue(out, o[k], `${ind}  `, false);
    compact(out);
  });
}

/** A block sequence; `firstPrefix` replaces the indentation of the first item (when inline after a dash). */
function emitSeq(out: Out, a: readonly unknown[], firstPrefix: string, ind: string): void {
  a.forEach((item, i) => {
    out.push(`${i === 0 ? firstPrefix : ind}- `);
    if (item === undefined) throw new Unsupported();
    emitValue(out, item, `${ind}  `, true);
    compact(out);
  });
}

let fallbacks = 0;

/** How many documents went to `yaml` entirely so far (for tests and the benchmark). */
export function yamlFallbacks(): number {
  return fallbacks;
}

/** One document as `yaml`'s `stringify` (lineWidth 0, no aliases) prints its sorted form. */
export function emitDocument(doc: unknown): string {
  try {
    if (Array.isArray(doc)) {
      if (doc.length === 0) return "[]\n";
      const out: Out = [];
      emitSeq(out, doc, "", "");
      return out.join("");
    }
    if (isObject(doc)) {
      const keys = sortedKeys(doc);
      if (keys.length === 0) return "{}\n";
      const out: Out = [];
      emitMap(out, doc, keys, "", false);
      return out.join("");
    }
    return `${scalar(doc)}\n`;
  } catch (e) {
    if (!(e instanceof Unsupported)) throw e;
    fallbacks++;
    return stringify(sortValue(doc), OPTS);
  }
}

/** The same document through `yaml`'s Document model (the reference the emitter matches). */
export function stringifyWithYaml(doc: unknown): string {
  return stringify(sortValue(doc), OPTS);
}

/** Renders one document (or several, separated by `---`). */
export function renderYaml(docs: unknown | unknown[], opts: { multi?: boolean; header?: readonly string[] } = {}): string {
  const list = opts.multi ? (docs as unknown[]) : [docs];
  const head = (opts.header ?? []).map((h) => `${commentLine(h)}\n`).join("");
  return head + list.map(emitDocument).join("---\n");
}
