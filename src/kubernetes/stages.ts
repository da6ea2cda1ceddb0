/**
 * The apply order of a cluster's Kubernetes documents: one table that names every stage and the
 * file it goes to. `02-install.sh`, the Pulumi adapter (`pulumi/kubernetes/cluster.ts`) and
 * `SpinKubeCluster.addDocs` all read it, so a document written to a file is always applied, in
 * the one order. `02-install.sh` itself sits between the CRDs and the runtime.
 */

/** One stage of a cluster's apply order. */
export type ApplyStage = "namespaces" | "crds" | "runtime" | "admission" | "registry" | "spin-apps" | "wasmcloud" | "workloads" | "backup";

/** Every stage in apply order, with the stem of its file (`<stem>.yaml`, or `<stem>-<name>.yaml` for a named part). */
export const APPLY_ORDER: readonly { readonly stage: ApplyStage; readonly stem: string }[] = [
  { stage: "namespaces", stem: "00-namespaces" },
  { stage: "crds", stem: "01-crds" },
  { stage: "runtime", stem: "03-runtime" },
  { stage: "admission", stem: "04-admission" },
  { stage: "registry", stem: "04b-registry" },
  { stage: "spin-apps", stem: "05-spin-apps" },
  { stage: "wasmcloud", stem: "06-wasmcloud" },
  { stage: "workloads", stem: "07-workloads" },
  { stage: "backup", stem: "08-backup" },
];

/** The install script's own file, applied by the operator (it runs every stage in order). */
export const INSTALL_SCRIPT = "02-install.sh";

/** A Kubernetes document with the stage it is applied in. */
export interface StagedDoc {
  readonly stage: ApplyStage;
  /** The file it is written to (see {@link stageFile}). */
  readonly file: string;
  readonly doc: Record<string, unknown>;
}

/** `<stem>.yaml`, or `<stem>-<name>.yaml` for a named part of a stage (e.g. `08-backup-nightly.yaml`). */
export function stageFile(stage: ApplyStage, name?: string): string {
  const s = APPLY_ORDER.find((x) => x.stage === stage);
  if (!s) throw new Error(`internal: unknown apply stage ${stage}`);
  return `${s.stem}${name ? `-${name}` : ""}.yaml`;
}

/** The files of `docs` in apply order: stage order, then file name (so the order is the listing's). */
export function filesInOrder(docs: readonly StagedDoc[]): string[] {
  const out: string[] = [];
  for (const { stage } of APPLY_ORDER) out.push(...[...new Set(docs.filter((d) => d.stage === stage).map((d) => d.file))].sort());
  return out;
}
