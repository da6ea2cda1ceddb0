#!/usr/bin/env node
// The tlos CLI. Runs the compiled library (npm run build); see src/cli/main.ts.
import { existsSync } from "node:fs";
const entry = new URL("../dist-lib/cli/main.js", import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write("tlos: dist-lib/ is missing; run `npm run build` first\n");
  process.exit(2);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
