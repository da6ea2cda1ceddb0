/**
 * Pulumi names of a grid's components: the grid's name, then the construct path below the grid
 * joined with `-` (the names earlier releases used, so existing stacks keep their URNs). Two
 * paths that join to the same name (`lat/x-y` and `lat-x/y`) would be one URN to the engine: the
 * grid is refused before anything registers.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/names/
 */
import type { Problem } from "../core/errors.js";

/** The Pulumi name of the construct at `path` (a full construct path, grid id first). */
export function resourceName(gridName: string, path: string): string {
  return `${gridName}-${path.split("/").slice(1).join("-")}`;
}

/** Problems for every name two or more paths share (each path named). */
export function nameCollisions(names: ReadonlyMap<string, string>): Problem[] {
  const byName = new Map<string, string[]>();
  for (const [path, name] of names) byName.set(name, [...(byName.get(name) ?? []), path]);
  return [...byName].filter(([, ps]) => ps.length > 1).flatMap(([name, ps]) => ps.map((p) => ({
    path: p,
    field: "id",
    code: "pulumi-name-collision",
    message: `its Pulumi name "${name}" is also the name of ${ps.filter((x) => x !== p).join(", ")}; allowed: ids whose paths join to distinct names (rename one)`,
  })));
}
