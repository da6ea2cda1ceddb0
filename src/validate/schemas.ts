/**
 * JSON-schema validators for synthesized documents: wadm's OAM schema (draft-07) and the
 * `openAPIV3Schema` of the wasmCloud v2 CRDs, vendored in `schemas/`; also the one ajv compile
 * cache and error format the compose and Kubernetes checks share.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { yamlModule } from "../core/yaml.js";
import { readBlockYaml } from "./block-yaml.js";

/** What `yaml`'s `parse` gives; plain block YAML is read without `yaml`. */
export function parseYaml(text: string): unknown {
  const v = readBlockYaml(text);
  return v !== undefined ? v : yamlModule().parse(text);
}

type Validate = ((doc: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
const cache = new Map<string, Validate>();
const SCHEMAS = fileURLToPath(new URL("../../schemas/", import.meta.url));
/** Where `npm run build` puts the precompiled validators (scripts/compile-schemas.mjs). */
const COMPILED = new URL("./compiled/", import.meta.url);

/** The ajv options of every validator, precompiled or not. */
export const AJV_OPTIONS = { allErrors: true, strict: false, validateFormats: false, logger: false } as const;

/** The compose spec, draft-07: its "$schema" names draft-07 by an https URL ajv does not know. */
function composeSchema(): unknown {
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(`${SCHEMAS}compose-spec.json`, "utf8")) as Record<string, unknown>;
  return schema;
}

const WORKLOAD_CRD = "crds/wasmcloud-v2.7.0-runtime.wasmcloud.dev_workloaddeployments.yaml";

/**
 * The vendored schemas, by cache key. `npm run build` compiles each to standalone code, so
 * `tlos validate` loads it instead of compiling the schema on every run (~0.7 s for compose).
 */
export const STATIC_SCHEMAS: Readonly<Record<string, () => unknown>> = {
  "compose-spec": composeSchema,
  wadm: () => JSON.parse(readFileSync(`${SCHEMAS}wadm.schema.json`, "utf8")),
  wd: () => crdSchema(`${SCHEMAS}${WORKLOAD_CRD}`),
};

/** A validator `npm run build` precompiled for `key`, if there is one. */
function precompiled(key: string): Validate | undefined {
  if (!Object.hasOwn(STATIC_SCHEMAS, key)) return undefined;
  const file = fileURLToPath(new URL(`${key}.cjs`, COMPILED));
  return existsSync(file) ? (createRequire(import.meta.url)(file) as { default: Validate }).default : undefined;
}

/** The ajv validator of a schema, compiled once per `key` (ajv itself is loaded on first use). */
export async function compile(key: string, schema: () => unknown): Promise<Validate> {
  let v = cache.get(key) ?? precompiled(key);
  if (!v) {
    // ajv is CommonJS: its class is also the named export `Ajv`, which Node's ESM interop exposes typed
    const { Ajv } = await import("ajv");
    v = new Ajv(AJV_OPTIONS).compile(schema() as object);
  }
  cache.set(key, v);
  return v;
}

/** Every problem `v` finds in `doc`, as `/json/pointer message`; empty when it conforms. */
export function report(v: Validate, doc: unknown): string[] {
  return v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
}

/** Problems of a wadm OAM manifest against `wadm.schema.json`. */
export async function wadmSchemaProblems(text: string): Promise<string[]> {
  const v = await compile("wadm", STATIC_SCHEMAS["wadm"]!);
  return report(v, parseYaml(text));
}

/**
 * The `openAPIV3Schema` of a CRD file's served version (`version`, or the first served one),
 * wrapped to check apiVersion and kind too.
 */
export function crdSchema(crdFile: string, version?: string): unknown {
  type Crd = { kind?: string; spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[] } };
  // a file may hold several documents (e.g. a CRD next to other objects): take the CRD
  const crd = yamlModule().parseAllDocuments(readFileSync(crdFile, "utf8")).map((d) => d.toJSON() as Crd | null).find((d) => d?.kind === "CustomResourceDefinition") as Crd;
  const chosen = crd.spec.versions.find((x) => x.served && (version === undefined || x.name === version)) ?? (version === undefined ? crd.spec.versions[0] : undefined);
  if (!chosen) throw new Error(`${crdFile} has no served version ${version ?? ""}`);
  const s = chosen.schema.openAPIV3Schema;
  const props = (s["properties"] ?? {}) as Record<string, unknown>;
  return {
    ...s,
    required: [...new Set([...((s["required"] as string[]) ?? []), "apiVersion", "kind", "metadata", "spec"])],
    properties: {
      ...props,
      apiVersion: { type: "string", enum: [`${crd.spec.group}/${chosen.name}`] },
      kind: { type: "string", enum: [crd.spec.names.kind] },
    },
  };
}

/** Problems of a WorkloadDeployment against the wasmCloud v2.7 CRD. */
export async function workloadDeploymentProblems(text: string): Promise<string[]> {
  const v = await compile("wd", STATIC_SCHEMAS["wd"]!);
  return report(v, parseYaml(text));
}
