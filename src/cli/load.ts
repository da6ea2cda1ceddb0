/**
 * Loads a grid program: a `.ts`/`.mts`/`.cts`/`.js` module whose default export is a Grid or a
 * function returning one. TypeScript goes through tsx's hooks registered once for the whole
 * process (ESM and CommonJS), so the program's `import "@tlos/grid"` reaches the same module
 * instances the CLI already loaded instead of a second copy of the library.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TlosError } from "../core/errors.js";
import { Grid } from "../synth/grid.js";

const registered = new Set<"esm" | "cjs">();

async function register(kind: "esm" | "cjs"): Promise<void> {
  if (registered.has(kind)) return;
  registered.add(kind);
  if (kind === "cjs") (await import("tsx/cjs/api")).register();
  else (await import("tsx/esm/api")).register();
}

/**
 * Imports a TypeScript program through tsx's hooks, registered once per process. A `.cts` is
 * required with CommonJS hooks only: with ESM hooks active, Node 20's require() of the (ESM)
 * library fails ("not in cache"). A `.ts` or `.mts` needs both (a `.ts` in a CommonJS project
 * is handed from the ESM hooks to the CommonJS ones).
 */
async function importTypeScript(abs: string): Promise<{ default?: unknown }> {
  if (abs.endsWith(".cts")) {
    await register("cjs");
    return { default: createRequire(import.meta.url)(abs) as unknown };
  }
  await register("esm");
  await register("cjs");
  return (await import(pathToFileURL(abs).href)) as { default?: unknown };
}

export async function loadGrid(program: string): Promise<Grid> {
  const abs = resolve(program);
  if (!existsSync(abs)) throw new TlosError(`${program}: no such file`);
  const mod = /\.(c|m)?tsx?$/.test(abs) ? await importTypeScript(abs) : ((await import(pathToFileURL(abs).href)) as { default?: unknown });
  let value = mod.default;
  // a CommonJS program's module.exports arrives as the default; `exports.default = …` once more
  if (value && typeof value === "object" && "default" in value && !Grid.isGrid(value)) value = (value as { default: unknown }).default;
  if (typeof value === "function") value = await (value as () => unknown)();
  if (!Grid.isGrid(value)) {
    throw new TlosError(`${program}: the default export must be a Grid (or a function returning one), got ${value === undefined ? "nothing" : typeof value}`);
  }
  return value;
}
