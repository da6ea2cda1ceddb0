/**
 * The Pulumi adapter: the synthesized grid as a tree of ComponentResources that mirrors the
 * construct tree, so `pulumi preview` shows the same paths `tlos synth` writes. Each component
 * carries its rendered artifacts as outputs; secret files are `pulumi.secret` outputs and never
 * reach state in plain text. Per the synth-performance study, one component per construct (not
 * one resource per file) keeps registration cheap.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/components/
 */
import * as pulumi from "@pulumi/pulumi";
import type { IConstruct } from "constructs";
import { Grid } from "../constructs/grid.js";
import { formatProblem } from "../core/errors.js";
import { MasterSeed } from "../core/seed.js";
import type { SynthResult } from "../synth/artifact.js";
import { buildManifest, renderManifest } from "../synth/manifest.js";
import { AkashDeployment, type AkashDeploymentArgs } from "./akash/deployment.js";
import { clusterResources } from "./kubernetes/cluster.js";
import { SpinKubeCluster } from "../constructs/spinkube-cluster.js";
import { R2Backup } from "../constructs/r2-backup.js";
import { TurnRelay } from "../constructs/turn-relay.js";
import { AiGateway } from "../constructs/ai-gateway.js";
import { AkashGpuPool } from "../constructs/akash-gpu-pool.js";
import { TlosNode } from "../constructs/tlos-node.js";
import { kindOf, type ConstructKind } from "../core/construct.js";
import { aiGatewayResources, r2BackupResources, turnResources } from "./cloudflare/resources.js";

/** Args of {@link TlosGrid}. */
export interface TlosGridArgs {
  /** The grid definition: the same object `tlos synth` loads from a program. */
  readonly grid: Grid;
  /**
   * The master seed (hex or base64, ≥ 32 bytes).
   * @default the secret stack config `tlos:masterSeed` (`pulumi config set --secret tlos:masterSeed $(openssl rand -hex 32)`)
   */
  readonly masterSeed?: pulumi.Input<string>;
  /**
   * Deploy the grid's Akash deployments (GPU pools, Akash nodes) through `@akashnetwork/chain-sdk`.
   * Without it the Akash constructs only carry their SDLs as outputs.
   * @default not deployed
   */
  readonly akash?: Omit<AkashDeploymentArgs, "sdl">;
  /**
   * Create the grid's `SpinKubeCluster`s through `@pulumi/kubernetes` (a peer dependency), each
   * with the provider given here under its construct path (or the default provider).
   * @default not created: the clusters only carry their manifests as outputs
   */
  readonly kubernetes?: { readonly providers?: Readonly<Record<string, import("@pulumi/kubernetes").Provider>> };
  /**
   * Create the grid's Cloudflare resources (R2 backups, Realtime TURN keys, AI Gateways) through
   * `@pulumi/cloudflare` 6.x (a peer dependency), with this provider or the default one.
   * @default not created: those constructs only carry their `cloudflare/*.json` as outputs
   */
  readonly cloudflare?: { readonly provider?: import("@pulumi/cloudflare").Provider };
}

/** Files of one construct: path (relative to a synth output folder) → content. */
type Files = Record<string, string>;

/** One construct of the grid as a component: its non-secret and secret files. */
export class TlosConstructResource extends pulumi.ComponentResource {
  /** Non-secret files this construct renders (units, configs, scripts, JWTs). */
  readonly files: pulumi.Output<Files>;
  /** Secret files (creds, seeds), as a secret output. */
  readonly secretFiles: pulumi.Output<Files>;

  constructor(type: string, name: string, path: string, result: pulumi.Output<SynthResult>, opts: pulumi.ComponentResourceOptions) {
    super(type, name, {}, opts);
    const mine = result.apply((r) => r.files.filter((f) => f.construct === path));
    this.files = pulumi.unsecret(mine.apply((fs) => Object.fromEntries(fs.filter((f) => !f.secret).map((f) => [f.path, f.content]))));
    this.secretFiles = pulumi.secret(mine.apply((fs) => Object.fromEntries(fs.filter((f) => f.secret).map((f) => [f.path, f.content]))));
    this.registerOutputs({ files: this.files, secretFiles: this.secretFiles });
  }
}

/**
 * The type token of each construct kind's component, `tlos:<module>:<Type>`: the one table the
 * adapter maps through. Kinds are symbol marks (not instanceof): a program may load another copy
 * of the library.
 */
const TYPE_TOKENS: Readonly<Record<ConstructKind, string | ((c: IConstruct) => string)>> = {
  Lattice: "tlos:nats:Lattice",
  TlosNode: (c) => (TlosNode.isTlosNode(c) && c.target === "akash" ? "tlos:akash:TlosNode" : "tlos:podman:TlosNode"),
  AkashGpuPool: "tlos:akash:AkashGpuPool",
  SpinKubeCluster: "tlos:kubernetes:SpinKubeCluster",
  R2Backup: "tlos:cloudflare:R2Backup",
  TurnRelay: "tlos:cloudflare:TurnRelay",
  AiGateway: "tlos:cloudflare:AiGateway",
  App: "tlos:wasmcloud:App",
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
  /** Kubernetes objects of each SpinKubeCluster (with `args.kubernetes`), by construct path. */
  readonly kubernetesObjects: Readonly<Record<string, Readonly<Record<string, pulumi.Resource>>>>;
  /** Cloudflare resources by construct path (with `args.cloudflare`): R2 bucket/lifecycle/token and S3 keys, TURN keys, AI gateways. */
  readonly cloudflare: Readonly<Record<string, object>>;
  /** Akash deployments by construct path (with `args.akash`). */
  readonly deployments: Readonly<Record<string, AkashDeployment>>;

  constructor(name: string, args: TlosGridArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tlos:index:Grid", name, {}, opts);
    if (!Grid.isGrid(args.grid)) throw new pulumi.ResourceError("TlosGrid: args.grid must be a Grid", this);
    const { problems } = args.grid.validate();
    if (problems.length > 0) {
      throw new pulumi.ResourceError(`the grid has ${problems.length} problem(s):\n${problems.map((p) => `  ${formatProblem(p)}`).join("\n")}`, this);
    }
    const seed = args.masterSeed ?? new pulumi.Config("tlos").requireSecret("masterSeed");
    const masterSeed = pulumi.secret(seed).apply((s) => MasterSeed.parse(s));
    const result = masterSeed.apply((s) => args.grid.synth({ masterSeed: s }));
    const issuedAt = args.grid.issuedAt;
    const components: Record<string, TlosConstructResource> = {};
    const deployments: Record<string, AkashDeployment> = {};
    const kubernetesObjects: Record<string, Record<string, pulumi.Resource>> = {};
    const cloudflare: Record<string, object> = {};
    const parents = new Map<IConstruct, pulumi.Resource>([[args.grid, this]]);
    for (const c of args.grid.node.findAll()) {
      const type = typeToken(c);
      if (!type) continue;
      let parent: pulumi.Resource | undefined;
      for (let s = c.node.scope; s && !parent; s = s.node.scope) parent = parents.get(s);
      /** Pulumi name of the construct's resources: the grid's name, then its path below the grid. */
      const rname = `${name}-${c.node.path.split("/").slice(1).join("-")}`;
      const comp = new TlosConstructResource(type, rname, c.node.path, result, { parent: parent ?? this });
      parents.set(c, comp);
      components[c.node.path] = comp;
      if (args.kubernetes && SpinKubeCluster.isSpinKubeCluster(c)) {
        const creds = c.wasmcloudNamespace ? pulumi.secret(masterSeed.apply((s) => c.lattice.leafSecrets(s, issuedAt, c.node.id).leafCreds)) : undefined;
        const provider = args.kubernetes.providers?.[c.node.path];
        kubernetesObjects[c.node.path] = clusterResources(rname, c, comp, creds, provider ? { provider } : {});
      }
      if (args.cloudflare) {
        const cfOpts: pulumi.CustomResourceOptions = { parent: comp, ...(args.cloudflare.provider ? { provider: args.cloudflare.provider } : {}) };
        if (R2Backup.isR2Backup(c)) cloudflare[c.node.path] = r2BackupResources(rname, c, cfOpts);
        if (TurnRelay.isTurnRelay(c) && c.props.provider === "cloudflare") cloudflare[c.node.path] = turnResources(rname, c, cfOpts);
        if (AiGateway.isAiGateway(c)) cloudflare[c.node.path] = { gateway: aiGatewayResources(rname, c, cfOpts) };
      }
      const akash = AkashGpuPool.isAkashGpuPool(c) || (TlosNode.isTlosNode(c) && c.target === "akash") ? c : undefined;
      if (args.akash && akash) {
        const sdl = pulumi.secret(masterSeed.apply((s) => akash.deployableSdl(s, issuedAt)));
        deployments[c.node.path] = new AkashDeployment(`${rname}-deployment`, { ...args.akash, sdl }, { parent: comp });
      }
    }
    this.components = components;
    this.deployments = deployments;
    this.kubernetesObjects = kubernetesObjects;
    this.cloudflare = cloudflare;
    this.manifest = pulumi.unsecret(result.apply((r) => renderManifest(buildManifest(r.files, r.warnings))));
    this.registerOutputs({ manifest: this.manifest });
  }
}
