/**
 * Sizing checks of an {@link AkashGpuPool}: GPU models against Akash's published list, the
 * model's weights against the GPUs' memory, the `/dev/shm` RAM volume of tensor-parallel pools,
 * and audited providers by default.
 */
import { show } from "../core/errors.js";
import { Memory } from "../core/quantity.js";
import { didYouMean } from "../core/suggest.js";
import { AKASH_GPUS, type GpuInterface } from "../akash/gpu-catalog.js";
import { BYTES_PER_PARAM, candidates, fitProblem, KNOWN_WEIGHTS, utilisationOf, type Precision } from "../akash/gpu-fit.js";
import type { Report } from "./akash-checks.js";

/**
 * The auditor whose signature the community's templates require ("Keep this section to deploy on
 * trusted providers": 53 of the 155 awesome-akash SDLs in test/fixtures/akash-corpus, and
 * chain-sdk's own testdata/sdl/input/v2.0/gpu-basic/input.yaml).
 */
export const AKASH_AUDITOR = "akash1365yvmc4s7awdyj3n2sav7xfx76adc6dnmlx63";
export const DEFAULT_SHM = "32Gi";

export interface GpuSizing {
  /** Bytes of the `/dev/shm` RAM volume, or 0 for none. */
  readonly shmBytes: number;
  /** The same as a size string for the SDL. */
  readonly shmSize: string;
  /** The auditors to require when the props name none. */
  readonly defaultAnyOf: readonly string[];
}

/** What the sizing reads of an AkashGpuPool's props (`AkashGpuPoolProps` is one). */
export interface GpuSizingProps {
  readonly gpu?: { readonly model?: unknown; readonly ram?: unknown; readonly interface?: unknown; readonly units?: unknown };
  readonly inference?: { readonly model?: unknown; readonly args?: unknown; readonly weights?: WeightsProps };
  readonly shm?: string;
  readonly audited?: unknown;
}

interface WeightsProps {
  readonly size?: string;
  readonly parameters?: number;
  readonly precision?: string;
}

/** Checks the GPU list, the fit of the weights and the shm volume; reports on the pool's props. */
export function resolveGpuSizing(report: Report, warn: Report, p: GpuSizingProps, memoryBytes: number): GpuSizing {
  const g = p.gpu ?? {};
  const models = (Array.isArray(g.model) ? g.model : [g.model]).filter((m): m is string => typeof m === "string");
  const iface = g.interface === "pcie" || g.interface === "sxm" ? (g.interface as GpuInterface) : undefined;
  const ramGi = typeof g.ram === "string" && /^\d+Gi$/.test(g.ram) ? Number.parseInt(g.ram, 10) : undefined;
  const many = Array.isArray(g.model);
  models.forEach((m, i) => {
    const at = many ? `gpu.model[${i}]` : "gpu.model";
    const entry = AKASH_GPUS[m];
    if (!entry) return report(at, `${show(m)} is not on Akash's GPU list (akash-network/provider-configs), so no provider would bid${didYouMean(m, Object.keys(AKASH_GPUS))}`);
    if (iface && !entry[iface]) report(at, `no provider lists ${m} with interface ${iface}: Akash's GPU list has ${m} as ${Object.keys(entry).join(" or ")}`);
    else if (ramGi !== undefined && !Object.entries(entry).some(([k, sizes]) => (!iface || k === iface) && sizes.includes(ramGi))) report("gpu.ram", `no provider lists ${m} with ${ramGi}Gi: Akash's GPU list has ${[...new Set(Object.values(entry).flat())].map((x) => `${x}Gi`).join(", ")}`);
  });
  const units = Number.isInteger(g.units) ? (g.units as number) : 1;
  const inf = p.inference ?? {};
  const weights = weightBytes(report, inf);
  const util = utilisationOf((Array.isArray(inf.args) ? inf.args : []).filter((a): a is string => typeof a === "string"));
  if (util === undefined || Number.isNaN(util)) report("inference.args", "--gpu-memory-utilization must be a number above 0 and at most 1");
  else if (weights === undefined) warn("inference.weights", `the size of ${show(inf.model)}'s weights is not known, so whether it fits ${units} GPU(s) is unchecked: set inference.weights ({ size } or { parameters, precision })`);
  else {
    const why = fitProblem({ candidates: candidates(models, units, iface, ramGi), weightsBytes: weights.bytes, precision: weights.precision, utilisation: util, ...(iface ? { iface } : {}) });
    if (why) report("gpu.units", why);
  }
  let shmBytes = 0;
  let shmSize = "";
  if (p.shm !== undefined || units > 1) {
    try {
      const m = Memory.parse(p.shm ?? DEFAULT_SHM);
      shmBytes = m.bytes;
      shmSize = m.toString();
      if (shmBytes >= memoryBytes) report("shm", `${show(p.shm ?? DEFAULT_SHM)} of /dev/shm does not fit in resources.memory: a RAM volume counts against the service's memory`);
    } catch (e) {
      report("shm", (e as Error).message);
    }
  }
  if (p.audited !== undefined && typeof p.audited !== "boolean") report("audited", `${show(p.audited)} is not allowed: use true or false`);
  return { shmBytes, shmSize, defaultAnyOf: p.audited === false ? [] : [AKASH_AUDITOR] };
}

function weightBytes(report: Report, inf: NonNullable<GpuSizingProps["inference"]>): { bytes: number; precision: string } | undefined {
  const w = inf.weights;
  if (w === undefined) {
    const known = typeof inf.model === "string" ? KNOWN_WEIGHTS[inf.model] : undefined;
    return known ? { bytes: known.bytes, precision: known.precision } : undefined;
  }
  const precision = w.precision;
  if (precision !== undefined && !(precision in BYTES_PER_PARAM)) report("inference.weights.precision", `${show(precision)} is not a precision: use ${Object.keys(BYTES_PER_PARAM).join(", ")}`);
  if (w.size !== undefined) {
    try {
      return { bytes: Memory.parse(w.size).bytes, precision: precision ?? "as stored" };
    } catch (e) {
      report("inference.weights.size", (e as Error).message);
      return undefined;
    }
  }
  if (typeof w.parameters !== "number" || !Number.isFinite(w.parameters) || w.parameters <= 0) {
    report("inference.weights", `give size (e.g. "594G") or parameters (billions, > 0) with a precision, got ${show(w)}`);
    return undefined;
  }
  if (precision === undefined) {
    report("inference.weights.precision", `parameters need a precision to size the weights: use ${Object.keys(BYTES_PER_PARAM).join(", ")}`);
    return undefined;
  }
  return { bytes: w.parameters * 1e9 * (BYTES_PER_PARAM[precision as Precision] ?? 2), precision };
}
