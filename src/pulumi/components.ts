/**
 * The Pulumi adapter: the synthesized grid as a tree of ComponentResources that mirrors the
 * construct tree, so `pulumi preview` shows the same paths `tlos synth` writes. Each component
 * carries its rendered artifacts as inputs and outputs (so `pulumi preview --diff` names the file
 * that changes); secret files are `pulumi.secret` values and never reach state in plain text.
 * Which targets deploy comes from stack config (config.ts), never from the environment.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/components/
 */
import * as pulumi from "@pulumi/pulumi";
import type { IConstruct } from "constructs";
import { Grid } from "../synth/grid.js";
import { synthesize } from "../synth/synthesize.js";
import { formatProblem, type Problem } from "../core/errors.js";
import { MasterSeed } from "../core/seed.js";
import type { SynthResult } from "../synth/artifact.js";
import { buildManifest, renderManifest } from "../synth/manifest.js";
import type { AkashDeployment, AkashDeploymentArgs } from "./akash/deployment.js";
import { TlosNode } from "../constructs/tlos-node.js";
import { kindOf, type ConstructKind } from "../core/construct.js";
import { readStackConfig, type DeployTarget } from "./config.js";
import { masterSeedOutput, masterSeedProblems } from "./seed.js";
import { nameCollisions, resourceName } from "./names.js";
import { TargetWiring, type CloudflareResources } from "./targets.js";
import type { AiGatewayResources, R2BackupResources, TurnResources } from "./cloudflare/resources.js";
import type * as K8s from "@pulumi/kubernetes";
import { bundleHosts, claimsPushes, hostProblems, hostResources, type HostResources } from "./hosts.js";
import { Lattice } from "../constructs/lattice.js";
import { teamExports, type TeamExport } from "./team.js";

/** A fixed seed for the structure pass that lists the grid's machines (which do not depend on the seed). */
const STRUCTURE_SEED = "5f1c0a3e9b7d2468ace13579bdf02468a1b2c3d4e5f60718293a4b5c6d7e8f90";

/** Args of {@link TlosGrid}. Each target option overrides its stack config; without one, `tlos:*` config decides. */
export interface TlosGridArgs {
  /** The grid definition: the same object `tlos synth` loads from a program. */
  readonly grid: Grid;
  /**
   * The master seed (hex or base64, ≥ 32 bytes).
   * @default the secret stack config `tlos:masterSeed` (`pulumi config set --secret tlos:masterSeed $(openssl rand -hex 32)`)
   */
  readonly masterSeed?: pulumi.Input<string>;
  /**
   * The targets to deploy.
   * @default the stack config `tlos:deploy` (a list of `kubernetes`, `cloudflare`, `akash`, `hosts`), else none
   */
  readonly deploy?: readonly DeployTarget[];
  /**
   * Akash deployments (GPU pools, Akash nodes) through `@akashnetwork/chain-sdk`; implies `akash` in `deploy`.
   * @default the stack config `tlos:akash` (deposit, endpoints, timeouts); the wallet is `tlos:akashMnemonic`
   */
  readonly akash?: Omit<AkashDeploymentArgs, "sdl">;
  /**
   * `SpinKubeCluster`s through `@pulumi/kubernetes` (a peer dependency), each with the provider
   * given here under its full construct path; implies `kubernetes` in `deploy`. A key that is not
   * a cluster's path is an error.
   * @default one provider per cluster from `tlos:kubeconfig` (secret) and the cluster's `tlos:kubernetes` context
   */
  readonly kubernetes?: { readonly providers?: Readonly<Record<string, K8s.Provider>> };
  /**
   * Cloudflare resources (R2 backups, Realtime TURN keys, AI Gateways) through `@pulumi/cloudflare`
   * 6.x; implies `cloudflare` in `deploy`. Pass the provider in `opts.providers`: it reaches every
   * resource and the permission-group lookup.
   * @default the default provider (`cloudflare:apiToken` stack config)
   */
  readonly cloudflare?: Record<string, never>;
  /**
   * Former paths of renamed constructs, new full path → old full path: the component gets an
   * alias to its old name, and its children (buckets, namespaces, deployments) follow it.
   * @default no renames
   */
  readonly renamed?: Readonly<Record<string, string>>;
}

/** Files of one construct: path (relative to a synth output folder) → content. */
export type Files = Record<string, string>;

/** Inputs of a construct's component: its files, so a preview diff names the file that changes. */
export interface TlosConstructInputs {
  /** The construct path, e.g. `tlos/lattice/home-1`. */
  readonly path: string;
  /** Non-secret files the construct renders. */
  readonly files: pulumi.Input<Files>;
  /** Secret files, as a secret input (state keeps them encrypted). */
  readonly secretFiles: pulumi.Input<Files>;
}

/** One construct of the grid as a component: its non-secret and secret files. */
export class TlosConstructResource extends pulumi.ComponentResource<TlosConstructInputs> {
  /** Non-secret files this construct renders (units, configs, scripts, JWTs). */
  readonly files: pulumi.Output<Files>;
  /** Secret files (creds, seeds), as a secret output. */
  readonly secretFiles: pulumi.Output<Files>;

  constructor(type: string, name: string, args: TlosConstructInputs, opts?: pulumi.ComponentResourceOptions) {
    // the grid's own outputs are already plain and secret (see filesIn): wrapping them again cost
    // four more Outputs per construct, each a promise chain with a captured stack
    const files = ready.has(args.files) ? (args.files as pulumi.Output<Files>) : pulumi.unsecret(pulumi.output(args.files));
    const secretFiles = ready.has(args.secretFiles) ? (args.secretFiles as pulumi.Output<Files>) : pulumi.secret(pulumi.output(args.secretFiles));
    super(type, name, { path: args.path, files, secretFiles }, opts);
    this.files = files;
    this.secretFiles = secretFiles;
    this.registerOutputs({ files: this.files, secretFiles: this.secretFiles });
  }

  /** The files of the construct at `path` in a synth result. */
  static filesOf(result: pulumi.Output<SynthResult>, path: string): { files: pulumi.Output<Files>; secretFiles: pulumi.Output<Files> } {
    return filesIn(groupByConstruct(result), path);
  }
}

/** A construct's files by its path, plain and secret (a function: Pulumi copies a Map inside an Output into a plain object). */
type Grouped = (path: string) => { readonly plain: Files; readonly secret: Files } | undefined;

/**
 * Outputs {@link filesIn} made, already what {@link TlosConstructResource} makes of its inputs
 * (plain files unsecret, secret files secret): taken as they are.
 */
const ready = new WeakSet<object>();

/**
 * A synth result's files by construct path, grouped in one pass over the files: once as a plain
 * Output (for the non-secret files) and once as a secret one, so each construct's two maps are
 * one `apply` each and inherit their secrecy from it.
 */
function groupByConstruct(result: pulumi.Output<SynthResult>): { plain: pulumi.Output<Grouped>; secret: pulumi.Output<Grouped> } {
  const grouped = result.apply((r): Grouped => {
    const m = new Map<string, { plain: Files; secret: Files }>();
    for (const f of r.files) {
      let g = m.get(f.construct);
      if (!g) m.set(f.construct, (g = { plain: {}, secret: {} }));
      (f.secret ? g.secret : g.plain)[f.path] = f.content;
    }
    return (path) => m.get(path);
  });
  return { plain: pulumi.unsecret(grouped), secret: pulumi.secret(grouped) as pulumi.Output<Grouped> };
}

function filesIn(grouped: ReturnType<typeof groupByConstruct>, path: string): { files: pulumi.Output<Files>; secretFiles: pulumi.Output<Files> } {
  const files = grouped.plain.apply((of) => of(path)?.plain ?? {});
  const secretFiles = grouped.secret.apply((of) => of(path)?.secret ?? {});
  ready.add(files).add(secretFiles);
  return { files, secretFiles };
}

/**
 * The type token of each construct kind's component, `tlos:<module>:<Type>`: the one table the
 * adapter maps through. Kinds are symbol marks (not instanceof): a program may load another copy
 * of the library.
 */
export const TYPE_TOKENS: Readonly<Record<ConstructKind, string | ((c: IConstruct) => string)>> = {
  Lattice: "tlos:nats:Lattice",
  JoinedLattice: "tlos:nats:JoinedLattice",
  TlosNode: (c) => (TlosNode.isTlosNode(c) && c.target === "akash" ? "tlos:akash:TlosNode" : "tlos:podman:TlosNode"),
  AkashGpuPool: "tlos:akash:AkashGpuPool",
  SpinKubeCluster: "tlos:kubernetes:SpinKubeCluster",
  R2Backup: "tlos:cloudflare:R2Backup",
  TurnRelay: "tlos:cloudflare:TurnRelay",
  AiGateway: "tlos:cloudflare:AiGateway",
  App: "tlos:wasmcloud:App",
  Registry: "tlos:podman:Registry",
};

function typeToken(c: IConstruct): string | undefined {
  const kind = kindOf(c);
  const t = kind ? TYPE_TOKENS[kind] : undefined;
  return typeof t === "function" ? t(c) : t;
}

/** A whole grid: components for every lattice and node, and the manifest. */
export class TlosGrid extends pulumi.ComponentResource {
  /** `manifest.json` of the synth (paths, hashes, kinds; no secret content). */
  readonly manifest: pulumi.Output<string>;
  /** Components by construct path. */
  readonly components: Readonly<Record<string, TlosConstructResource>>;
  /** Kubernetes objects of each SpinKubeCluster (when `kubernetes` deploys), by construct path. */
  readonly kubernetesObjects: Readonly<Record<string, Readonly<Record<string, pulumi.Resource>>>>;
  /** Cloudflare resources by construct path (when `cloudflare` deploys). */
  readonly cloudflare: Readonly<Record<string, CloudflareResources>>;
  /** Each R2Backup's bucket, lifecycle, token and S3 keys, by construct path. */
  readonly r2Backups: Readonly<Record<string, R2BackupResources>>;
  /** Each Cloudflare TurnRelay's TURN app and key, by construct path. */
  readonly turnRelays: Readonly<Record<string, TurnResources>>;
  /** Each AiGateway's gateway, by construct path. */
  readonly aiGateways: Readonly<Record<string, AiGatewayResources>>;
  /** Per machine (`hosts/<host>/` bundle), the copy, secrets and install commands (when `hosts` deploys). */
  readonly hosts: Readonly<Record<string, HostResources>>;
  /** Per lattice id in `tlos:lattices`, the `tlos claims push` of its account JWT (when `hosts` deploys). */
  readonly claimsPushes: Readonly<Record<string, import("@pulumi/command").local.Command>>;
  /** Akash deployments by construct path (when `akash` deploys). */
  readonly deployments: Readonly<Record<string, AkashDeployment>>;
  /**
   * The deployable SDL of every GPU pool and Akash node, by construct path, as a secret: what a
   * platform stack exports so a team stack deploys the pool (`new AkashDeployment(name, { sdl })`,
   * its own wallet) through a `StackReference`, without the master seed. The SDL's leaf creds
   * hold only the construct's role.
   */
  readonly akashSdls: Readonly<Record<string, pulumi.Output<string>>>;
  /**
   * Per lattice path, per team its `teams` prop names: what the platform stack exports so the
   * team joins the lattice from its own stack (`lattice`, public; `signingKeySeeds`, secret: the
   * scoped signing keys of the roles delegated to it). No master seed, no account key.
   */
  readonly teams: Readonly<Record<string, Readonly<Record<string, TeamExport>>>>;

  constructor(name: string, args: TlosGridArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tlos:index:Grid", name, {}, opts);
    if (!Grid.isGrid(args.grid)) throw new pulumi.ResourceError("TlosGrid: args.grid must be a Grid", this);
    // validated once: the synths below reuse it (the tree does not change after this)
    const validated = args.grid.validate();
    const problems: Problem[] = [...validated.problems];
    problems.push(...masterSeedProblems(args.grid.node.path, args.masterSeed));
    const { config, problems: configProblems } = readStackConfig(args.grid.node.path);
    problems.push(...configProblems);
    const deploy = new Set<DeployTarget>(args.deploy ?? config.deploy);
    if (args.akash) deploy.add("akash");
    if (args.kubernetes) deploy.add("kubernetes");
    if (args.cloudflare) deploy.add("cloudflare");
    const constructs = args.grid.node.findAll().filter((c) => typeToken(c) !== undefined);
    const names = new Map(constructs.map((c) => [c.node.path, resourceName(name, c.node.path)]));
    problems.push(...nameCollisions(names));
    const wiring = new TargetWiring(args.grid, deploy, config, args);
    problems.push(...wiring.problems(constructs, names));
    // the machines with a bundle: the paths of a synth, the same for every seed
    const hosts = deploy.has("hosts") && problems.length === 0 ? bundleHosts(synthesize(args.grid, { masterSeed: MasterSeed.parse(STRUCTURE_SEED) }, validated).files) : [];
    if (deploy.has("hosts")) problems.push(...hostProblems(args.grid.node.path, hosts, config));
    for (const k of Object.keys(args.renamed ?? {})) {
      if (!names.has(k)) problems.push({ path: args.grid.node.path, field: `renamed.${k}`, message: `"${k}" is not the path of a construct of the grid; allowed: ${[...names.keys()].join(", ")}` });
    }
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`the grid has ${problems.length} problem(s):\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`, this);
    }
    const masterSeed = masterSeedOutput(args.grid.node.path, args.masterSeed, this);
    const result = masterSeed.apply((s) => synthesize(args.grid, { masterSeed: s }, validated));
    const grouped = groupByConstruct(result);
    const components: Record<string, TlosConstructResource> = {};
    const parents = new Map<IConstruct, pulumi.Resource>([[args.grid, this]]);
    for (const c of constructs) {
      let parent: pulumi.Resource | undefined;
      for (let s = c.node.scope; s && !parent; s = s.node.scope) parent = parents.get(s);
      const rname = names.get(c.node.path)!;
      const old = args.renamed?.[c.node.path];
      const comp = new TlosConstructResource(typeToken(c)!, rname, { path: c.node.path, ...filesIn(grouped, c.node.path) }, {
        parent: parent ?? this,
        ...(old ? { aliases: [{ name: resourceName(name, old) }] } : {}),
      });
      parents.set(c, comp);
      components[c.node.path] = comp;
      wiring.wire(c, rname, comp, masterSeed);
    }
    this.components = components;
    this.hosts = deploy.has("hosts") ? hostResources(name, hosts, config, result, this) : {};
    const lattices = constructs.filter((c) => Lattice.isLattice(c)).map((c) => c.node.id);
    this.claimsPushes = deploy.has("hosts") ? claimsPushes(name, lattices, config, result, this, Object.values(this.hosts).map((h) => h.install)) : {};
    this.deployments = wiring.deployments;
    this.akashSdls = wiring.akashSdls;
    this.teams = teamExports(constructs, masterSeed, args.grid.issuedAt);
    this.kubernetesObjects = wiring.kubernetesObjects;
    this.cloudflare = wiring.cloudflare;
    this.r2Backups = wiring.r2Backups;
    this.turnRelays = wiring.turnRelays;
    this.aiGateways = wiring.aiGateways;
    this.manifest = pulumi.unsecret(result.apply((r) => renderManifest(buildManifest(r.files, r.warnings))));
    this.registerOutputs({ manifest: this.manifest });
  }
}
