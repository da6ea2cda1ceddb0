/**
 * Loads a grid program: a `.ts`/`.mts`/`.cts`/`.js` module whose default export is a Grid or a
 * function returning one. JavaScript is imported as it is; TypeScript is bundled in this thread
 * by esbuild (see program-bundle.ts) and imported from memory, so its `import "@tlos/grid"`
 * reaches the same module instances the CLI already loaded.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { TlosError } from "../core/errors.js";
import { Grid } from "../synth/grid.js";
import { bundleProgram } from "./program-bundle.js";

/**
 * The tsconfig a TypeScript program is built with: `TLOS_TSCONFIG` (`TSX_TSCONFIG_PATH`, tsx's
 * name, is read too), else the one esbuild finds above the program.
 */
function tsconfig(env: NodeJS.ProcessEnv): string | undefined {
  return env["TLOS_TSCONFIG"] || env["TSX_TSCONFIG_PATH"] || undefined;
}

async function importTypeScript(abs: string, program: string): Promise<{ default?: unknown }> {
  const debug = Boolean(process.env["TLOS_DEBUG"]);
  if (debug) process.setSourceMapsEnabled(true);
  const tsconfigPath = tsconfig(process.env);
  const code = await bundleProgram(abs, program, { sourceMap: debug, ...(tsconfigPath ? { tsconfig: tsconfigPath } : {}) });
  return (await import(`data:text/javascript;base64,${Buffer.from(code).toString("base64")}`)) as { default?: unknown };
}

export async function loadGrid(program: string): Promise<Grid> {
  const abs = resolve(program);
  if (!existsSync(abs)) throw new TlosError(`${program}: no such file`);
  const mod = /\.(c|m)?tsx?$/.test(abs) ? await importTypeScript(abs, program) : ((await import(pathToFileURL(abs).href)) as { default?: unknown });
  let value = mod.default;
  // a CommonJS program's module.exports arrives as the default; `exports.default = …` once more
  if (value && typeof value === "object" && "default" in value && !Grid.isGrid(value)) value = (value as { default: unknown }).default;
  if (typeof value === "function") value = await (value as () => unknown)();
  if (!Grid.isGrid(value)) {
    throw new TlosError(`${program}: the default export must be a Grid (or a function returning one), got ${value === undefined ? "nothing" : typeof value}`);
  }
  return value;
}
