#!/usr/bin/env node
// The tlos CLI. Runs the compiled library (npm run build); see src/cli/main.ts.
import { existsSync } from "node:fs";
const entry = new URL("../dist-lib/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("error: dist-lib/ is missing; run `npm run build` first\n");
  process.exit(2);
}
// a closed stderr leaves nothing to report on: exit 1 without a stack trace (stdout: see src/cli/failure.ts)
process.stderr.on("error", () => process.exit(1));
// TLOS_DEBUG=1 prints a failure's stack: through the bundle's source maps, so it names src/*.ts lines
if (process.env.TLOS_DEBUG) process.setSourceMapsEnabled(true);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
