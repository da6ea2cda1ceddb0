/**
 * Validates compose files against the Compose Specification's JSON schema (draft-07), vendored in
 * `schemas/compose-spec.json` (source in `schemas/SOURCES.md`).
 * @see https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { compile, report } from "./schemas.js";

const SCHEMA = fileURLToPath(new URL("../../schemas/compose-spec.json", import.meta.url));

/** Problems of a compose file, empty when it conforms. */
export async function composeProblems(text: string): Promise<string[]> {
  const v = await compile("compose-spec", () => {
    // the schema's "$schema" names draft-07 by an https URL ajv does not know; the keywords are draft-07
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(SCHEMA, "utf8")) as Record<string, unknown>;
    return schema;
  });
  return report(v, parse(text));
}
