/**
 * Deterministic YAML: keys sorted (except a few head keys kept first), `undefined` dropped,
 * no line folding, YAML 1.2 core schema.
 */
import { stringify } from "yaml";
import { commentLine } from "./comment.js";

const HEAD = ["apiVersion", "kind", "metadata", "name", "version"];

function sortValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortValue);
  if (v && typeof v === "object") {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    keys.sort((a, b) => {
      const ia = HEAD.indexOf(a), ib = HEAD.indexOf(b);
      if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
      return a < b ? -1 : a > b ? 1 : 0;
    });
    return Object.fromEntries(keys.map((k) => [k, sortValue((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Renders one document (or several, separated by `---`). */
export function renderYaml(docs: unknown | unknown[], opts: { multi?: boolean; header?: readonly string[] } = {}): string {
  const list = opts.multi ? (docs as unknown[]) : [docs];
  const head = (opts.header ?? []).map((h) => `${commentLine(h)}\n`).join("");
  return head + list.map((d) => stringify(sortValue(d), { lineWidth: 0, aliasDuplicateObjects: false })).join("---\n");
}
