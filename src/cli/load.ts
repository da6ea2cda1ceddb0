/** Loads a grid program: a `.ts`/`.js` module whose default export is a Grid or a function returning one. */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TlosError } from "../core/errors.js";
import { Grid } from "../constructs/grid.js";

export async function loadGrid(program: string): Promise<Grid> {
  const abs = resolve(program);
  if (!existsSync(abs)) throw new TlosError(`${program}: no such file`);
  let mod: { default?: unknown };
  if (/\.(c|m)?ts$/.test(abs)) {
    const { tsImport } = await import("tsx/esm/api");
    mod = (await tsImport(pathToFileURL(abs).href, import.meta.url)) as { default?: unknown };
  } else {
    mod = (await import(pathToFileURL(abs).href)) as { default?: unknown };
  }
  let value = mod.default;
  // tsx may wrap a CommonJS-style default export once more
  if (value && typeof value === "object" && "default" in value && !Grid.isGrid(value)) value = (value as { default: unknown }).default;
  if (typeof value === "function") value = await (value as () => unknown)();
  if (!Grid.isGrid(value)) {
    throw new TlosError(`${program}: the default export must be a Grid (or a function returning one), got ${value === undefined ? "nothing" : typeof value}`);
  }
  return value;
}
