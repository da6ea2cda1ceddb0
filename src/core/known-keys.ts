/**
 * Unknown props are errors: a misspelled prop (`resourses`, `publishports`) would otherwise be
 * ignored and synth would go on as if it were absent. One generic check, driven by a key schema
 * per props type, walks nested objects, lists and maps and names each unknown key with the
 * closest known one.
 */
import { didYouMean } from "./suggest.js";

/** What a prop holds: a leaf (any value, free-form maps included), a nested object, a list or a map of them. */
export type KeySpec = true | KeySchema | { readonly list: KeySchema } | { readonly map: KeySchema };
export interface KeySchema {
  readonly [key: string]: KeySpec;
}
/** A schema naming exactly the keys of `T` (checked by the compiler). */
export type KeysOf<T> = { readonly [K in keyof Required<T>]: KeySpec };

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isList = (s: KeySpec): s is { readonly list: KeySchema } => typeof s === "object" && "list" in s && Object.keys(s).length === 1 && typeof s.list === "object";
const isMap = (s: KeySpec): s is { readonly map: KeySchema } => typeof s === "object" && "map" in s && Object.keys(s).length === 1 && typeof s.map === "object";

/**
 * Reports every key of `value` (and of its nested objects) that `schema` does not know, on
 * `field.key` (or `key` at the top). Values of the wrong type are left to the prop's own check.
 */
export function checkKnownKeys(report: (field: string, message: string) => void, value: unknown, schema: KeySchema, field = ""): void {
  if (!isPlain(value)) return;
  const at = (k: string) => (field === "" ? k : `${field}.${k}`);
  const known = Object.keys(schema);
  for (const [k, v] of Object.entries(value)) {
    const spec = schema[k];
    if (spec === undefined) {
      if (v === undefined) continue;
      report(at(k), `unknown prop ${JSON.stringify(k)}${didYouMean(k, known)}; known here: ${known.join(", ")}`);
      continue;
    }
    if (spec === true) continue;
    if (isList(spec)) {
      if (Array.isArray(v)) v.forEach((x, i) => checkKnownKeys(report, x, spec.list, `${at(k)}[${i}]`));
    } else if (isMap(spec)) {
      if (isPlain(v)) for (const [mk, mv] of Object.entries(v)) checkKnownKeys(report, mv, spec.map, `${at(k)}.${mk}`);
    } else checkKnownKeys(report, v, spec, at(k));
  }
}
