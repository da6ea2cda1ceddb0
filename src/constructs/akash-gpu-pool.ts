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
import { asString, show } from "../core/errors.js";
import { AKASH_IMAGES, DEFAULT_IMAGES, DEFAULT_NODE_IMAGE } from "../core/images.js";
import { poolXKey } from "../ai/identities.js";
import { xkeySeed } from "../ai/seal.js";
import { poolAiService } from "../akash/pool-ai-service.js";
import { isPort } from "../core/names.js";
import { AKASH_LIMITS } from "../akash/go-rules.js";
import { monthlyCost, type MonthlyCost } from "../akash/cost.js";
import { renderSdl, type Sdl, type SdlGpu } from "../akash/sdl.js";
import { latticeServices } from "../akash/lattice-services.js";
import { costLine, latticeDeploymentSdl } from "../akash/lattice-deployment.js";
import type { MasterSeed } from "../core/seed.js";
import { envLines } from "../akash/env.js";
import type { SynthContext } from "../core/artifact.js";
import { Lattice } from "./lattice.js";
import type { LeafSecrets } from "./lattice-member.js";
import type { AkashGpuPoolProps } from "./akash-gpu-pool-props.js";
import { bytes, cpuMillis, envEntries, placement, pricing, storageClass, type Report } from "./akash-checks.js";
import { asNumber } from "./validate.js";
import { akashThroughRegistry } from "./registry-akash.js";
import { resolveGpuSizing } from "./akash-gpu-sizing.js";
import { POOL_KEYS } from "./prop-keys.js";

export type { AkashGpuPoolProps, GpuProps } from "./akash-gpu-pool-props.js";

const GPU_MODEL = /^[a-z0-9][a-z0-9-]{0,30}$/;
const TI = 2 ** 40;

export class AkashGpuPool extends TlosConstruct {
  /** True for any AkashGpuPool, also across two loaded copies of this library. */
  static isAkashGpuPool(x: unknown): x is AkashGpuPool {
    return kindOf(x) === "AkashGpuPool";
  }
  readonly lattice: Lattice;
  /** Worst-case monthly cost (all replicas, every service at its maximum price). */
  readonly cost: MonthlyCost;
  private readonly p: AkashGpuPoolProps;
  private readonly resolved: ReturnType<AkashGpuPool["resolve"]>;

  constructor(lattice: Lattice, id: string, props: AkashGpuPoolProps) {
    super(lattice, id, "AkashGpuPool");
    this.p = (this.plain(props) ?? {}) as AkashGpuPoolProps;
    this.knownKeys(this.p, POOL_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "an AkashGpuPool must be created inside a Lattice");
    this.resolved = this.resolve();
    const r = this.resolved;
    // the inference server, and three sidecars: the leaf, the host, the system:ai service
    this.cost = monthlyCost(r.pricing.denom, r.pricing.amount + 3 * r.pricing.sidecarAmount, r.count);
  }

  private resolve() {
    const p = this.p;
    const report: Report = (f, m) => this.problem(f, m);
    const g = (p.gpu ?? {}) as Partial<AkashGpuPoolProps["gpu"]>;
    const models = (Array.isArray(g.model) ? g.model : [g.model]) as unknown[];
    if (models.length === 0 || !models.every((m) => typeof m === "string" && GPU_MODEL.test(m))) report("gpu.model", `${show(g.model)} is not a GPU model slug: use lowercase slugs like "h100", "a100", "h200", or a list of them`);
    if (!(Number.isInteger(g.units) && (g.units as number) >= 1 && (g.units as number) <= AKASH_LIMITS.gpuMax)) report("gpu.units", `${show(g.units)} is not allowed: Akash allows 1 to ${AKASH_LIMITS.gpuMax} GPUs per replica`);
    if (g.ram !== undefined && !/^\d+(Gi|Ti)$/.test(asString(g.ram))) report("gpu.ram", `${show(g.ram)} is not a GPU memory size: use e.g. "80Gi"`);
    if (g.interface !== undefined && g.interface !== "pcie" && g.interface !== "sxm") report("gpu.interface", `${show(g.interface)} is not allowed: use "pcie" or "sxm"`);
    const count = p.count ?? 1;
    if (!(Number.isInteger(count) && count >= 1 && count <= AKASH_LIMITS.countMax)) report("count", `${show(count)} is not allowed: use 1 to ${AKASH_LIMITS.countMax} replicas (Akash's maxUnitCount; its per-unit check is commented out upstream, but the group totals are bounded by 50 × the unit limits)`);
    const res = p.resources ?? {};
    const cpu = cpuMillis(report, "resources.cpu", res.cpu, "16");
    const memory = bytes(report, "resources.memory", res.memory, "128Gi", 2 ** 20, 2 * TI, "1Mi to 2Ti");
    const ephemeral = bytes(report, "resources.ephemeralStorage", res.ephemeralStorage, "100Gi", 5 * 2 ** 20, 32 * TI, "5Mi to 32Ti per volume");
    const sizing = resolveGpuSizing(report, (f, m) => this.warn(f, m), p, memory.bytes);
    const mc = p.modelCache ?? {};
    if (mc.persistent === false) report("modelCache.persistent", "the model cache must be persistent: ephemeral storage cannot set a class (Akash), and a cache that vanishes on restart re-downloads the model");
    const cache = {
      size: bytes(report, "modelCache.size", mc.size, "500Gi", 5 * 2 ** 20, 32 * TI, "5Mi to 32Ti per volume"),
      class: storageClass(report, "modelCache.class", mc.class ?? "beta3"),
      mount: this.mount(report, "modelCache.mount", mc.mount ?? "/models"),
    };
    const volumes = (Array.isArray(p.volumes) ? p.volumes : p.volumes === undefined ? [] : (report("volumes", `must be a list, got ${show(p.volumes)}`), [])).map((v, i) => ({
      name: this.volumeName(report, `volumes[${i}].name`, v?.name),
      size: bytes(report, `volumes[${i}].size`, v?.size, "1Gi", 5 * 2 ** 20, 32 * TI, "5Mi to 32Ti per volume"),
      class: storageClass(report, `volumes[${i}].class`, v?.class ?? "beta3"),
      mount: this.mount(report, `volumes[${i}].mount`, v?.mount),
    }));
    const names = new Map<string, string>([["models", "modelCache"], ["shm", "shm"]]);
    const mounts = new Map<string, string>([[cache.mount, "modelCache.mount"], ["/dev/shm", "shm"]]);
    volumes.forEach((v, i) => {
      const n = names.get(v.name);
      if (n) report(`volumes[${i}].name`, `volume name ${show(v.name)} is already used by ${n} (Akash refuses duplicate volume names)`);
      names.set(v.name, `volumes[${i}]`);
      const m = mounts.get(v.mount);
      if (m) report(`volumes[${i}].mount`, `mount ${show(v.mount)} is already used by ${m}`);
      mounts.set(v.mount, `volumes[${i}].mount`);
    });
    const inf = (p.inference ?? {}) as Partial<AkashGpuPoolProps["inference"]>;
    if (typeof inf.model !== "string" || !/^[\w.-]+(\/[\w.-]+)*$/.test(inf.model)) report("inference.model", `${show(inf.model)} is not a model id: use e.g. "moonshotai/Kimi-K2-Instruct"`);
    const args = Array.isArray(inf.args) ? inf.args : inf.args === undefined ? [] : (report("inference.args", `must be a list of strings, got ${show(inf.args)}`), []);
    args.forEach((a, i) => {
      if (typeof a !== "string") report(`inference.args[${i}]`, `${show(a)} is not a string`);
    });
    const port = inf.port ?? 8000;
    if (!isPort(port)) report("inference.port", `${show(port)} is not a port: use an integer from 1 to 65535`);
    if (port === 4222) report("inference.port", "4222 is the NATS leaf's port in this deployment: use another one");
    const image = this.checkedImage("inference.image", inf.image ?? AKASH_IMAGES.vllm);
    const env = envEntries(report, "inference.env", inf.env);
    if (p.public !== undefined && typeof p.public !== "boolean") report("public", `${show(p.public)} is not allowed: use true or false`);
    const host = Lattice.isLattice(this.lattice) ? (this.lattice.wasmcloud === "v1" ? DEFAULT_IMAGES.wasmcloudV1 : DEFAULT_IMAGES.washHost) : DEFAULT_IMAGES.washHost;
    return {
      models: models.map((x: unknown) => asString(x)),
      units: asNumber(g.units, 1),
      ram: g.ram,
      iface: g.interface,
      count: asNumber(count, 1),
      cpu,
      memory,
      ephemeral,
      cache,
      volumes,
      model: asString(inf.model),
      args: args.map((x: unknown) => asString(x)),
      port: asNumber(port, 1),
      image,
      env,
      public: p.public === true,
      placement: placement(report, p.placement),
      sizing,
      pricing: pricing(report, p.pricing),
      natsImage: this.checkedImage("images.nats", p.images?.nats ?? DEFAULT_IMAGES.nats),
      hostImage: this.checkedImage("images.host", p.images?.host ?? host),
      aiImage: this.checkedImage("images.ai", p.images?.ai ?? DEFAULT_NODE_IMAGE),
      maxInFlight: this.maxInFlight(report, inf.maxInFlight, asNumber(g.units, 1)),
    };
  }

  private maxInFlight(report: Report, v: unknown, units: number): number {
    if (v === undefined) return 8 * units;
    if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4096)) report("inference.maxInFlight", `${show(v)} is not allowed: use 1 to 4096 requests`);
    return asNumber(v, 1);
  }

  private mount(report: Report, field: string, v: unknown): string {
    if (typeof v !== "string" || !/^\/[A-Za-z0-9._/-]*$/.test(v) || v === "/") report(field, `${show(v)} is not a mount path: use an absolute path like "/models"`);
    return asString(v);
  }

  private volumeName(report: Report, field: string, v: unknown): string {
    if (typeof v !== "string" || !/^[a-z][a-z0-9-]{0,30}$/.test(v)) report(field, `${show(v)} is not a volume name: use a lowercase name like "datasets"`);
    return asString(v);
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
