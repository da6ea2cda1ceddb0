/**
 * A reader for the plain block YAML tlos writes (`compose.yaml`, `wadm.yaml`, …): nested block
 * mappings and sequences of plain, single- or double-quoted one-line scalars (and `{}`, `[]`). It gives what
 * `yaml`'s `parse` gives (YAML 1.2 core schema) for every text it accepts, and `undefined` for
 * anything else — anchors, tags, flow collections, block scalars, comments after a value, a
 * duplicate key, a plain scalar whose type is not plain to see — so the caller then asks `yaml`.
 * `tlos validate` read the 50-node `compose.yaml` (68 KB) with `yaml` in ~140 ms cold (~65 warm);
 * this reads it in a few, and `yaml` is not loaded at all when every document fits.
 */

interface Line {
  readonly indent: number;
  /** The line's text after its indent. */
  readonly text: string;
}

/** Thrown inside the reader for anything outside the subset; never escapes it. */
class NotPlain extends Error {}

const KEY = /^[A-Za-z_][A-Za-z0-9_./-]*$/;
/** Words the core schema reads as null or a boolean: as a key, `yaml` would turn them into "" or "true". */
const RESERVED = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE)$/;
/** The core schema's numbers (int, octal, hex, float, infinities and NaN) as `yaml` matches them. */
const CORE_NUMBER = /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
/** The numbers read here (exactly, as `Number` and `yaml` both read them); other numbers are left to `yaml`. */
const PLAIN_NUMBER = /^(?:0|-?[1-9][0-9]{0,14})(?:\.[0-9]{1,15})?$/;
/** First characters a plain scalar may not start with (indicators), `-` aside (handled below). */
const INDICATOR = /^[?:,[\]{}#&*!|>'"%@`]/;
const CONTROL = /[\0-\x1f\x7f]/;

function scalar(s: string): unknown {
  if (s === "{}") return {}; // the one flow collection read here: an empty one
  if (s === "[]") return [];
  if (s.startsWith('"')) {
    // one double-quoted scalar filling the rest of the line: JSON's escapes are YAML's, with the same meaning
    if (s.length < 2 || !s.endsWith('"') || CONTROL.test(s)) throw new NotPlain();
    try {
      return JSON.parse(s) as string;
    } catch {
      throw new NotPlain();
    }
  }
  if (s.startsWith("'")) {
    const inner = s.slice(1, -1);
    if (s.length < 2 || !s.endsWith("'") || inner.replace(/''/g, "").includes("'") || CONTROL.test(s)) throw new NotPlain();
    return inner.replace(/''/g, "'");
  }
  if (INDICATOR.test(s) || (s.startsWith("-") && (s.length === 1 || s[1] === " ")) || s.includes(": ") || s.includes(" #") || s.endsWith(":") || CONTROL.test(s)) throw new NotPlain();
  if (s === "~" || s === "null" || s === "Null" || s === "NULL") return null;
  if (s === "true" || s === "True" || s === "TRUE") return true;
  if (s === "false" || s === "False" || s === "FALSE") return false;
  if (CORE_NUMBER.test(s)) {
    if (PLAIN_NUMBER.test(s)) return Number(s);
    throw new NotPlain();
  }
  return s;
}

class Reader {
  private i = 0;

  constructor(private readonly lines: Line[]) {}

  read(): unknown {
    if (this.lines.length === 0 || this.lines[0]?.indent !== 0) throw new NotPlain();
    const v = this.block(0);
    if (this.i !== this.lines.length) throw new NotPlain();
    return v;
  }

  private block(indent: number): unknown {
    const line = this.lines[this.i] as Line;
    return line.text === "-" || line.text.startsWith("- ") ? this.sequence(indent) : this.mapping(indent);
  }

  private sequence(indent: number): unknown[] {
    const out: unknown[] = [];
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      if (!line.text.startsWith("- ")) {
        if (line.text === "-") throw new NotPlain();
        break;
      }
      const rest = line.text.slice(2);
      const lead = rest.length - rest.trimStart().length;
      if (lead > 0 || rest.startsWith("- ") || rest === "-") throw new NotPlain();
      if (/^[^'"][^:]*:(?: |$)/.test(rest)) {
        // `- key: value`: a mapping whose first line this is, its other lines two columns in
        this.lines[this.i] = { indent: indent + 2, text: rest };
        out.push(this.mapping(indent + 2));
      } else {
        out.push(scalar(rest));
        this.i++;
      }
    }
    this.after(indent);
    return out;
  }

  private mapping(indent: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (let line = this.lines[this.i]; line && line.indent === indent; line = this.lines[this.i]) {
      if (line.text === "-" || line.text.startsWith("- ")) throw new NotPlain(); // a sequence among keys
      const colon = line.text.indexOf(":");
      if (colon <= 0) throw new NotPlain();
      const key = line.text.slice(0, colon);
      const rest = line.text.slice(colon + 1);
      if (!KEY.test(key) || RESERVED.test(key) || key === "__proto__" || Object.hasOwn(out, key)) throw new NotPlain();
      this.i++;
      if (rest === "") {
        const next = this.lines[this.i];
        if (next && next.indent > indent) out[key] = this.block(next.indent);
        else if (next && next.indent === indent && (next.text === "-" || next.text.startsWith("- "))) throw new NotPlain(); // a sequence at its key's column
        else out[key] = null;
      } else {
        if (!rest.startsWith(" ") || rest.startsWith("  ")) throw new NotPlain();
        out[key] = scalar(rest.slice(1));
      }
    }
    this.after(indent);
    return out;
  }

  /** After a collection at `indent`: the next line must belong to an outer one. */
  private after(indent: number): void {
    const next = this.lines[this.i];
    if (next && next.indent > indent) throw new NotPlain();
  }
}

/** What `yaml`'s `parse(text)` gives, when `text` is plain block YAML; undefined otherwise. */
export function readBlockYaml(text: string): unknown {
  if (text.includes("\r") || text.includes("\t")) return undefined;
  const lines: Line[] = [];
  for (const raw of text.split("\n")) {
    const body = raw.trimStart();
    if (body === "" || body.startsWith("#")) {
      if (raw !== raw.trimEnd() && body !== "") return undefined;
      continue;
    }
    if (raw !== raw.trimEnd()) return undefined; // trailing spaces: left to yaml
    if (body.startsWith("---") || body.startsWith("...") || body.startsWith("%")) return undefined;
    lines.push({ indent: raw.length - body.length, text: body });
  }
  try {
    return new Reader(lines).read();
  } catch (e) {
    if (e instanceof NotPlain) return undefined;
    throw e;
  }
}
