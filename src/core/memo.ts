/**
 * A pure function of a string with its answers kept: what every node of a grid asks alike (an
 * image reference, a version, a unit key) is worked out once. At `limit` answers the kept ones
 * are dropped and kept afresh, so an odd program cannot grow the memory without bound.
 */
export function memoized<V>(limit: number, fn: (key: string) => V): (key: string) => V {
  const kept = new Map<string, V>();
  return (key) => {
    if (kept.has(key)) return kept.get(key) as V;
    const v = fn(key);
    if (kept.size >= limit) kept.clear();
    kept.set(key, v);
    return v;
  };
}
