import { memoized } from "./memo.js";

/** `major.minor[.patch]` versions, compared numerically. */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** Parsed versions by text: a grid compares the same few versions for every key of every unit. */
const sortKey = memoized(4096, (v): readonly [number, number, number] => parseVersion(v) ?? [-1, 0, 0]);

/** Negative when a < b, 0 when equal, positive when a > b; unparsable versions sort first. */
export function compareVersions(a: string, b: string): number {
  const x = sortKey(a);
  const y = sortKey(b);
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** True when `version` is `since` or newer. */
export function atLeast(version: string, since: string): boolean {
  return compareVersions(version, since) >= 0;
}
