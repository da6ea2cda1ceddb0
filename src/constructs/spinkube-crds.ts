/** The spin-operator CRDs (v0.6.1), vendored in `schemas/crds/`: the operator chart ships none. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { yamlModule } from "../core/yaml.js";

const DIR = fileURLToPath(new URL("../../schemas/crds/", import.meta.url));
export const SPIN_CRDS = ["spinkube-v0.6.1-core.spinkube.dev_spinapps.yaml", "spinkube-v0.6.1-core.spinkube.dev_spinappexecutors.yaml"] as const;

let cache: Record<string, unknown>[] | undefined;
export function SPIN_CRD_FILES(): Record<string, unknown>[] {
  // yaml loaded here, on first use: a grid without SpinKube never needs it
  cache ??= SPIN_CRDS.map((f) => yamlModule().parse(readFileSync(DIR + f, "utf8")) as Record<string, unknown>);
  return cache;
}
