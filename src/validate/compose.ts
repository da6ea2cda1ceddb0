/**
 * Validates compose files against the Compose Specification's JSON schema (draft-07), vendored in
 * `schemas/compose-spec.json` (source in `schemas/SOURCES.md`).
 * @see https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
 */
import { compile, parseYaml, report, STATIC_SCHEMAS } from "./schemas.js";

/** Problems of a compose file, empty when it conforms. */
export async function composeProblems(text: string): Promise<string[]> {
  const v = await compile("compose-spec", STATIC_SCHEMAS["compose-spec"]!);
  return report(v, parseYaml(text));
}
