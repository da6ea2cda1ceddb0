/**
 * The real resources under each construct's component, per deployed target: Kubernetes objects
 * of a `SpinKubeCluster`, Cloudflare resources of R2 backups, TURN relays and AI gateways, an
 * `AkashDeployment` per GPU pool and Akash node. Providers come from the component tree
 * (`opts.providers` of the grid reaches every child and invoke), Kubernetes ones per cluster.
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type { IConstruct } from "constructs";
import type * as K8s from "@pulumi/kubernetes";
import type { Grid } from "../synth/grid.js";
import type { Problem } from "../core/errors.js";
import type { MasterSeed } from "../core/seed.js";
import { SpinKubeCluster } from "../constructs/spinkube-cluster.js";
import { R2Backup } from "../constructs/r2-backup.js";
import { Registry } from "../constructs/registry.js";
import { registryBucketResources, type RegistryBucketResources } from "./cloudflare/registry.js";
import { TurnRelay } from "../constructs/turn-relay.js";
import { AiGateway } from "../constructs/ai-gateway.js";
import { AkashGpuPool } from "../constructs/akash-gpu-pool.js";
import { TlosNode } from "../constructs/tlos-node.js";
import { AkashDeployment, type AkashDeploymentArgs } from "./akash/deployment.js";
import { clusterResources, objectNameCollisions } from "./kubernetes/cluster.js";
import { aiGatewayResources, r2BackupResources, turnResources, type AiGatewayResources, type R2BackupResources, type TurnResources } from "./cloudflare/resources.js";
import type { DeployTarget, GridStackConfig } from "./config.js";

const require = createRequire(import.meta.url);

/** The Cloudflare resources of one construct. */
export type CloudflareResources = R2BackupResources | TurnResources | AiGatewayResources | RegistryBucketResources;

/** Default readiness timeout of an Akash deployment: an hour, for multi-hundred-GB model downloads. */
export const AKASH_READY_TIMEOUT_MS = 3_600_000;

interface WiringArgs {
  readonly akash?: Omit<AkashDeploymentArgs, "sdl">;
  readonly kubernetes?: { readonly providers?: Readonly<Record<string, K8s.Provider>> };
}

export class TargetWiring {
  readonly deployments: Record<string, AkashDeployment> = {};
  readonly kubernetesObjects: Record<string, Record<string, pulumi.Resource>> = {};
  readonly cloudflare: Record<string, CloudflareResources> = {};
  readonly r2Backups: Record<string, R2BackupResources> = {};
  readonly turnRelays: Record<string, TurnResources> = {};
  readonly aiGateways: Record<string, AiGatewayResources> = {};
  readonly akashSdls: Record<string, pulumi.Output<string>> = {};

  constructor(
    private readonly grid: Grid,
    private readonly deploy: ReadonlySet<DeployTarget>,
    private readonly config: GridStackConfig,
    private readonly args: WiringArgs,
  ) {}

  /** The construct path below the grid (`lattice/k8s`), as stack config names clusters. */
  private rel(path: string): string {
    return path.split("/").slice(1).join("/");
  }

  /** Provider keys that name no cluster, checked before anything registers. */
  problems(constructs: readonly IConstruct[], names: ReadonlyMap<string, string>): Problem[] {
    if (!this.deploy.has("kubernetes")) return [];
    const out: Problem[] = [];
    const clusterConstructs = constructs.filter((c): c is SpinKubeCluster => SpinKubeCluster.isSpinKubeCluster(c));
    for (const c of clusterConstructs) {
      for (const n of objectNameCollisions(names.get(c.node.path)!, c)) out.push({ path: c.node.path, field: "docs", code: "pulumi-name-collision", message: `two objects share the Pulumi name "${n}" (kind, namespace and name joined with "-"); allowed: names that stay distinct` });
    }
    const clusters = clusterConstructs.map((c) => c.node.path);
    const unknown = (field: string, key: string, allowed: readonly string[]) =>
      out.push({ path: this.grid.node.path, field, message: `"${key}" is not a SpinKubeCluster of the grid; allowed: ${allowed.length ? allowed.join(", ") : "(none)"}` });
    if (this.args.kubernetes) {
      for (const k of Object.keys(this.args.kubernetes.providers ?? {})) if (!clusters.includes(k)) unknown(`kubernetes.providers.${k}`, k, clusters);
    } else {
      const rels = clusters.map((p) => this.rel(p));
      for (const k of Object.keys(this.config.kubernetes)) if (!rels.includes(k)) unknown(`tlos:kubernetes.${k}`, k, rels);
    }
    return out;
  }

  private kubernetesProvider(c: SpinKubeCluster, rname: string, comp: pulumi.Resource): K8s.Provider | undefined {
    if (this.args.kubernetes) return this.args.kubernetes.providers?.[c.node.path];
    if (!this.config.kubeconfig) return undefined; // the provider of opts.providers, else the default one
    const k8s = require("@pulumi/kubernetes") as typeof K8s;
    const context = this.config.kubernetes[this.rel(c.node.path)]?.context;
    return new k8s.Provider(`${rname}-kubernetes`, { kubeconfig: this.config.kubeconfig, ...(context ? { context } : {}) }, { parent: comp });
  }

  /** Creates the real resources of construct `c` under its component. */
  wire(c: IConstruct, rname: string, comp: pulumi.Resource, masterSeed: pulumi.Output<MasterSeed>): void {
    const issuedAt = this.grid.issuedAt;
    const protect = this.config.protect;
    if (this.deploy.has("kubernetes") && SpinKubeCluster.isSpinKubeCluster(c)) {
      const creds = c.wasmcloudNamespace ? pulumi.secret(masterSeed.apply((s) => c.lattice.leafSecrets(s, issuedAt, c.node.id).leafCreds)) : undefined;
      // the CA certificate is public (every bundle's files/ca.pem): not a secret output
      const caPem = c.wasmcloudNamespace ? pulumi.unsecret(masterSeed.apply((s) => c.lattice.caPem(s))) : undefined;
      const provider = this.kubernetesProvider(c, rname, comp);
      this.kubernetesObjects[c.node.path] = clusterResources(rname, c, comp, creds, { ...(provider ? { provider } : {}), protect }, caPem);
    }
    if (this.deploy.has("cloudflare")) {
      const opts: pulumi.CustomResourceOptions = { parent: comp };
      const p = c.node.path;
      if (R2Backup.isR2Backup(c)) this.cloudflare[p] = this.r2Backups[p] = r2BackupResources(rname, c, opts, protect);
      if (TurnRelay.isTurnRelay(c) && c.props.provider === "cloudflare") this.cloudflare[p] = this.turnRelays[p] = turnResources(rname, c, opts);
      if (AiGateway.isAiGateway(c)) this.cloudflare[p] = this.aiGateways[p] = aiGatewayResources(rname, c, opts);
      const bucket = Registry.isRegistry(c) ? registryBucketResources(rname, c, opts, protect) : undefined;
      if (bucket) this.cloudflare[p] = bucket;
    }
    const akash = AkashGpuPool.isAkashGpuPool(c) || (TlosNode.isTlosNode(c) && c.target === "akash") ? c : undefined;
    if (!akash) return;
    // the deployable SDL (its leaf creds hold only the construct's role), as a secret
    const sdl = pulumi.secret(masterSeed.apply((s) => akash.deployableSdl(s, issuedAt)));
    this.akashSdls[c.node.path] = sdl;
    if (this.deploy.has("akash")) {
      const base = this.args.akash ?? { readyTimeoutMs: AKASH_READY_TIMEOUT_MS, ...this.config.akash!, allowedProviders: this.config.akash?.allowedProviders ? [...this.config.akash.allowedProviders] : undefined };
      this.deployments[c.node.path] = new AkashDeployment(`${rname}-deployment`, { ...base, sdl }, { parent: comp });
    }
  }
}
