/**
 * The stack configuration of a grid program: which targets `pulumi up` deploys, the Akash
 * deposit and endpoints, the Kubernetes contexts of each cluster. Everything that changes the
 * resource tree comes from `tlos:*` stack config (never from environment variables), so the
 * preview of a CI job and `pulumi up` on a laptop see the same tree for the same stack.
 * Secrets (`tlos:masterSeed`, `tlos:akashMnemonic`, `tlos:kubeconfig`) are read as secrets.
 * @see https://www.pulumi.com/docs/iac/concepts/config/
 */
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../core/errors.js";

/** The targets `pulumi up` can deploy; each one is off unless named in `tlos:deploy`. */
export const DEPLOY_TARGETS = ["kubernetes", "cloudflare", "akash", "hosts"] as const;
export type DeployTarget = (typeof DEPLOY_TARGETS)[number];

/** `tlos:akash`: how Akash deployments are paid and reached (the mnemonic is `tlos:akashMnemonic`). */
export interface AkashStackConfig {
  /** Escrow deposit of each deployment, e.g. `{ denom: "uact", amount: "5000000" }`. */
  readonly deposit: { readonly denom: string; readonly amount: string };
  /** @default "https://rpc.akashnet.net:443" */
  readonly rpcUrl?: string;
  /** @default "https://grpc.akashnet.net:443" */
  readonly grpcUrl?: string;
  /** Providers allowed to win a lease. @default any */
  readonly allowedProviders?: readonly string[];
  /** @default 180000 */
  readonly bidTimeoutMs?: number;
  /** How long a deployment may take to report every service ready (model downloads). @default 3600000 */
  readonly readyTimeoutMs?: number;
}

/** `tlos:kubernetes`: per cluster (its path below the grid, e.g. `lattice/k8s`), the kubeconfig context. */
export type KubernetesStackConfig = Readonly<Record<string, { readonly context?: string }>>;

/**
 * `tlos:hosts`: per machine of the grid (a `hosts/<host>/` bundle), how `pulumi up` reaches it:
 * over SSH (`host`, `user`, `port`, `hostKey`; the key is the secret `tlos:sshPrivateKey`) or
 * `local` (the machine running `pulumi up`). `dir`: the bundle's folder, relative to the login's home.
 */
export type HostConnectionConfig =
  | { readonly connection: "ssh"; readonly host: string; readonly user?: string; readonly port?: number; readonly hostKey?: string; readonly dir?: string }
  | { readonly connection: "local"; readonly dir?: string };

/** `tlos:lattices`: per lattice id, the hub URL `tlos claims push` sends a changed account JWT to. */
export type LatticeStackConfig = Readonly<Record<string, { readonly server: string; readonly tlsCa?: string }>>;

/** The grid's stack configuration, read once. */
export interface GridStackConfig {
  readonly deploy: ReadonlySet<DeployTarget>;
  readonly akash?: AkashStackConfig;
  readonly kubernetes: KubernetesStackConfig;
  /** `tlos:kubeconfig` (secret): the kubeconfig holding every context of `tlos:kubernetes`. */
  readonly kubeconfig?: pulumi.Output<string>;
  readonly hosts: Readonly<Record<string, HostConnectionConfig>>;
  /** `tlos:sshPrivateKey` (secret): the key SSH host connections log in with. */
  readonly sshPrivateKey?: pulumi.Output<string>;
  readonly lattices: LatticeStackConfig;
  /** `tlos:protect` (default true): protect stateful resources (R2 bucket, CRDs, namespaces). */
  readonly protect: boolean;
}

/** Reads the `tlos:*` keys; returns the config and the problems found (all at once). */
export function readStackConfig(gridPath: string): { config: GridStackConfig; problems: Problem[] } {
  const c = new pulumi.Config("tlos");
  const problems: Problem[] = [];
  const deploy = new Set<DeployTarget>();
  const raw = c.getObject<unknown>("deploy") ?? [];
  if (!Array.isArray(raw)) problems.push({ path: gridPath, field: "tlos:deploy", message: `${JSON.stringify(raw)} is not a list; allowed: a list of ${DEPLOY_TARGETS.join(", ")}` });
  else {
    for (const t of raw) {
      if ((DEPLOY_TARGETS as readonly unknown[]).includes(t)) deploy.add(t as DeployTarget);
      else problems.push({ path: gridPath, field: "tlos:deploy", message: `${JSON.stringify(t)} is not a target; allowed: ${DEPLOY_TARGETS.join(", ")}` });
    }
  }
  const akash = c.getObject<AkashStackConfig>("akash");
  if (deploy.has("akash")) {
    const d = akash?.deposit;
    if (!d || typeof d.denom !== "string" || typeof d.amount !== "string" || !/^[0-9]+$/.test(d.amount)) {
      problems.push({ path: gridPath, field: "tlos:akash.deposit", message: `${JSON.stringify(d)} is not a deposit; allowed: { denom: "uact", amount: "<integer string>" }` });
    }
  }
  const kubernetes = c.getObject<KubernetesStackConfig>("kubernetes") ?? {};
  if (typeof kubernetes !== "object" || Array.isArray(kubernetes)) problems.push({ path: gridPath, field: "tlos:kubernetes", message: `${JSON.stringify(kubernetes)} is not an object; allowed: { "<cluster path>": { context?: string } }` });
  const kubeconfig = c.getSecret("kubeconfig");
  const hosts = c.getObject<Record<string, HostConnectionConfig>>("hosts") ?? {};
  for (const [h, v] of Object.entries(hosts)) {
    const conn = (v as { connection?: unknown }).connection;
    if (conn !== "ssh" && conn !== "local") problems.push({ path: gridPath, field: `tlos:hosts.${h}.connection`, message: `${JSON.stringify(conn)} is not a connection; allowed: "ssh" (with host, user, port, hostKey) or "local"` });
    else if (conn === "ssh" && typeof (v as { host?: unknown }).host !== "string") problems.push({ path: gridPath, field: `tlos:hosts.${h}.host`, message: `${JSON.stringify((v as { host?: unknown }).host)} is not an address; allowed: the name or IP the machine is reached at over SSH` });
    const dir = (v as { dir?: unknown }).dir;
    if (dir !== undefined && (typeof dir !== "string" || !/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(dir) || dir.split("/").includes(".."))) problems.push({ path: gridPath, field: `tlos:hosts.${h}.dir`, message: `${JSON.stringify(dir)} is not a folder below the home; allowed: a relative path of letters, digits, ".", "_", "-"` });
  }
  const sshPrivateKey = c.getSecret("sshPrivateKey");
  const lattices = c.getObject<LatticeStackConfig>("lattices") ?? {};
  const protect = c.getBoolean("protect") ?? true;
  return { config: { deploy, ...(akash ? { akash } : {}), kubernetes, ...(kubeconfig ? { kubeconfig } : {}), hosts, ...(sshPrivateKey ? { sshPrivateKey } : {}), lattices, protect }, problems };
}
