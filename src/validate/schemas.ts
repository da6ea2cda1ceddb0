/**
 * JSON-schema validators for synthesized documents: wadm's OAM schema (draft-07) and the
 * `openAPIV3Schema` of the wasmCloud v2 CRDs, vendored in `schemas/`; also the one ajv compile
 * cache and error format the compose and Kubernetes checks share.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse, parseAllDocuments } from "yaml";

type Validate = ((doc: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };
const cache = new Map<string, Validate>();
const SCHEMAS = fileURLToPath(new URL("../../schemas/", import.meta.url));

/** The ajv validator of a schema, compiled once per `key` (ajv itself is loaded on first use). */
export async function compile(key: string, schema: () => unknown): Promise<Validate> {
  let v = cache.get(key);
  if (!v) {
    // ajv is CommonJS: its class is also the named export `Ajv`, which Node's ESM interop exposes typed
    const { Ajv } = await import("ajv");
    v = new Ajv({ allErrors: true, strict: false, validateFormats: false, logger: false }).compile(schema() as object);
    cache.set(key, v);
  }
  return v;
}

/** Every problem `v` finds in `doc`, as `/json/pointer message`; empty when it conforms. */
export function report(v: Validate, doc: unknown): string[] {
  return v(doc) ? [] : (v.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"}`);
}

/** Problems of a wadm OAM manifest against `wadm.schema.json`. */
export async function wadmSchemaProblems(text: string): Promise<string[]> {
  const v = await compile("wadm", () => JSON.parse(readFileSync(`${SCHEMAS}wadm.schema.json`, "utf8")));
  return report(v, parse(text));
}

/**
 * The `openAPIV3Schema` of a CRD file's served version (`version`, or the first served one),
 * wrapped to check apiVersion and kind too.
 */
export function crdSchema(crdFile: string, version?: string): unknown {
  type Crd = { kind?: string; spec: { group: string; names: { kind: string }; versions: { name: string; served: boolean; schema: { openAPIV3Schema: Record<string, unknown> } }[] } };
  // a file may hold several documents (e.g. a CRD next to other objects): take the CRD
  const crd = parseAllDocuments(readFileSync(crdFile, "utf8")).map((d) => d.toJSON() as Crd | null).find((d) => d?.kind === "CustomResourceDefinition") as Crd;
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
  const file = `${SCHEMAS}crds/wasmcloud-v2.7.0-runtime.wasmcloud.dev_workloaddeployments.yaml`;
  const v = await compile("wd", () => crdSchema(file));
  return report(v, parse(text));
}
