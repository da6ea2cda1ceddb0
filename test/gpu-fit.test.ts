/**
 * GPU pools sized by the facts: GPU models against Akash's published list, the model's weights
 * against `units × VRAM × utilisation` with room for the KV cache, `/dev/shm` for tensor
 * parallelism, audited providers by default.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { AKASH_GPUS } from "../src/akash/gpu-catalog.js";
import { smallestFit } from "../src/akash/gpu-fit.js";
import type { Sdl, SdlStorage } from "../src/akash/sdl.js";
import { AKASH_AUDITOR } from "../src/constructs/akash-gpu-sizing.js";
import type { AkashGpuPoolProps } from "../src/index.js";
import { akashGrid } from "./fixtures/akash.js";
import { problemsOf, SEED } from "./helpers.js";
import { loadGrid } from "../src/cli/load.js";

const poolSdl = (props: Partial<AkashGpuPoolProps>) => parse(akashGrid(props, null).synth({ masterSeed: SEED }).files.find((f) => f.path === "lattice/akash/kimi/deploy.yaml")!.content) as Sdl;
const storage = (s: Sdl) => s.profiles.compute["kimi-inference"]!.resources.storage as SdlStorage[];
const H100_KIMI: Partial<AkashGpuPoolProps> = { gpu: { model: "h100", ram: "80Gi", interface: "sxm", units: 8 }, inference: { model: "moonshotai/Kimi-K2-Thinking", args: ["--gpu-memory-utilization", "0.92"] } };

describe("Akash's GPU list (provider-configs snapshot)", () => {
  it("the catalog is exactly the vendored gpus.json", () => {
    const raw = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "provider-configs-gpus.json"), "utf8")) as Record<string, { name: string; devices: Record<string, { name: string; interface: string; memory_size: string }> }>;
    const want: Record<string, Record<string, number[]>> = {};
    for (const d of Object.values(raw["10de"]!.devices)) {
      const i = d.interface.toLowerCase().startsWith("sxm") ? "sxm" : "pcie";
      const e = (want[d.name] ??= {});
      const l = (e[i] ??= []);
      if (!l.includes(Number.parseInt(d.memory_size, 10))) l.push(Number.parseInt(d.memory_size, 10));
    }
    for (const e of Object.values(want)) for (const l of Object.values(e)) l.sort((a, b) => a - b);
    expect(JSON.parse(JSON.stringify(AKASH_GPUS))).toEqual(want);
    expect(AKASH_GPUS["h200"]).toEqual({ sxm: [141] });
  });

  it("refuses a GPU model typo, naming the slug meant", () => {
    const p = problemsOf(() => akashGrid({ gpu: { model: "h-100", units: 1 } }, null).synth({ masterSeed: SEED }));
    expect(p.join("\n")).toMatch(/\[ak\/lattice\/kimi\] gpu.model: "h-100" is not on Akash's GPU list .*did you mean "h100"\?/);
  });

  it("names the bad entry of a GPU list by index, not the whole list", () => {
    const p = problemsOf(() => akashGrid({ gpu: { model: ["h100", "h2000"], units: 1 }, inference: { model: "m/x", weights: { size: "10Gi" } } }, null).synth({ masterSeed: SEED }));
    expect(p.join("\n")).toMatch(/gpu.model\[1\]: "h2000" is not on Akash's GPU list/);
    expect(p.join("\n")).not.toMatch(/\["h100","h2000"\]/);
  });

  it("refuses a model/interface/ram no provider lists", () => {
    expect(problemsOf(() => akashGrid({ gpu: { model: "h200", interface: "pcie", units: 8 } }, null).synth({ masterSeed: SEED })).join("\n")).toMatch(/no provider lists h200 with interface pcie/);
    expect(problemsOf(() => akashGrid({ gpu: { model: "h100", ram: "40Gi", units: 8 }, inference: { model: "m/x", weights: { size: "10Gi" } } }, null).synth({ masterSeed: SEED })).join("\n")).toMatch(/no provider lists h100 with 40Gi/);
  });
});

describe("weights against GPU memory", () => {
  it("refuses Kimi-K2-Thinking (INT4, ≈594 GB) on 8 × H100 80Gi at 0.92, naming the smallest SXM set that fits", () => {
    const p = problemsOf(() => akashGrid(H100_KIMI, null).synth({ masterSeed: SEED })).join("\n");
    expect(p).toMatch(/gpu.units: the weights \(553.2 GiB, int4\) do not fit 8 × h100 80Gi at utilisation 0.92: 588.8 GiB usable/);
    expect(p).toMatch(/The smallest GPU set that can load it: 8 × h200 141Gi \(sxm\); with h100 80Gi: 16 GPUs\./);
  });

  it("accepts it on 8 × H200 141Gi, and a told size or parameter count", () => {
    expect(() => akashGrid({ ...H100_KIMI, gpu: { model: "h200", units: 8 } }, null).synth({ masterSeed: SEED })).not.toThrow();
    expect(() => akashGrid({ gpu: { model: "h100", units: 4 }, inference: { model: "meta-llama/Llama-3.3-70B-Instruct", weights: { parameters: 70, precision: "bf16" } } }, null).synth({ masterSeed: SEED })).not.toThrow();
    const p = problemsOf(() => akashGrid({ gpu: { model: "h100", units: 1 }, inference: { model: "meta-llama/Llama-3.3-70B-Instruct", weights: { parameters: 70, precision: "bf16" } } }, null).synth({ masterSeed: SEED })).join("\n");
    expect(p).toMatch(/do not fit 1 × h100 80Gi .* The smallest GPU set that can load it: 2 × /);
  });

  it("warns when the weights are unknown, refuses weights it cannot size", () => {
    const r = akashGrid({ gpu: { model: "h100", units: 1 }, inference: { model: "someone/unknown-model" } }, null).synth({ masterSeed: SEED });
    expect(r.warnings.map((w) => `${w.field}: ${w.message}`).join("\n")).toMatch(/inference.weights: the size of "someone\/unknown-model"'s weights is not known/);
    expect(problemsOf(() => akashGrid({ inference: { model: "m/x", weights: { parameters: 70 } } }, null).synth({ masterSeed: SEED })).join("\n")).toMatch(/inference.weights.precision: parameters need a precision/);
    expect(problemsOf(() => akashGrid({ inference: { model: "m/x", args: ["--gpu-memory-utilization", "1.5"] } }, null).synth({ masterSeed: SEED })).join("\n")).toMatch(/--gpu-memory-utilization must be a number above 0 and at most 1/);
  });

  it("the smallest fit is the fewest GPUs, then the least VRAM", () => {
    expect(smallestFit(10 * 2 ** 30, 0.9)).toMatchObject({ units: 1, ramGi: 16 });
    expect(smallestFit(594e9, 0.92)).toMatchObject({ units: 8, ramGi: 96 });
    const big = smallestFit(594e9, 0.92, "sxm")!;
    expect(`${big.units} × ${big.model}`).toBe("8 × h200");
  });
});

describe("/dev/shm and audited providers", () => {
  it("a tensor-parallel pool gets a RAM volume at /dev/shm; one GPU gets none", () => {
    const tp = poolSdl({});
    expect(storage(tp)).toContainEqual({ name: "shm", size: "32Gi", attributes: { persistent: false, class: "ram" } });
    expect(tp.services["kimi-inference"]!.params!.storage!["shm"]).toEqual({ mount: "/dev/shm" });
    const one = poolSdl({ gpu: { model: "h200", units: 1 }, inference: { model: "m/x", weights: { size: "20Gi" } } });
    expect(storage(one).map((v) => v.name)).not.toContain("shm");
    expect(storage(poolSdl({ shm: "64Gi" }))).toContainEqual({ name: "shm", size: "64Gi", attributes: { persistent: false, class: "ram" } });
  });

  it("refuses a /dev/shm larger than the service's memory", () => {
    expect(problemsOf(() => akashGrid({ shm: "2Ti", resources: { memory: "1Ti" } }, null).synth({ masterSeed: SEED })).join("\n")).toMatch(/\] shm: "2Ti" of \/dev\/shm does not fit in resources.memory/);
  });

  it("requires Akash's auditor by default; names other auditors or opts out when told", () => {
    const noSigned = { placement: { attributes: { region: "us-west" } } };
    expect(poolSdl(noSigned).profiles.placement["kimi"]!.signedBy).toEqual({ anyOf: [AKASH_AUDITOR] });
    expect(poolSdl({ ...noSigned, audited: false }).profiles.placement["kimi"]!.signedBy).toBeUndefined();
    const other = "akash18qa2a2ltfyvkyj0ggj3hkvuj6twzyumuaru9s4";
    expect(poolSdl({ placement: { signedBy: { allOf: [other] } } }).profiles.placement["kimi"]!.signedBy).toEqual({ allOf: [other] });
  });

  it("the full-grid example's pool fits its model, with /dev/shm and an auditor", async () => {
    const grid = await loadGrid(join(import.meta.dirname, "..", "examples", "full-grid", "grid.ts"));
    const r = grid.synth({ masterSeed: SEED });
    const sdl = parse(r.files.find((f) => f.path === "lattice/akash/kimi/deploy.yaml")!.content) as Sdl;
    expect(sdl.profiles.compute["kimi-inference"]!.resources.gpu).toMatchObject({ units: 8, attributes: { vendor: { nvidia: [{ model: "h200", ram: "141Gi", interface: "sxm" }] } } });
    expect(storage(sdl)).toContainEqual({ name: "shm", size: "32Gi", attributes: { persistent: false, class: "ram" } });
    expect(sdl.profiles.placement["kimi"]!.signedBy).toEqual({ anyOf: [AKASH_AUDITOR] });
    expect(r.warnings.filter((w) => w.path.endsWith("/kimi") && /^(gpu|inference|shm)/.test(w.field))).toEqual([]);
  });
});
