/**
 * Every output path of a synth, in one place. Each function names one folder or file of the
 * output (relative to the output root, POSIX separators) and the module that renders it. A file
 * that points at another file (a Podman secrets script, a compose `secrets:` entry, an install
 * script) gets the relative path from {@link relativeFrom}, computed with `path.posix.relative`,
 * never counted by hand.
 *
 * Which module renders each of these paths: `output-map.ts` (the README's Layout table).
 */
import { posix } from "node:path";

/** The folder every secret file lives under; nothing else goes there. */
export const SECRETS = "secrets";

/** Per-host bundles: `hosts/<host>/…`, everything one machine needs, gathered from the tree above. */
export const HOSTS = "hosts";

/** The folders of a bundle: units and the configs they mount, user units, secrets, other files. */
export const BUNDLE_DIRS = { units: "units", userUnits: "systemd", secrets: "secrets", files: "files" } as const;

/** `hosts/<host>`: one machine's bundle. */
export function bundleDir(host: string): string {
  return `${HOSTS}/${host}`;
}

/** The bring-up plan at the output root. */
export const PLAN_FILE = "PLAN.md";

/**
 * The C4 deployment view of the grid: Mermaid, Structurizr DSL and Graphviz DOT (diagram/).
 * No SVG: synth stays byte-deterministic without Graphviz; `tlos diagram --format svg` renders one.
 */
export const DIAGRAM_FILES = { mermaid: "diagram/deployment.mmd", structurizr: "diagram/deployment.dsl", dot: "diagram/deployment.dot" } as const;

const BUNDLE_SECRET = new RegExp(`^${HOSTS}/[^/]+/${BUNDLE_DIRS.secrets}/`);

/** True for a path that holds secret material: the operator's `secrets/` or a bundle's `secrets/`. */
export function isSecretPath(path: string): boolean {
  return path.startsWith(`${SECRETS}/`) || BUNDLE_SECRET.test(path);
}

/** `secrets/<path>`: where the secret twin of an output path lives. */
export function secretPath(path: string): string {
  return `${SECRETS}/${path}`;
}

/** Relative path from folder `fromDir` to `to`, both relative to the output root. */
export function relativeFrom(fromDir: string, to: string): string {
  return posix.relative(fromDir, to);
}

/** `<lattice>/`: everything of one lattice. */
export const latticeDir = (lattice: string): string => lattice;

/** Lattice-wide material: the account JWT, the v1 JetStream plan, the TLS key folder. */
export const latticeFiles = (lattice: string) => ({
  accountJwt: `${lattice}/account.jwt`,
  jetstreamPlan: `${lattice}/jetstream.json`,
  /** What `tlos status` checks the running lattice against (constructs/lattice-expect.ts). */
  expected: `${lattice}/expected.json`,
  tlsDir: secretPath(`${lattice}/tls`),
  sysCreds: secretPath(`${lattice}/sys.creds`),
  adminCreds: secretPath(`${lattice}/admin.creds`),
  issuerSeed: secretPath(`${lattice}/issuer.nk`),
  wadmCreds: secretPath(`${lattice}/wadm.creds`),
  policyCreds: secretPath(`${lattice}/policy.creds`),
  /** v1 compose: a host's seed as an env file (compose cannot put a secret into an env var). */
  composeHostEnv: (node: string) => secretPath(`${lattice}/compose/${node}-host.env`),
});

/**
 * The seed-derived PKI (tls/pki.ts): certificates are public, beside the lattice; the CA key and
 * the hub keys are secret and stay on the operator's machine (each hub's bundle gets its own key).
 */
export const tlsFiles = (lattice: string) => {
  const keys = latticeFiles(lattice).tlsDir;
  return { ca: `${lattice}/tls/ca.pem`, caKey: `${keys}/ca-key.pem`, cert: (hub: string) => `${lattice}/tls/${hub}.pem`, key: (hub: string) => `${keys}/${hub}-key.pem` };
};

/** `<lattice>/hubs/<hub>/quadlet/` and `systemd/`: a hub's units (quadlet/nats-hub.ts). */
export const hubDirs = (lattice: string, hub: string) => ({
  quadlet: `${lattice}/hubs/${hub}/quadlet`,
  systemd: `${lattice}/hubs/${hub}/systemd`,
});

/** `<lattice>/nodes/<node>/quadlet/`: a Podman node's units (quadlet/tlos-node.ts) and its secrets. */
export const nodeDirs = (lattice: string, node: string) => ({
  quadlet: `${lattice}/nodes/${node}/quadlet`,
  leafCreds: secretPath(`${lattice}/nodes/${node}/leaf.creds`),
  hostSeed: secretPath(`${lattice}/nodes/${node}/host.seed`),
});

/** `<lattice>/compose/`: the local lattice (compose/local-lattice.ts). */
export const composeDir = (lattice: string): string => `${lattice}/compose`;

/** `<lattice>/backup/<id>/`: a backup's units, compose file and restore script (backup/). */
export const backupDirs = (lattice: string, id: string) => ({
  dir: `${lattice}/backup/${id}`,
  quadlet: `${lattice}/backup/${id}/quadlet`,
  systemd: `${lattice}/backup/${id}/systemd`,
  secrets: secretPath(`${lattice}/backup/${id}`),
});

/** `<lattice>/registry/<id>/`: a Registry's configs, units and `registry.json` (registry/); its identities under secrets/. */
export const registryDirs = (lattice: string, id: string) => ({
  dir: `${lattice}/registry/${id}`,
  quadlet: `${lattice}/registry/${id}/quadlet`,
  info: `${lattice}/registry/${id}/registry.json`,
  secrets: secretPath(`${lattice}/registry/${id}`),
});

/** `<lattice>/k8s/<cluster>/`: a SpinKubeCluster's manifests in apply order (kubernetes/stages.ts). */
export const clusterDirs = (lattice: string, cluster: string) => ({
  dir: `${lattice}/k8s/${cluster}`,
  secrets: secretPath(`${lattice}/k8s/${cluster}`),
});

/** `<lattice>/akash/<id>/deploy.yaml`: an Akash deployment's SDL, reviewable and (under secrets/) deployable. */
export const akashDeployFile = (lattice: string, id: string): string => `${lattice}/akash/${id}/deploy.yaml`;

/** `<lattice>/apps/<app>/`: an App's wadm manifest, workload and CI workflows. */
export const appDir = (lattice: string, app: string): string => `${lattice}/apps/${app}`;

/** `<lattice>/ai/<id>-routing.json`: an AiGateway's routing table. */
export const aiRoutingFile = (lattice: string, id: string): string => `${lattice}/ai/${id}-routing.json`;

/** `secrets/<lattice>/ai/<id>-router.{creds,xkey}`: the AI router's NATS creds and xkey seed. */
export const aiRouterSecrets = (lattice: string, id: string): { readonly creds: string; readonly xkey: string } => ({
  creds: secretPath(`${lattice}/ai/${id}-router.creds`),
  xkey: secretPath(`${lattice}/ai/${id}-router.xkey`),
});

/** `turn/<id>/`: a TurnRelay's configs and units. */
export const turnDir = (id: string): string => `turn/${id}`;

/** `cloudflare/<name>.json`: reviewable JSON of a construct's Cloudflare resources. */
export const cloudflareFile = (name: string): string => `cloudflare/${name}.json`;
