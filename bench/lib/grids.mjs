// The examples' grids, loaded as a user's program is: TypeScript through tsx, with no tsconfig
// paths, so their `import "@tlos/grid"` is the built package (dist-lib, by the package's own
// name) and the same module instances as this process's `import("@tlos/grid")`.
import { register } from "tsx/esm/api";

register({ tsconfig: false });

/** examples/scale/grid.ts's `scaleGrid(n)` (its own default export is built with 0 nodes here). */
export async function scaleGrid(n) {
  const saved = process.env.TLOS_NODES;
  process.env.TLOS_NODES = "0";
  const { scaleGrid: build } = await import("../../examples/scale/grid.ts");
  if (saved === undefined) delete process.env.TLOS_NODES;
  else process.env.TLOS_NODES = saved;
  return build(n);
}
