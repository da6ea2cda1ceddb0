/**
 * Props as plain data before a construct reads them. Whatever a caller passes — getters that
 * throw, proxies, cyclic or null-prototype objects, symbols, bigints, functions, arrays of a
 * million items, objects nested a thousand deep — comes out as a copy of plain objects, arrays,
 * strings, numbers, booleans and Dates, and everything that could not be copied is a problem
 * naming its field. The walk is iterative, so nothing can overflow the stack.
 */

/** The most items any list prop may hold (hubs, components, links, volumes, apps…). */
export const MAX_ITEMS = 10_000;
/** The most keys any object prop may hold (labels, env, config…). */
export const MAX_KEYS = 10_000;
/** The deepest nesting of props. */
export const MAX_DEPTH = 32;

type Report = (field: string, message: string) => void;

function describe(v: unknown): string {
  return typeof v === "function" ? "a function" : typeof v === "symbol" ? "a symbol" : typeof v === "bigint" ? "a bigint" : typeof v;
}

/** A plain copy of `props`; problems go to `problem` with dotted field paths. */
export function plainProps<T>(props: T, problem: Report): T {
  const root: { v?: unknown } = {};
  const seen = new Set<object>();
  // each task copies `value` into `into[key]`
  const tasks: { value: unknown; into: Record<string | number, unknown>; key: string | number; field: string; depth: number }[] = [{ value: props, into: root as Record<string, unknown>, key: "v", field: "", depth: 0 }];
  const name = (field: string) => field || "props";
  while (tasks.length > 0) {
    const t = tasks.pop()!;
    const v = t.value;
    if (v === null || v === undefined || typeof v === "string" || typeof v === "number" || typeof v === "boolean") {
      t.into[t.key] = v;
      continue;
    }
    if (typeof v !== "object") {
      problem(name(t.field), `${describe(v)} is not a valid value`);
      continue;
    }
    if (seen.has(v)) {
      problem(name(t.field), "refers to itself (a cyclic object): props must be plain data");
      continue;
    }
    if (t.depth >= MAX_DEPTH) {
      problem(name(t.field), `is nested deeper than ${MAX_DEPTH} levels`);
      continue;
    }
    try {
      if (v instanceof Date) {
        t.into[t.key] = new Date(v.getTime());
        continue;
      }
      if (Array.isArray(v)) {
        if (v.length > MAX_ITEMS) {
          problem(name(t.field), `${v.length} items: at most ${MAX_ITEMS}`);
          continue;
        }
        const out: unknown[] = new Array(v.length);
        t.into[t.key] = out;
        seen.add(v);
        for (let i = v.length - 1; i >= 0; i--) tasks.push({ value: v[i], into: out as unknown as Record<number, unknown>, key: i, field: `${t.field}[${i}]`, depth: t.depth + 1 });
        continue;
      }
      const keys = Object.keys(v);
      if (keys.length > MAX_KEYS) {
        problem(name(t.field), `${keys.length} keys: at most ${MAX_KEYS}`);
        continue;
      }
      const out: Record<string, unknown> = {};
      t.into[t.key] = out;
      seen.add(v);
      for (const k of keys.reverse()) {
        const f = t.field ? `${t.field}.${k}` : k;
        let x: unknown;
        try {
          x = (v as Record<string, unknown>)[k];
        } catch (e) {
          problem(f, `reading it threw (${e instanceof Error ? e.message : String(e)}): props must be plain data`);
          continue;
        }
        if (k === "__proto__") continue;
        tasks.push({ value: x, into: out, key: k, field: f, depth: t.depth + 1 });
      }
    } catch (e) {
      problem(name(t.field), `could not be read (${e instanceof Error ? e.message : String(e)}): props must be plain data`);
    }
  }
  return root.v as T;
}
