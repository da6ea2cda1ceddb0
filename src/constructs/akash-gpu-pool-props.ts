/** Props of an {@link AkashGpuPool}. */
import type { EnvValue } from "../akash/env.js";
import { AKASH_LIMITS } from "../akash/go-rules.js";
import { asString, show } from "../core/errors.js";
import { resolveImage } from "../core/image.js";
import { AKASH_IMAGES, DEFAULT_IMAGES, DEFAULT_NODE_IMAGE } from "../core/images.js";
import { isPort } from "../core/names.js";
import type { WasmCloudVersion } from "../wasmcloud/host.js";
import { bytes, cpuMillis, envEntries, placement, pricing, storageClass, type Report } from "./akash-checks.js";
import { resolveGpuSizing } from "./akash-gpu-sizing.js";
import type { AkashPlacementProps, AkashPricingProps } from "./akash-props.js";
import { asNumber } from "./validate.js";

const GPU_MODEL = /^[a-z0-9][a-z0-9-]{0,30}$/;
const TI = 2 ** 40;

/** The GPUs of one replica. */
export interface GpuProps {
  /** Model slug (`h100`, `a100`, `h200`, …) or a list meaning "any of these". */
  readonly model: string | readonly string[];
  /** GPU memory, e.g. `"80Gi"`. @default any */
  readonly ram?: string;
  /** @default any */
  readonly interface?: "pcie" | "sxm";
  /** GPUs per replica, 1–24. */
  readonly units: number;
}

/** Props of an {@link AkashGpuPool}. */
export interface AkashGpuPoolProps {
  /** GPUs per replica. @see https://akash.network/docs/network-features/stack-definition-language/#gpu */
  readonly gpu: GpuProps;
  /** Replicas, 1–50. @default 1 */
  readonly count?: number;
  /**
   * CPU, memory and ephemeral storage of the inference service.
   * @default { cpu: "16", memory: "128Gi", ephemeralStorage: "100Gi" }
   */
  readonly resources?: { readonly cpu?: string | number; readonly memory?: string; readonly ephemeralStorage?: string };
  /**
   * The persistent model cache, mounted into the inference server (never `ram`).
   * @default { size: "500Gi", class: "beta3", mount: "/models" }
   */
  readonly modelCache?: { readonly size?: string; readonly class?: string; readonly mount?: string; readonly persistent?: boolean };
  /** More persistent volumes of the inference service. @default none */
  readonly volumes?: readonly { readonly name: string; readonly size: string; readonly class?: string; readonly mount: string }[];
  /**
   * The inference server: vLLM's OpenAI-compatible server by default.
   * @see https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
   */
  readonly inference: {
    /** Model id, e.g. `"moonshotai/Kimi-K2-Instruct"`. */
    readonly model: string;
    /** @default DEFAULT_IMAGES.vllm */
    readonly image?: string;
    /** Extra server arguments. @default none */
    readonly args?: readonly string[];
    /** @default 8000 */
    readonly port?: number;
    /**
     * Environment of the inference server. Credentials go as `{ secret: "…" }` (e.g.
     * `HF_TOKEN: { secret: process.env.HF_TOKEN }`): only the deployable SDL under `secrets/` holds
     * them; names like `*_TOKEN`, `*_KEY`, `*_SECRET`, `PASSWORD` given as plain strings are refused.
     * The Akash provider can read every env value of its lease.
     * @default none
     * @see https://akash.network/docs/network-features/environment-variables/
     */
    readonly env?: Readonly<Record<string, EnvValue>>;
    /**
     * Requests the pool's `system:ai` service lets run at once per replica (vLLM batches them
     * on the GPUs); one more is refused as busy. @default 8 × gpu.units
     * @see https://docs.vllm.ai/en/latest/configuration/optimization.html
     */
    readonly maxInFlight?: number;
    /**
     * The model's weights, to check they fit `units × VRAM × --gpu-memory-utilization` with room
     * for the KV cache: a size (`"594G"`, `"140Gi"`) or parameters in billions with a precision.
     * @default the size on record for the model (see KNOWN_WEIGHTS), else unchecked with a warning
     * @see https://docs.vllm.ai/en/latest/configuration/engine_args.html
     */
    readonly weights?: { readonly size?: string; readonly parameters?: number; readonly precision?: "fp32" | "bf16" | "fp16" | "fp8" | "int8" | "int4" };
  };
  /**
   * Size of the RAM volume (`class: ram`) mounted at `/dev/shm`, which NCCL needs when more than
   * one GPU serves the model (tensor parallel). Counts against `resources.memory`.
   * @default "32Gi" when `gpu.units` > 1, none for one GPU
   * @see https://akash.network/docs/network-features/stack-definition-language/#profilescompute
   */
  readonly shm?: string;
  /**
   * Only providers audited by Akash's auditor may bid (`signedBy.anyOf`), unless
   * `placement.signedBy` names other auditors. Set `false` to let any provider bid on the lease.
   * @default true
   */
  readonly audited?: boolean;
  /** Expose the inference port to the internet (`global: true`). @default false: only the pool's host reaches it */
  readonly public?: boolean;
  readonly placement?: AkashPlacementProps;
  readonly pricing: AkashPricingProps;
  /**
   * `ai` runs `tlos ai serve` (the pool's `system:ai` service) with `npx`.
   * @default { nats: DEFAULT_IMAGES.nats, host: the lattice's host image, ai: DEFAULT_NODE_IMAGE }
   * @see https://hub.docker.com/_/node
   */
  readonly images?: { readonly nats?: string; readonly host?: string; readonly ai?: string };
}

/** Resolves an AkashGpuPool's props (a plain copy): problems to `report`, warnings to `warn`; every bad value resolves to a fallback. */
export function resolveAkashGpuPool(p: AkashGpuPoolProps, wasmcloud: WasmCloudVersion | undefined, report: Report, warn: Report) {
const image = (field: string, ref: unknown) => resolveImage(report, warn, field, ref);
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
  const sizing = resolveGpuSizing(report, warn, p, memory.bytes);
  const mc = p.modelCache ?? {};
  if (mc.persistent === false) report("modelCache.persistent", "the model cache must be persistent: ephemeral storage cannot set a class (Akash), and a cache that vanishes on restart re-downloads the model");
  const cache = {
    size: bytes(report, "modelCache.size", mc.size, "500Gi", 5 * 2 ** 20, 32 * TI, "5Mi to 32Ti per volume"),
    class: storageClass(report, "modelCache.class", mc.class ?? "beta3"),
    mount: mount(report, "modelCache.mount", mc.mount ?? "/models"),
  };
  const volumes = (Array.isArray(p.volumes) ? p.volumes : p.volumes === undefined ? [] : (report("volumes", `must be a list, got ${show(p.volumes)}`), [])).map((v, i) => ({
    name: volumeName(report, `volumes[${i}].name`, v?.name),
    size: bytes(report, `volumes[${i}].size`, v?.size, "1Gi", 5 * 2 ** 20, 32 * TI, "5Mi to 32Ti per volume"),
    class: storageClass(report, `volumes[${i}].class`, v?.class ?? "beta3"),
    mount: mount(report, `volumes[${i}].mount`, v?.mount),
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
  const inferenceImage = image("inference.image", inf.image ?? AKASH_IMAGES.vllm);
  const env = envEntries(report, "inference.env", inf.env);
  if (p.public !== undefined && typeof p.public !== "boolean") report("public", `${show(p.public)} is not allowed: use true or false`);
  const host = wasmcloud === "v1" ? DEFAULT_IMAGES.wasmcloudV1 : DEFAULT_IMAGES.washHost;
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
    image: inferenceImage,
    env,
    public: p.public === true,
    placement: placement(report, p.placement),
    sizing,
    pricing: pricing(report, p.pricing),
    natsImage: image("images.nats", p.images?.nats ?? DEFAULT_IMAGES.nats),
    hostImage: image("images.host", p.images?.host ?? host),
    aiImage: image("images.ai", p.images?.ai ?? DEFAULT_NODE_IMAGE),
    maxInFlight: maxInFlight(report, inf.maxInFlight, asNumber(g.units, 1)),
  };
}

function maxInFlight(report: Report, v: unknown, units: number): number {
  if (v === undefined) return 8 * units;
  if (!(Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 4096)) report("inference.maxInFlight", `${show(v)} is not allowed: use 1 to 4096 requests`);
  return asNumber(v, 1);
}

function mount(report: Report, field: string, v: unknown): string {
  if (typeof v !== "string" || !/^\/[A-Za-z0-9._/-]*$/.test(v) || v === "/") report(field, `${show(v)} is not a mount path: use an absolute path like "/models"`);
  return asString(v);
}

function volumeName(report: Report, field: string, v: unknown): string {
  if (typeof v !== "string" || !/^[a-z][a-z0-9-]{0,30}$/.test(v)) report(field, `${show(v)} is not a volume name: use a lowercase name like "datasets"`);
  return asString(v);
}

/** An AkashGpuPool's props with every default filled. */
export type ResolvedAkashGpuPool = ReturnType<typeof resolveAkashGpuPool>;
