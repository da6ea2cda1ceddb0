/**
 * Output path → renderer: for every file a synth writes, the module that builds its document, so
 * a newcomer finds the renderer of any artifact from its path in one step. The README's "Layout"
 * table is rendered from this list ({@link outputMapMarkdown}) and a test holds both to every file
 * the examples synthesize. The paths themselves come from `layout.ts`.
 *
 * Path patterns: `<name>` stands for one id or name (no `/`), `*` for any characters in one
 * segment; a pattern ending in `/` covers everything below it. The first row that matches wins.
 */

/** One row of the map. */
export interface OutputRow {
  /** Path pattern, relative to the output root. */
  readonly path: string;
  /** The module(s) under src/ that build the document; the first one names its shape. */
  readonly renderer: readonly string[];
  /** What the file is, in a few words. */
  readonly what: string;
}

/** The first path segment of every secret file; `secrets/<path>` is the deployable twin of `<path>`. */
const S = "secrets";

export const OUTPUT_MAP: readonly OutputRow[] = [
  { path: "manifest.json", renderer: ["synth/manifest.ts"], what: "every file with its sha256, kind, target and construct" },
  { path: "PLAN.md", renderer: ["synth/plan.ts"], what: "the bring-up plan, in order" },
  { path: "diagram/deployment.mmd", renderer: ["diagram/mermaid.ts", "diagram/build.ts"], what: "the C4 deployment view, Mermaid C4Deployment" },
  { path: "diagram/deployment.dsl", renderer: ["diagram/structurizr.ts", "diagram/build.ts"], what: "the C4 deployment view, Structurizr DSL" },
  { path: "diagram/deployment.dot", renderer: ["diagram/dot.ts", "diagram/build.ts"], what: "the C4 deployment view, Graphviz DOT (dot -Tsvg)" },
  { path: "hosts/<host>/install.sh", renderer: ["synth/install-script.ts"], what: "idempotent installer of one machine's bundle" },
  { path: "hosts/<host>/", renderer: ["synth/bundles.ts"], what: "one machine's units, user units, files and only its own secrets (copies of the files below)" },
  { path: "cloudflare/r2-<id>.json", renderer: ["backup/cloudflare.ts"], what: "R2 bucket, lifecycle and token scope (reviewable)" },
  { path: "cloudflare/ai-gateway-<id>.json", renderer: ["constructs/ai-gateway.ts"], what: "the cloudflare.AiGateway args" },
  { path: "cloudflare/turn-<id>.json", renderer: ["constructs/turn-relay.ts"], what: "the Realtime TURN key resource" },
  { path: "turn/<id>/turnserver.conf", renderer: ["turn/coturn.ts"], what: "coturn config (the secret twin holds the shared secret)" },
  { path: "turn/<id>/ice-config.json", renderer: ["turn/cloudflare.ts", "constructs/turn-relay.ts"], what: "how hosts mint ICE servers" },
  { path: "turn/<id>/quadlet/", renderer: ["constructs/turn-relay.ts", "quadlet/render.ts"], what: "coturn as a rootless Podman unit" },
  { path: "turn/<id>/k8s/", renderer: ["turn/targets.ts"], what: "coturn on Kubernetes (host networking)" },
  { path: "turn/<id>/akash/deploy.yaml", renderer: ["turn/targets.ts", "akash/sdl.ts"], what: "coturn on Akash" },
  { path: `${S}/turn/<id>/shared-secret`, renderer: ["constructs/turn-relay.ts"], what: "coturn's REST shared secret" },
  { path: "<lattice>/account.jwt", renderer: ["nats/auth.ts", "nats/jwt.ts"], what: "the lattice account JWT (tlos claims push)" },
  { path: "<lattice>/expected.json", renderer: ["constructs/lattice-expect.ts", "nats/expectation.ts"], what: "what tlos status checks the running lattice against" },
  { path: "<lattice>/jetstream.json", renderer: ["wasmcloud/jetstream-plan.ts"], what: "v1: wadm's streams and KV buckets (tlos lattice-init)" },
  { path: "<lattice>/tls/", renderer: ["tls/pki.ts"], what: "the seed-derived CA and hub certificates" },
  { path: "<lattice>/hubs/<hub>/quadlet/*-nats.conf", renderer: ["nats/config.ts", "core/natsconf.ts"], what: "a hub's nats-server config" },
  { path: "<lattice>/hubs/<hub>/quadlet/*-operator.jwt", renderer: ["nats/auth.ts"], what: "the operator JWT the hub trusts" },
  { path: "<lattice>/hubs/<hub>/quadlet/", renderer: ["quadlet/nats-hub.ts", "quadlet/render.ts"], what: "a hub's pod, containers and volume" },
  { path: "<lattice>/hubs/<hub>/systemd/", renderer: ["systemd/policy-service.ts"], what: "v1: the policy responder's user unit" },
  { path: "<lattice>/nodes/<node>/quadlet/*-nats.conf", renderer: ["nats/config.ts", "core/natsconf.ts"], what: "a node's NATS leaf config" },
  { path: "<lattice>/nodes/<node>/quadlet/", renderer: ["quadlet/tlos-node.ts", "quadlet/render.ts"], what: "a Podman node's pod, leaf, host and volume" },
  { path: "<lattice>/compose/compose.yaml", renderer: ["compose/local-lattice.ts"], what: "the one-command local lattice" },
  { path: "<lattice>/compose/", renderer: ["constructs/local-lattice.ts", "nats/config.ts"], what: "the local lattice's hub and leaf configs" },
  { path: "<lattice>/registry/<id>/registry.json", renderer: ["constructs/registry-hosts.ts"], what: "the registry's endpoints and identities (no passwords)" },
  { path: "<lattice>/registry/<id>/tls-cert.pem", renderer: ["tls/pki.ts"], what: "the registry's certificate from the lattice CA" },
  { path: "<lattice>/registry/<id>/*.yml", renderer: ["registry/distribution.ts"], what: "the pull and push instances' distribution configs" },
  { path: "<lattice>/registry/<id>/quadlet/", renderer: ["registry/quadlet.ts", "quadlet/render.ts"], what: "the registry pod, its two instances, volume and GC job" },
  { path: "<lattice>/registry/<id>/systemd/", renderer: ["registry/quadlet.ts"], what: "the weekly garbage-collection timer" },
  { path: "<lattice>/backup/<id>/compose.backup.yaml", renderer: ["backup/compose.ts"], what: "the backup job for the local lattice" },
  { path: "<lattice>/backup/<id>/restore.sh", renderer: ["backup/restic.ts"], what: "restore steps" },
  { path: "<lattice>/backup/<id>/", renderer: ["backup/quadlet.ts"], what: "the backup's Quadlet container and timer" },
  { path: "<lattice>/k8s/<cluster>/02-install.sh", renderer: ["constructs/spinkube-install.ts", "kubernetes/stages.ts"], what: "applies every stage in the one order" },
  { path: "<lattice>/k8s/<cluster>/00-namespaces-registry-<id>.yaml", renderer: ["constructs/registry-k8s.ts"], what: "the namespace of a registry placed in the cluster" },
  { path: "<lattice>/k8s/<cluster>/00-namespaces.yaml", renderer: ["constructs/spinkube-cluster.ts"], what: "namespaces (admission-labelled)" },
  { path: "<lattice>/k8s/<cluster>/01-crds.yaml", renderer: ["constructs/spinkube-crds.ts"], what: "the SpinKube CRDs (vendored)" },
  { path: "<lattice>/k8s/<cluster>/03-runtime.yaml", renderer: ["spinkube/runtime.ts"], what: "Shim or RuntimeClass" },
  { path: "<lattice>/k8s/<cluster>/04-admission.yaml", renderer: ["spinkube/admission.ts"], what: "ClusterImagePolicy: only the grid's signed images" },
  { path: "<lattice>/k8s/<cluster>/04b-registry.yaml", renderer: ["constructs/spinkube-cluster.ts"], what: "the lattice registry's CA for the wasmCloud host groups" },
  { path: "<lattice>/k8s/<cluster>/04b-registry-<id>.yaml", renderer: ["registry/kubernetes.ts", "constructs/registry-k8s.ts"], what: "a registry placed in the cluster: its two instances, storage, Services, NetworkPolicies, GC CronJob" },
  { path: "<lattice>/k8s/<cluster>/05-spin-apps.yaml", renderer: ["spinkube/spin.ts"], what: "executors, SpinApps, autoscalers" },
  { path: "<lattice>/k8s/<cluster>/06-wasmcloud.yaml", renderer: ["spinkube/wasmcloud.ts"], what: "the in-cluster NATS leaf" },
  { path: "<lattice>/k8s/<cluster>/07-workloads.yaml", renderer: ["wasmcloud/workload.ts"], what: "the lattice's v2 WorkloadDeployments" },
  { path: "<lattice>/k8s/<cluster>/08-backup-<id>.yaml", renderer: ["backup/kubernetes.ts"], what: "a backup's CronJob" },
  { path: "<lattice>/k8s/<cluster>/wasmcloud-values.yaml", renderer: ["spinkube/wasmcloud.ts"], what: "runtime-operator chart values" },
  { path: "<lattice>/k8s/<cluster>/node-setup/certs.d/", renderer: ["registry/kubernetes.ts"], what: "containerd hosts.toml and CA for the grid registry (copy to /etc/containerd/certs.d/)" },
  { path: "<lattice>/k8s/<cluster>/node-setup/", renderer: ["spinkube/runtime.ts"], what: "containerd fragments (without runtime-class-manager)" },
  { path: "<lattice>/akash/<id>/deploy.yaml", renderer: ["akash/lattice-deployment.ts", "akash/sdl.ts"], what: "an Akash node's or GPU pool's SDL (reviewable; the secret twin deploys)" },
  { path: "<lattice>/apps/<app>/wadm.yaml", renderer: ["wasmcloud/oam.ts"], what: "v1: the wadm application" },
  { path: "<lattice>/apps/<app>/workload-deployment.yaml", renderer: ["wasmcloud/workload.ts"], what: "v2: the WorkloadDeployment" },
  { path: "<lattice>/apps/<app>/ci/", renderer: ["wasmcloud/pipeline.ts"], what: "a component's build-sign-push workflow" },
  { path: "<lattice>/ai/<id>-routing.json", renderer: ["ai/routing.ts"], what: "system:ai routing: GPU pools first, then hosted fallbacks" },
  { path: `${S}/.gitignore`, renderer: ["cli/synth.ts"], what: "keeps secrets/ out of git" },
  { path: `${S}/<lattice>/tls/`, renderer: ["tls/pki.ts"], what: "the CA key and hub keys" },
  { path: `${S}/<lattice>/issuer.nk`, renderer: ["nats/auth.ts"], what: "the grid's component signing key" },
  { path: `${S}/<lattice>/*.creds`, renderer: ["nats/auth.ts", "nats/roles.ts"], what: "operator-side creds (system, admin, v1 wadm and policy)" },
  { path: `${S}/<lattice>/nodes/<node>/`, renderer: ["nats/auth.ts"], what: "a node's leaf creds and host seed" },
  { path: `${S}/<lattice>/compose/*-host.env`, renderer: ["constructs/local-lattice.ts"], what: "v1 local lattice: a host's seed" },
  { path: `${S}/<lattice>/ai/`, renderer: ["ai/identities.ts"], what: "the AI router's creds and xkey" },
  { path: `${S}/<lattice>/registry/<id>/`, renderer: ["registry/htpasswd.ts", "tls/pki.ts"], what: "the bcrypt htpasswd files, the push password and the TLS key" },
  { path: `${S}/<lattice>/backup/<id>/`, renderer: ["constructs/r2-backup.ts", "nats/auth.ts"], what: "the restic password and the backup's creds" },
  { path: `${S}/<lattice>/k8s/<cluster>/leaf-creds.yaml`, renderer: ["spinkube/wasmcloud.ts"], what: "the cluster leaf's creds Secret" },
  { path: `${S}/<lattice>/k8s/<cluster>/04b-registry-*-secrets.yaml`, renderer: ["registry/kubernetes.ts"], what: "the registry's pull Secrets (the cluster's identity only) and, placed here, its htpasswd, TLS and upload Secrets" },
  { path: `${S}/<lattice>/k8s/<cluster>/08-backup-*-secret.yaml`, renderer: ["constructs/r2-backup.ts"], what: "the backup's restic password Secret" },
  { path: `${S}/<path>`, renderer: ["the renderer of the same path without `secrets/`"], what: "its deployable twin (with credentials), mode 0600" },
];

/** A row's path pattern as a regular expression over output paths. */
export function outputPattern(path: string): RegExp {
  const dir = path.endsWith("/");
  const body = path
    .split(/(<[a-z]+>|\*)/)
    .map((part) => (part === "*" ? "[^/]*" : /^<[a-z]+>$/.test(part) ? "[^/]+" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  return new RegExp(`^${body}${dir ? ".+" : ""}$`);
}

/**
 * The row that names the renderer of output file `path`: the first match; a secret file without a
 * row of its own is the twin of its public path. Undefined when no row covers it.
 */
export function rendererOf(path: string): OutputRow | undefined {
  const secret = path.startsWith(`${S}/`);
  const row = OUTPUT_MAP.find((r) => r.path !== `${S}/<path>` && r.path.startsWith(`${S}/`) === secret && outputPattern(r.path).test(path));
  if (row || !secret) return row;
  return rendererOf(path.slice(S.length + 1));
}

/** The README's "output path → renderer" table. */
export function outputMapMarkdown(): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const lines = ["| Output path | Renderer (under `src/`) | What it is |", "| --- | --- | --- |"];
  for (const r of OUTPUT_MAP) lines.push(`| \`${cell(r.path)}\` | ${r.renderer.map((f) => (f.endsWith(".ts") ? `\`${f}\`` : f)).join(", ")} | ${cell(r.what)} |`);
  return `${lines.join("\n")}\n`;
}
