/**
 * A TypeScript grid program as one ES module, built in this thread by esbuild: the program and
 * every TypeScript file it reaches (its own files, a `paths` alias, a workspace package shipping
 * `.ts`) are bundled; everything else (`@tlos/grid`, any `.js` package, Node built-ins) stays an
 * import of its resolved absolute file, so Node loads it as usual and the program shares the
 * module instances the CLI already loaded. No loader hooks are registered: with tsx's hooks every
 * later import went through its loader thread (about 1 s of a 1-node synth).
 * Each bundled file keeps its own `import.meta.url`, `import.meta.dirname`, `import.meta.filename`,
 * `__dirname` and `__filename`, and `require` works as in the program's folder.
 * @see https://esbuild.github.io/api/#build
 */
import { readFile } from "node:fs/promises";
import { builtinModules, createRequire } from "node:module";
import { dirname } from "node:path";
import { pathToFileURL } from "node:url";
import type { Message, Plugin } from "esbuild";
import { TlosError } from "../core/errors.js";

const TS = /\.(c|m)?tsx?$/;
const BUILTIN = new Set(builtinModules);
const INNER = "tlos-inner-resolve";

/** `import.meta.*`, `__dirname` and `__filename` of `file` as literals in its own text. */
export function pinFileMeta(text: string, file: string): string {
  const lit = { url: JSON.stringify(pathToFileURL(file).href), dirname: JSON.stringify(dirname(file)), filename: JSON.stringify(file) };
  let out = text.replace(/\bimport\.meta\.(url|dirname|filename)\b/g, (_, k: keyof typeof lit) => lit[k]);
  const decl = [["__dirname", lit.dirname], ["__filename", lit.filename]]
    .filter(([name]) => new RegExp(`\\b${name}\\b`).test(out) && !new RegExp(`\\b(?:var|let|const|function|class)\\s+${name}\\b`).test(out))
    .map(([name, v]) => `var ${name} = ${v};`);
  if (decl.length === 0) return out;
  // on the first line (after a shebang), so line numbers stay those of the file
  const at = out.startsWith("#!") ? out.indexOf("\n") + 1 : 0;
  out = `${out.slice(0, at)}${decl.join(" ")} ${out.slice(at)}`;
  return out;
}

/**
 * Starts loading the `@tlos/grid` the program's folder resolves (free of import-order effects),
 * while esbuild starts and bundles: the main thread would otherwise wait idle for it. Nothing
 * when the folder has none (the program then does not import it, or fails to on its own).
 */
function warmLibrary(abs: string): Promise<unknown> {
  let file: string;
  try {
    file = createRequire(abs).resolve("@tlos/grid");
  } catch {
    return Promise.resolve();
  }
  return import(pathToFileURL(file).href).catch(() => undefined);
}

/** Bundles what is TypeScript, and points every other import at its resolved file. */
function externalizeJavaScript(): Plugin {
  return {
    name: "tlos-externalize-js",
    setup(build) {
      build.onResolve({ filter: /^[^.]/ }, async (a) => {
        if (a.kind === "entry-point" || a.pluginData === INNER) return undefined;
        if (a.path.startsWith("node:") || BUILTIN.has(a.path) || BUILTIN.has(a.path.split("/")[0] ?? "")) return { path: a.path, external: true };
        const r = await build.resolve(a.path, { kind: a.kind, resolveDir: a.resolveDir, importer: a.importer, pluginData: INNER });
        if (r.errors.length > 0) return { errors: r.errors };
        if (TS.test(r.path)) return { path: r.path };
        // require() takes a path, import a URL (the bundle is not a file, so nothing is relative)
        return { path: a.kind === "require-call" || a.kind === "require-resolve" ? r.path : pathToFileURL(r.path).href, external: true };
      });
      build.onLoad({ filter: /\.(c|m)?[jt]sx?$/ }, async (a) => {
        if (a.path.includes("/node_modules/") && !TS.test(a.path)) return undefined;
        const loader = a.path.endsWith("x") ? (TS.test(a.path) ? "tsx" : "jsx") : TS.test(a.path) ? "ts" : "js";
        return { contents: pinFileMeta(await readFile(a.path, "utf8"), a.path), loader };
      });
    },
  };
}

function where(m: Message): string {
  return m.location ? `${m.location.file}:${m.location.line}:${m.location.column + 1}: ` : "";
}

/** The build's first error as one line, with how many more there are. */
function buildFailure(program: string, errors: readonly Message[]): TlosError {
  const [first] = errors;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  return new TlosError(`${program}: cannot load: ${first ? `${where(first)}${first.text}` : "build failed"}${more}`);
}

/**
 * The program at `abs` bundled as ES module source text. `tsconfig` (default: the one esbuild
 * finds above the program) gives `paths` and JSX settings; `sourceMap` inlines a source map.
 */
export async function bundleProgram(abs: string, program: string, opts: { tsconfig?: string; sourceMap?: boolean } = {}): Promise<string> {
  const warm = warmLibrary(abs);
  // require, not import(): Node's ESM loader scans esbuild's CommonJS entry for its export names first (~25 ms)
  const esbuild = createRequire(import.meta.url)("esbuild") as typeof import("esbuild");
  const requireFrom = JSON.stringify(pathToFileURL(abs).href);
  try {
    const r = await esbuild.build({
      entryPoints: [abs], bundle: true, write: false, format: "esm", platform: "node", target: "node20",
      // Node's own conditions and main field: the files Node would load, not a "module" build
      conditions: [], mainFields: ["main"], logLevel: "silent", ...(opts.tsconfig ? { tsconfig: opts.tsconfig } : {}),
      sourcemap: opts.sourceMap ? "inline" : false, sourcesContent: false, absWorkingDir: dirname(abs),
      banner: { js: `import { createRequire as __tlosCreateRequire } from "node:module"; const require = __tlosCreateRequire(${requireFrom});` },
      plugins: [externalizeJavaScript()],
    });
    await warm;
    return r.outputFiles[0]?.text ?? "";
  } catch (e) {
    const errors = (e as { errors?: Message[] }).errors;
    if (Array.isArray(errors)) throw buildFailure(program, errors);
    throw e;
  }
}
