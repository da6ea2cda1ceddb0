/**
 * Does a model fit its GPUs? The weights must load into `units × VRAM × utilisation` (vLLM's
 * `--gpu-memory-utilization`, default 0.9) with room left for the KV cache. Pure arithmetic on
 * facts: GPU memory from Akash's published GPU list, weight sizes told by the user or taken from
 * the few models named below.
 * @see https://docs.vllm.ai/en/latest/configuration/engine_args.html (--gpu-memory-utilization, default 0.9)
 */
import { AKASH_GPUS, type GpuInterface } from "./gpu-catalog.js";

export type Precision = "fp32" | "bf16" | "fp16" | "fp8" | "int8" | "int4";
/** Bytes per parameter of each precision. */
export const BYTES_PER_PARAM: Readonly<Record<Precision, number>> = { fp32: 4, bf16: 2, fp16: 2, fp8: 1, int8: 1, int4: 0.5 };

/**
 * Weight sizes of models whose size is on record. Kimi-K2-Thinking: 1T-parameter MoE released in
 * native INT4, ≈594 GB of weights (moonshotai/Kimi-K2-Thinking on Hugging Face, as reported in
 * this project's issue 13). Kimi-K2-Instruct: 1T parameters in block FP8 (its model card), so
 * ≈1 TB. Any other model: tell the pool with `inference.weights`.
 */
export const KNOWN_WEIGHTS: Readonly<Record<string, { readonly bytes: number; readonly precision: Precision }>> = {
  "moonshotai/Kimi-K2-Thinking": { bytes: 594e9, precision: "int4" },
  "moonshotai/Kimi-K2-Instruct": { bytes: 1e12, precision: "fp8" },
};

/** Share of the usable GPU memory kept free for the KV cache (and activations). */
export const KV_CACHE_SHARE = 0.1;
/** Tensor-parallel sizes vLLM/sglang serve: they must divide the attention heads (powers of two in practice). */
export const TP_SIZES: readonly number[] = [1, 2, 4, 8, 16];
export const DEFAULT_UTILISATION = 0.9;

const GIB = 2 ** 30;
const gib = (b: number) => `${(b / GIB).toFixed(1)} GiB`;

export interface GpuSet {
  readonly model: string;
  readonly iface: GpuInterface;
  readonly ramGi: number;
  readonly units: number;
}

export interface FitInput {
  /** The GPUs a provider may give: every listed model × its catalog sizes (or the stated ram). */
  readonly candidates: readonly GpuSet[];
  readonly weightsBytes: number;
  readonly precision: string;
  readonly utilisation: number;
  /** The interface the pool asks for: the smallest fitting set is searched among it. */
  readonly iface?: GpuInterface;
}

/** Bytes a set can give the weights while keeping the KV-cache share free. */
export function weightRoom(s: GpuSet, utilisation: number): number {
  return s.units * s.ramGi * GIB * utilisation * (1 - KV_CACHE_SHARE);
}

/** The smallest catalog set (fewest GPUs, then least total VRAM) whose room holds `bytes`. */
export function smallestFit(bytes: number, utilisation: number, only?: GpuInterface, maxUnits = 24): GpuSet | undefined {
  let best: GpuSet | undefined;
  for (const [model, ifaces] of Object.entries(AKASH_GPUS)) {
    for (const [iface, sizes] of Object.entries(ifaces) as [GpuInterface, readonly number[]][]) {
      if (only && iface !== only) continue;
      for (const ramGi of sizes) {
        const units = TP_SIZES.find((u) => u <= maxUnits && weightRoom({ model, iface, ramGi, units: u }, utilisation) >= bytes);
        if (units === undefined) continue;
        const s = { model, iface, ramGi, units };
        if (!best || units < best.units || (units === best.units && ramGi < best.ramGi)) best = s;
      }
    }
  }
  return best;
}

/** Why the weights do not fit the worst of the candidate sets, or undefined when they fit. */
export function fitProblem(i: FitInput): string | undefined {
  const worst = [...i.candidates].sort((a, b) => a.ramGi - b.ramGi)[0];
  if (!worst) return undefined;
  const room = weightRoom(worst, i.utilisation);
  if (i.weightsBytes <= room) return undefined;
  const total = worst.units * worst.ramGi * GIB * i.utilisation;
  const fit = smallestFit(i.weightsBytes, i.utilisation, i.iface) ?? smallestFit(i.weightsBytes, i.utilisation);
  const same = TP_SIZES.find((u) => weightRoom({ ...worst, units: u }, i.utilisation) >= i.weightsBytes && u <= 24);
  return (
    `the weights (${gib(i.weightsBytes)}, ${i.precision}) do not fit ${worst.units} × ${worst.model} ${worst.ramGi}Gi at utilisation ${i.utilisation}: ` +
    `${gib(total)} usable, of which ${Math.round(KV_CACHE_SHARE * 100)}% stays free for the KV cache, leaves ${gib(room)}. ` +
    (fit ? `The smallest GPU set that can load it: ${fit.units} × ${fit.model} ${fit.ramGi}Gi (${fit.iface})` : "No GPU set on Akash's list can load it") +
    (same && fit && !(same === fit.units && worst.model === fit.model) ? `; with ${worst.model} ${worst.ramGi}Gi: ${same} GPUs` : "") +
    "."
  );
}

/** The candidate sets of a pool's GPU props; unknown models are left out (reported elsewhere). */
export function candidates(models: readonly string[], units: number, iface: GpuInterface | undefined, ramGi: number | undefined): GpuSet[] {
  const out: GpuSet[] = [];
  for (const model of models) {
    const entry = AKASH_GPUS[model];
    if (!entry) continue;
    for (const [i, sizes] of Object.entries(entry) as [GpuInterface, readonly number[]][]) {
      if (iface && i !== iface) continue;
      for (const s of sizes) if (ramGi === undefined || s === ramGi) out.push({ model, iface: i, ramGi: s, units });
    }
  }
  return out;
}

/** `--gpu-memory-utilization` from the server args (`--flag v` or `--flag=v`), or the default. */
export function utilisationOf(args: readonly string[]): number | undefined {
  for (let k = 0; k < args.length; k++) {
    const a = args[k]!;
    const v = a === "--gpu-memory-utilization" ? args[k + 1] : a.startsWith("--gpu-memory-utilization=") ? a.slice(a.indexOf("=") + 1) : undefined;
    if (v !== undefined) {
      const n = Number(v);
      return Number.isFinite(n) && n > 0 && n <= 1 ? n : Number.NaN;
    }
  }
  return DEFAULT_UTILISATION;
}
