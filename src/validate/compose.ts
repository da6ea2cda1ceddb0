/**
 * Validates compose files against the Compose Specification's JSON schema (draft-07), vendored in
 * `schemas/compose-spec.json` (source in `schemas/SOURCES.md`).
 * @see https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

type Validate = ((doc: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let compiled: Validate | undefined;

const SCHEMA = fileURLToPath(new URL("../../schemas/compose-spec.json", import.meta.url));

async function validator(): Promise<Validate> {
  if (!compiled) {
    const { default: Ajv } = (await import("ajv")) as unknown as { default: new (o: object) => { compile(s: unknown): Validate } };
    // the schema's "$schema" names draft-07 by an https URL ajv does not know; the keywords are draft-07
    const { $schema: _draft, ...schema } = JSON.parse(readFileSync(SCHEMA, "utf8")) as Record<string, unknown>;
    compiled = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false }).compile(schema);
  }
  return compiled;
}

/** Problems of a compose file, empty when it conforms. */
export async function composeProblems(text: string): Promise<string[]> {
  const v = await validator();
  const doc: unknown = parse(text);
  if (v(doc)) return [];
  return (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
}
