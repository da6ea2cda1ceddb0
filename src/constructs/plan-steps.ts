/** The operator's bring-up steps of the constructs that are not a machine bundle. */
import { PHASE, type PlanStep } from "../core/host-items.js";

/** A SpinKube cluster: its install script, against the cluster kubectl points at. */
export function kubernetesStep(path: string, dir: string, nodeSelector: string, labelNodes: string | undefined, wasmcloudNamespace: string | undefined): PlanStep {
  return {
    phase: PHASE.kubernetes,
    machine: "operator",
    title: `Kubernetes cluster ${path}`,
    commands: [
      "kubectl config current-context   # make sure it is the cluster you mean",
      ...(labelNodes ? [] : [`kubectl label node <node> ${nodeSelector.split(",").join(" ")}   # the nodes that run Spin apps (02-install.sh labels none)`]),
      `bash ${dir}/02-install.sh`,
    ],
    check: `kubectl get pods -A shows cert-manager, runtime-class-manager, spin-operator and the apps Running${wasmcloudNamespace ? `; kubectl -n ${wasmcloudNamespace} logs deploy/nats shows the leaf connected, and a hub's /leafz lists it` : ""}`,
  };
}

/** An Akash deployment (a node or a GPU pool): through the Pulumi adapter, or the deployable SDL. */
export function akashStep(path: string, id: string, sdl: string): PlanStep {
  return {
    phase: PHASE.akash,
    machine: "operator",
    title: `Akash deployment ${path}`,
    commands: [
      "pulumi up   # TlosGrid with the akash option deploys, bids, leases and sends the manifest",
      `# or, by hand: deploy ${sdl} (it holds credentials) with Akash Console or provider-services`,
    ],
    check: `the lease's services are up (pulumi stack output, or the provider's lease status) and a hub's /leafz lists ${id}'s leaf`,
  };
}

/** Cloudflare resources (R2 bucket and token, TURN key, AI Gateway): the Pulumi adapter creates them. */
export function cloudflareStep(path: string, what: string, then: readonly string[] = []): PlanStep {
  return {
    phase: PHASE.cloudflare,
    machine: "operator",
    title: `Cloudflare ${what} ${path}`,
    commands: ["pulumi up   # TlosGrid with the cloudflare option", ...then],
    check: `pulumi stack output shows ${path}'s resources; the reviewable intent is in cloudflare/*.json`,
  };
}

/** The first backup run, once the bucket's S3 keys are in the hub's bundle (or the cluster's Secret). */
export function backupStep(id: string, runOn: "hub" | "kubernetes", where: string, extra: { k8sDir?: string; namespace?: string }): PlanStep {
  if (runOn === "kubernetes") {
    return {
      phase: PHASE.backup,
      machine: "operator",
      title: `backup ${id} on Kubernetes`,
      commands: [
        `kubectl apply -f secrets/${extra.k8sDir}/08-backup-${id}-secret.yaml`,
        `kubectl -n ${extra.namespace} create secret generic ${id}-backup-s3 --from-file=s3-access-key-id=<file> --from-file=s3-secret-access-key=<file>   # the bucket token's S3 keys (pulumi stack output --show-secrets)`,
        `kubectl apply -f ${extra.k8sDir}/08-backup-${id}.yaml`,
        `kubectl -n ${extra.namespace} create job --from=cronjob/${id}-backup ${id}-backup-first`,
      ],
      check: `kubectl -n ${extra.namespace} logs job/${id}-backup-first ends without error; restic snapshots lists a jetstream snapshot`,
    };
  }
  return {
    phase: PHASE.backup,
    machine: where,
    title: `backup ${id}: S3 keys in place, a first run`,
    commands: [
      `# on the operator's machine: the bucket token's S3 keys (secret Pulumi outputs) into ${where}'s bundle`,
      `pulumi stack output --show-secrets <access key id output> > hosts/${where}/secrets/${id}-s3-access-key-id`,
      `pulumi stack output --show-secrets <secret access key output> > hosts/${where}/secrets/${id}-s3-secret-access-key`,
      `scp hosts/${where}/secrets/${id}-s3-* ${where}:tlos-bundle/secrets/`,
      `# on ${where}: tlos must be on PATH (npm install -g @tlos/grid) for the snapshot step`,
      "bash ~/tlos-bundle/install.sh",
      `systemctl --user start ${id}-backup.service`,
    ],
    check: `journalctl --user -u ${id}-backup.service shows tlos "snapshotted N stream(s)" and restic finishing; restic snapshots (with the bucket's keys) lists a jetstream snapshot`,
  };
}
