/**
 * The Pulumi adapter: the synthesized grid as a tree of ComponentResources that mirrors the
 * construct tree, so `pulumi preview` shows the same paths `tlos synth` writes. Each component
 * carries its rendered artifacts as outputs; secret files are `pulumi.secret` outputs and never
 * reach state in plain text. Per the synth-performance study, one component per construct (not
 * one resource per file) keeps registration cheap.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/components/
 */
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import type { IConstruct } from "constructs";
import { Grid } from "../constructs/grid.js";
import { Lattice } from "../constructs/lattice.js";
import { formatProblem } from "../core/errors.js";
import { MasterSeed } from "../core/seed.js";
import type { SynthResult } from "../synth/artifact.js";
import { buildManifest, renderManifest } from "../synth/manifest.js";
import { AkashDeployment, type AkashDeploymentArgs } from "./akash/deployment.js";
import { clusterResources } from "./kubernetes/cluster.js";
import type { SpinKubeCluster } from "../constructs/spinkube-cluster.js";
import type { R2Backup } from "../constructs/r2-backup.js";
import type { TurnRelay } from "../constructs/turn-relay.js";
import type { AiGateway } from "../constructs/ai-gateway.js";
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

/** The type token of a construct's component: `tlos:<module>:<Type>`. */
// Structural markers, not instanceof: a program may load another copy of the library.
const marked = (c: IConstruct, k: string) => (c as unknown as Record<string, unknown>)[k] === true;
const target = (c: IConstruct) => (c as unknown as { target?: unknown }).target;

function typeToken(c: IConstruct): string | undefined {
  if (Lattice.isLattice(c)) return "tlos:nats:Lattice";
  if (marked(c, "_isSpinKubeCluster")) return "tlos:kubernetes:SpinKubeCluster";
  if (marked(c, "_hasLeaf")) return "tlos:akash:AkashGpuPool";
  if (marked(c, "_isLatticeMember")) return target(c) === "akash" ? "tlos:akash:TlosNode" : "tlos:podman:TlosNode";
  if (marked(c, "_isR2Backup")) return "tlos:cloudflare:R2Backup";
  if (marked(c, "_isTurnRelay")) return "tlos:cloudflare:TurnRelay";
  if (marked(c, "_isAiGateway")) return "tlos:cloudflare:AiGateway";
  if (marked(c, "_isApp")) return "tlos:wasmcloud:App";
  return undefined;
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
    const result = pulumi.secret(seed).apply((s) => args.grid.synth({ masterSeed: MasterSeed.parse(s) }));
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
      const secretFile = (suffix: string) => comp.secretFiles.apply((fs) => Object.entries(fs).find(([p]) => p.endsWith(suffix))?.[1]);
      parents.set(c, comp);
      components[c.node.path] = comp;
      if (args.kubernetes && marked(c, "_isSpinKubeCluster")) {
        const creds = secretFile("/leaf-creds.yaml").apply((text) => (text ? String((parseYaml(text) as { stringData: Record<string, string> }).stringData["leaf.creds"]) : ""));
        const provider = args.kubernetes.providers?.[c.node.path];
        kubernetesObjects[c.node.path] = clusterResources(rname, c as SpinKubeCluster, comp, creds, provider ? { provider } : {});
      }
      if (args.cloudflare) {
        const cfOpts: pulumi.CustomResourceOptions = { parent: comp, ...(args.cloudflare.provider ? { provider: args.cloudflare.provider } : {}) };
        if (marked(c, "_isR2Backup")) cloudflare[c.node.path] = r2BackupResources(rname, c as R2Backup, cfOpts);
        if (marked(c, "_isTurnRelay") && (c as TurnRelay).props.provider === "cloudflare") cloudflare[c.node.path] = turnResources(rname, c as TurnRelay, cfOpts);
        if (marked(c, "_isAiGateway")) cloudflare[c.node.path] = { gateway: aiGatewayResources(rname, c as AiGateway, cfOpts) };
      }
      if (args.akash && type.startsWith("tlos:akash:")) {
        const sdl = secretFile("/deploy.yaml").apply((text) => text ?? "");
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
