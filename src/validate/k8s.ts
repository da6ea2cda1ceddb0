/**
 * Kubernetes documents checked by real schemas: core objects by `kubernetes-models` (generated
 * from the Kubernetes OpenAPI, with its own validator), KEDA objects by `@kubernetes-models/keda`,
 * and custom resources by their CRD's `openAPIV3Schema` (vendored in `schemas/crds/`).
 * A kind with no schema available is reported as unchecked, never as passed.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { yamlModule } from "../core/yaml.js";
import { compile, crdSchema, report } from "./schemas.js";
import { importOptional, MissingPackageError } from "../core/optional.js";

const CRDS = fileURLToPath(new URL("../../schemas/crds/", import.meta.url));
const CRD_FILES: Record<string, string> = {
  "core.spinkube.dev/v1alpha1/SpinApp": "spinkube-v0.6.1-core.spinkube.dev_spinapps.yaml",
  "core.spinkube.dev/v1alpha1/SpinAppExecutor": "spinkube-v0.6.1-core.spinkube.dev_spinappexecutors.yaml",
  "runtime.spinkube.dev/v1alpha1/Shim": "runtime-class-manager-v0.2.0-runtime.spinkube.dev_shims.yaml",
  "runtime.wasmcloud.dev/v1alpha1/WorkloadDeployment": "wasmcloud-v2.7.0-runtime.wasmcloud.dev_workloaddeployments.yaml",
  "policy.sigstore.dev/v1beta1/ClusterImagePolicy": "policy-controller-v0.13.1-policy.sigstore.dev_clusterimagepolicies.yaml",
};

let extra: { dirs: string; files: Map<string, string> } | undefined;
/**
 * More CRDs from the folders in `TLOS_CRD_DIRS` (colon-separated), e.g. a cluster's own CRDs:
 * `group/version/Kind` → file, for every served version.
 */
function extraCrds(): Map<string, string> {
  const dirs = process.env["TLOS_CRD_DIRS"] ?? "";
  if (extra?.dirs !== dirs) extra = { dirs, files: scanCrdDirs(dirs) };
  return extra.files;
}

/** Reads the CRDs in `dirs` once per value of `TLOS_CRD_DIRS`, not once per document checked. */
function scanCrdDirs(dirs: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const dir of dirs.split(":").filter(Boolean)) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((x) => /\.ya?ml$/.test(x)).sort()) {
      for (const d of yamlModule().parseAllDocuments(readFileSync(join(dir, f), "utf8"))) {
        const crd = d.toJSON() as { kind?: string; spec?: { group: string; names: { kind: string }; versions: { name: string; served: boolean }[] } } | null;
        if (crd?.kind !== "CustomResourceDefinition" || !crd.spec) continue;
        for (const v of crd.spec.versions) if (v.served) out.set(`${crd.spec.group}/${v.name}/${crd.spec.names.kind}`, join(dir, f));
      }
    }
  }
  return out;
}

async function crdValidator(key: string) {
  const file = CRD_FILES[key] ? CRDS + CRD_FILES[key] : extraCrds().get(key);
  if (!file) return undefined;
  return compile(`crd:${key}`, () => crdSchema(file, key.split("/").slice(-2, -1)[0]));
}

/** Module and class of `kubernetes-models` for an apiVersion/kind. */
function modelModule(apiVersion: string, kind: string): string | undefined {
  if (apiVersion === "keda.sh/v1alpha1") return "@kubernetes-models/keda/keda.sh/v1alpha1";
  const known = ["v1", "apps/v1", "autoscaling/v2", "node.k8s.io/v1", "networking.k8s.io/v1", "apiextensions.k8s.io/v1", "rbac.authorization.k8s.io/v1", "batch/v1"];
  return known.includes(apiVersion) && /^[A-Z]\w+$/.test(kind) ? `kubernetes-models/${apiVersion}` : undefined;
}

export interface DocCheck {
  readonly kind: string;
  readonly name: string;
  readonly checkedBy: "kubernetes-models" | "crd" | "none";
  readonly problems: readonly string[];
  /** The optional package that would check this kind but is not installed. */
  readonly missing?: MissingPackageError;
}

export async function k8sChecks(text: string): Promise<DocCheck[]> {
  const out: DocCheck[] = [];
  for (const d of yamlModule().parseAllDocuments(text)) {
    const doc = d.toJSON() as { apiVersion?: string; kind?: string; metadata?: { name?: string } } | null;
    if (!doc) continue;
    const key = `${doc.apiVersion}/${doc.kind}`;
    const name = `${doc.kind}/${doc.metadata?.name ?? "?"}`;
    const crd = await crdValidator(key);
    if (crd) {
      out.push({ kind: key, name, checkedBy: "crd", problems: report(crd, doc) });
      continue;
    }
    const mod = modelModule(String(doc.apiVersion), String(doc.kind));
    let Model: (new (o: unknown) => { validate(): void }) | undefined;
    try {
      const pkg = mod?.startsWith("@kubernetes-models/keda") ? "@kubernetes-models/keda" : "kubernetes-models";
      Model = mod ? ((await importOptional(pkg, () => import(mod))) as Record<string, new (o: unknown) => { validate(): void }>)[String(doc.kind)] : undefined;
    } catch (e) {
      if (!(e instanceof MissingPackageError)) throw e;
      out.push({ kind: key, name, checkedBy: "none", problems: [], missing: e });
      continue;
    }
    if (!Model) {
      out.push({ kind: key, name, checkedBy: "none", problems: [] });
      continue;
    }
    try {
      new Model(doc).validate();
      out.push({ kind: key, name, checkedBy: "kubernetes-models", problems: [] });
    } catch (e) {
      out.push({ kind: key, name, checkedBy: "kubernetes-models", problems: [(e as Error).message] });
    }
  }
  return out;
}
