/**
 * Rewrites the role table in README.md (between the roles markers) from src/nats/roles.ts.
 * Usage: node --import tsx scripts/roles-table.ts   (test/roles.test.ts checks they match)
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { rolesMarkdown } from "../src/nats/roles.js";

const readme = fileURLToPath(new URL("../README.md", import.meta.url));
const text = readFileSync(readme, "utf8");
const next = text.replace(/(<!-- roles:begin -->\n)[\s\S]*?(\n<!-- roles:end -->)/, `$1${rolesMarkdown()}$2`);
if (next === text) console.log("README.md role table is up to date");
else {
  writeFileSync(readme, next);
  console.log("README.md role table rewritten");
}
