/**
 * `AkashGpuPool`: GPU replicas on Akash for heavy LLM inference, each running the inference
 * server (vLLM by default) next to a NATS leaf and a wasmCloud host labelled for the lattice's
 * `system:ai` interface and the pool's `system:ai` service (`tlos ai serve`), so lattice components
 * reach inference over NATS. The inference port is reachable only from the pool's own AI service
 * and host unless `public: true`.
 * Synth writes `akash/<id>/deploy.yaml` (reviewable, secrets replaced by `<secret:…>`) and the
 * deployable SDL under `secrets/`, and states the worst-case monthly cost.
 */
import { akashStep } from "./plan-steps.js";
import { akashDeployFile, secretPath } from "../core/layout.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { asString } from "../core/errors.js";
import { poolXKey } from "../ai/identities.js";
import { xkeySeed } from "../ai/seal.js";
import { poolAiService } from "../akash/pool-ai-service.js";
import { monthlyCost, type MonthlyCost } from "../akash/cost.js";
import { renderSdl, type Sdl, type SdlGpu } from "../akash/sdl.js";
import { latticeServices } from "../akash/lattice-services.js";
import { costLine, latticeDeploymentSdl } from "../akash/lattice-deployment.js";
import type { MasterSeed } from "../core/seed.js";
import { envLines } from "../akash/env.js";
import type { SynthContext } from "../core/artifact.js";
import type { Lattice } from "./lattice.js";
import { isLatticeScope, type JoinedLattice } from "./joined-lattice.js";
import type { LeafSecrets } from "./lattice-member.js";
import { resolveAkashGpuPool, type AkashGpuPoolProps, type ResolvedAkashGpuPool } from "./akash-gpu-pool-props.js";
import { akashThroughRegistry } from "./registry-akash.js";
import { POOL_KEYS } from "./prop-keys.js";

export type { AkashGpuPoolProps, GpuProps } from "./akash-gpu-pool-props.js";

export class AkashGpuPool extends TlosConstruct {
  /** True for any AkashGpuPool, also across two loaded copies of this library. */
  static isAkashGpuPool(x: unknown): x is AkashGpuPool {
    return kindOf(x) === "AkashGpuPool";
  }
  /** The lattice it joins: the grid's own, or a platform's one joined by a team. */
  readonly lattice: Lattice | JoinedLattice;
  /** Worst-case monthly cost (all replicas, every service at its maximum price). */
  readonly cost: MonthlyCost;
  private readonly p: AkashGpuPoolProps;
  private readonly resolved: ResolvedAkashGpuPool;

  constructor(lattice: Lattice | JoinedLattice, id: string, props: AkashGpuPoolProps) {
    super(lattice, id, "AkashGpuPool");
    this.p = (this.plain(props) ?? {}) as AkashGpuPoolProps;
    this.knownKeys(this.p, POOL_KEYS);
    this.lattice = lattice;
    if (!isLatticeScope(lattice)) this.problem("scope", "an AkashGpuPool must be created inside a Lattice (or a JoinedLattice)");
    const wasmcloud = isLatticeScope(lattice) ? lattice.wasmcloud : undefined;
    this.resolved = resolveAkashGpuPool(this.p, wasmcloud, (f, m) => this.problem(f, m), (f, m) => this.warn(f, m));
    const r = this.resolved;
    // the inference server, and three sidecars: the leaf, the host, the system:ai service
    this.cost = monthlyCost(r.pricing.denom, r.pricing.amount + 3 * r.pricing.sidecarAmount, r.count);
  }

  /**
   * Where the pool serves inference inside its deployment: the SDL service name, the model it
   * loads and the OpenAI-compatible port. Consumers (AiGateway) read this, never the SDL.
   */
  inferenceEndpoint(): { readonly service: string; readonly model: string; readonly port: number } {
    return { service: `${this.node.id}-inference`, model: this.resolved.model, port: this.resolved.port };
  }

  /** The SDL; with `secrets` the deployable one, otherwise `<secret:…>` placeholders. */
  sdl(secrets?: LeafSecrets & { readonly aiXKey: string }, caPem: string | undefined = this.lattice.caCertificate, seed?: MasterSeed): Sdl {
    const r = this.resolved;
    const id = this.node.id;
    const inference = this.inferenceEndpoint().service;
    const host = `${id}-host`;
    const ai = `${id}-ai`;
    const gpu: SdlGpu = {
      units: r.units,
      attributes: { vendor: { nvidia: r.models.map((model) => ({ model, ...(r.ram ? { ram: r.ram } : {}), ...(r.iface ? { interface: r.iface } : {}) })) } },
    };
    const lat = latticeServices({
      prefix: id,
      lattice: this.lattice.name,
      jsDomain: this.lattice.jetstreamDomain,
      wasmcloud: this.lattice.wasmcloud,
      hubs: this.lattice.leafUrls(),
      natsImage: r.natsImage,
      hostImage: r.hostImage,
      labels: { system: "ai", pool: id },
      policyTopic: this.lattice.policyTopic(),
      caPem,
      leafCreds: secrets?.leafCreds,
      hostSeed: secrets?.hostSeed,
      hostEnv: { TLOS_AI_ENDPOINT: `http://${inference}:${r.port}/v1`, TLOS_AI_MODEL: r.model },
      natsClients: [ai],
    });
    const aiService = poolAiService({ pool: id, lattice: this.lattice.name, model: r.model, nats: `nats://${id}-nats:4222`, upstream: `http://${inference}:${r.port}/v1`, maxInFlight: r.maxInFlight, image: r.aiImage, xkeySeed: secrets?.aiXKey });
    return akashThroughRegistry(latticeDeploymentSdl({
      id,
      main: {
        name: inference,
        service: {
          image: r.image,
          args: ["--model", r.model, "--tensor-parallel-size", asString(r.units), "--download-dir", `${r.cache.mount}/hub`, "--host", "0.0.0.0", "--port", asString(r.port), ...r.args],
          env: [`HF_HOME=${r.cache.mount}/hf`, ...envLines(r.env, secrets !== undefined)],
          expose: [{ port: r.port, as: r.port, proto: "TCP", to: [{ service: ai }, { service: host }, ...(r.public ? [{ global: true }] : [])] }],
          params: { storage: { models: { mount: r.cache.mount }, ...Object.fromEntries(r.volumes.map((v) => [v.name, { mount: v.mount }])), ...(r.sizing.shmBytes > 0 ? { shm: { mount: "/dev/shm" } } : {}) } },
        },
        compute: {
          cpu: { units: r.cpu % 1000 === 0 ? r.cpu / 1000 : `${r.cpu}m` },
          memory: { size: r.memory.toString() },
          storage: [
            { size: r.ephemeral.toString() },
            { name: "models", size: r.cache.size.toString(), attributes: { persistent: true, class: r.cache.class } },
            ...r.volumes.map((v) => ({ name: v.name, size: v.size.toString(), attributes: { persistent: true, class: v.class } })),
            // NCCL's shared memory for tensor parallelism: a RAM volume at /dev/shm
            ...(r.sizing.shmBytes > 0 ? [{ name: "shm", size: r.sizing.shmSize, attributes: { persistent: false, class: "ram" } }] : []),
          ],
          gpu,
        },
      },
      lattice: lat,
      sidecars: [{ name: ai, service: aiService }],
      count: r.count,
      // audited providers by default for a GPU lease (AKASH_AUDITOR), unless the props name auditors or opt out
      placement: r.placement.anyOf.length + r.placement.allOf.length > 0 ? r.placement : { ...r.placement, anyOf: [...r.sizing.defaultAnyOf] },
      pricing: r.pricing,
    }), this.lattice, id, seed);
  }

  private header(): string[] {
    return [
      `Akash GPU pool ${this.node.id}: ${this.resolved.count} × ${this.resolved.units} ${this.resolved.models.join("|")} GPU(s), model ${this.resolved.model}.`,
      costLine(this.cost, true),
    ];
  }

  /** The deployable SDL (holds credentials), as synth writes it under `secrets/`. */
  deployableSdl(seed: MasterSeed, issuedAt: number): string {
    const aiXKey = xkeySeed(poolXKey(seed, this.lattice.path, this.node.id));
    return renderSdl(this.sdl({ ...this.lattice.leafSecrets(seed, issuedAt, this.node.id), aiXKey }, this.lattice.caPem(seed), seed), [...this.header(), "Deployable SDL: holds credentials. Generated by tlos."]);
  }

  _synthesize(ctx: SynthContext): void {
    const file = akashDeployFile(this.lattice.node.id, this.node.id);
    ctx.step(akashStep(this.path, this.node.id, secretPath(file)));
    ctx.add({ path: file, content: renderSdl(this.sdl(undefined, this.lattice.caPem(ctx.seed)), [...this.header(), "Reviewable copy: <secret:…> stands for credentials; deploy the copy under secrets/ or use the Pulumi adapter. Generated by tlos."]), kind: "akash-sdl", target: "akash", secret: false, cost: this.cost });
    ctx.add({ path: secretPath(file), content: this.deployableSdl(ctx.seed, ctx.issuedAt), kind: "akash-sdl", target: "akash", secret: true });
  }
}
