/**
 * Akash SDLs: every one passes chain-sdk's `generateManifest` and our check of Akash's Go parser
 * rules; bad pool and node props are refused naming the construct path and the prop.
 */
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { type AkashGpuPoolProps, type AkashNodeProps } from "../src/index.js";
import type { Sdl } from "../src/akash/sdl.js";
import { BLOCKS_PER_MONTH } from "../src/akash/cost.js";
import { sdlProblems } from "../src/validate/akash.js";
import { natsConfigTest, stageConfig } from "../src/validate/nats.js";
import { realBinary, SEED, tempDir, problemsOf } from "./helpers.js";
import { akashGrid } from "./fixtures/akash.js";
import { writeFileSync } from "node:fs";
import { join } from "node:path";

const sdls = (g: ReturnType<typeof akashGrid>) => g.synth({ masterSeed: SEED }).files.filter((f) => f.kind === "akash-sdl");

describe("Akash SDLs from the constructs", () => {
  const variants = {
    "H200 pool and a tLOS node on v2": () => akashGrid(),
    "v1 lattice, public pool, extra volume, pinned CA": () => akashGrid({ public: true, volumes: [{ name: "datasets", size: "100Gi", class: "beta2", mount: "/data" }] }, {}, "v1", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"),
    "any of several GPU models, PCIe, uakt": () => akashGrid({ gpu: { model: ["a100", "h100"], units: 2, interface: "pcie" }, inference: { model: "meta-llama/Llama-3.1-8B-Instruct", weights: { parameters: 8, precision: "bf16" } }, pricing: { denom: "uakt", amount: 50_000 }, count: 1 }, null),
  };
  for (const [name, make] of Object.entries(variants)) {
    it(`pass chain-sdk generateManifest and the Go rules: ${name}`, async () => {
      const files = sdls(make());
      expect(files.length).toBeGreaterThanOrEqual(2);
      for (const f of files) expect(await sdlProblems(f.content), f.path).toEqual([]);
    });
  }

  it("keeps the inference port inside the deployment unless public", () => {
    const priv = parse(sdls(akashGrid({}, null))[0]!.content) as Sdl;
    expect(JSON.stringify(priv.services["kimi-inference"]?.expose)).not.toContain("global");
    expect(priv.services["kimi-inference"]?.expose?.[0]?.to).toEqual([{ service: "kimi-ai" }, { service: "kimi-host" }]);
    const pub = parse(sdls(akashGrid({ public: true }, null))[0]!.content) as Sdl;
    expect(pub.services["kimi-inference"]?.expose?.[0]?.to).toContainEqual({ global: true });
    // the leaf only serves the pool's AI service and the host inside the deployment
    expect(priv.services["kimi-nats"]?.expose).toEqual([{ port: 4222, proto: "TCP", to: [{ service: "kimi-ai" }, { service: "kimi-host" }] }]);
    // the AI service exposes nothing
    expect(priv.services["kimi-ai"]?.expose).toBeUndefined();
  });

  it("lets a tLOS node's kernel reach its leaf (TLOS_NATS_URL), and nothing outside the deployment", () => {
    const node = parse(sdls(akashGrid()).find((f) => f.path === "lattice/akash/cloud-1/deploy.yaml")!.content) as Sdl;
    expect(node.services["cloud-1-kernel"]?.env).toContain("TLOS_NATS_URL=nats://cloud-1-nats:4222");
    expect(node.services["cloud-1-nats"]?.expose).toEqual([{ port: 4222, proto: "TCP", to: [{ service: "cloud-1-kernel" }, { service: "cloud-1-host" }] }]);
  });

  it("writes credentials only into the SDL under secrets/", () => {
    const files = sdls(akashGrid());
    const pub = files.find((f) => f.path === "lattice/akash/kimi/deploy.yaml")!;
    const sec = files.find((f) => f.path === "secrets/lattice/akash/kimi/deploy.yaml")!;
    expect(pub.secret).toBe(false);
    expect(sec.secret).toBe(true);
    expect(pub.content).toContain("NATS_CREDS_B64=<secret:leaf-creds>");
    const creds = /NATS_CREDS_B64=(\S+)/.exec(sec.content)?.[1] ?? "";
    expect(Buffer.from(creds, "base64").toString()).toContain("-----BEGIN NATS USER JWT-----");
    expect(pub.content).not.toMatch(/SU[A-Z2-7]{56}/);
  });

  it("states the worst-case monthly cost in the manifest and the SDL header", () => {
    const r = akashGrid().synth({ masterSeed: SEED });
    const pool = r.files.find((f) => f.path === "lattice/akash/kimi/deploy.yaml")!;
    expect(pool.cost).toMatchObject({ denom: "uact", amountPerBlock: 203_000, replicas: 2, blocksPerMonth: BLOCKS_PER_MONTH });
    expect(pool.cost!.maxMicroPerMonth).toBe(203_000 * BLOCKS_PER_MONTH * 2);
    expect(BLOCKS_PER_MONTH).toBe(Math.round((30.437 * 86400) / 6.174));
    expect(pool.content).toMatch(/Worst case: [\d.]+ ACT\/month \(203000 uact\/block × \d+ blocks × 2; akash-network\/console/);
  });

  it.skipIf(!realBinary("nats-server"))("embeds a leaf config that nats-server accepts", async () => {
    const sec = sdls(akashGrid()).find((f) => f.secret)!;
    const conf = Buffer.from(/NATS_CONFIG_B64=(\S+)/.exec(sec.content)![1]!, "base64").toString();
    expect(conf).toContain("server_name: $HOSTNAME");
    const dir = tempDir();
    const creds = join(dir, "leaf.creds");
    writeFileSync(creds, Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sec.content)![1]!, "base64").toString());
    // the leaf verifies the hubs with the lattice CA the SDL carries (the seed-derived one)
    expect(conf).toContain('ca_file: "/tmp/ca.pem"');
    writeFileSync(join(dir, "ca.pem"), Buffer.from(/NATS_CA_B64=(\S+)/.exec(sec.content)![1]!, "base64").toString());
    const staged = stageConfig(conf, join(dir, "stage"), { creds, tlsDir: dir });
    writeFileSync(join(dir, "n.conf"), staged);
    // Akash pods (Kubernetes) always set HOSTNAME; the leaf script also exports it
    const r = await natsConfigTest(realBinary("nats-server")!, join(dir, "n.conf"), { ...process.env, HOSTNAME: "kimi-nats-0" });
    expect(r.ok, r.output).toBe(true);
  });
});

const problems = problemsOf;

const POOL_BAD: [string, Partial<AkashGpuPoolProps>, string, RegExp][] = [
  ["25 GPUs (Go-only rule)", { gpu: { model: "h100", units: 25 } }, "gpu.units", /1 to 24 GPUs/],
  ["0 GPUs", { gpu: { model: "h100", units: 0 } }, "gpu.units", /1 to 24/],
  ["a GPU model with a space", { gpu: { model: "H100 SXM", units: 1 } }, "gpu.model", /not a GPU model slug/],
  ["GPU memory in GB", { gpu: { model: "h100", units: 1, ram: "80GB" } }, "gpu.ram", /not a GPU memory size/],
  ["GPU interface nvlink", { gpu: { model: "h100", units: 1, interface: "nvlink" as "sxm" } }, "gpu.interface", /"pcie" or "sxm"/],
  ["500 CPUs (Go-only rule)", { resources: { cpu: "500" } }, "resources.cpu", /10m to 384 CPUs/],
  ["CPU that is not a quantity", { resources: { cpu: "lots" } }, "resources.cpu", /not a CPU quantity/],
  ["3Ti memory (Go-only rule)", { resources: { memory: "3Ti" } }, "resources.memory", /1Mi to 2Ti/],
  ["memory without unit suffix nobody parses", { resources: { memory: "128GB" } }, "resources.memory", /not a memory quantity/],
  ["ephemeral storage below 5Mi", { resources: { ephemeralStorage: "1Mi" } }, "resources.ephemeralStorage", /5Mi to 32Ti/],
  ["60 replicas (tLOS ceiling: Go checks only group totals)", { count: 60 }, "count", /1 to 50 replicas/],
  ["0 replicas", { count: 0 }, "count", /1 to 50/],
  ["price 2e7 (Go-only rule)", { pricing: { denom: "uact", amount: 2e7 } }, "pricing.amount", /unit price limit of 10000000/],
  ["price 0 (Go-only rule)", { pricing: { denom: "uact", amount: 0 } }, "pricing.amount", /more than 0/],
  ["negative price", { pricing: { denom: "uakt", amount: -5 } }, "pricing.amount", /more than 0/],
  ["denom uusdc", { pricing: { denom: "uusdc" as "uakt", amount: 10 } }, "pricing.denom", /"uakt" or "uact"/],
  ["sidecar price 0", { pricing: { denom: "uakt", amount: 10, sidecarAmount: 0 } }, "pricing.sidecarAmount", /more than 0/],
  ["model cache not persistent (beta3 + persistent:false, Go-only rule)", { modelCache: { persistent: false } }, "modelCache.persistent", /must be persistent/],
  ["model cache class nvme (Go-only rule)", { modelCache: { class: "nvme" } }, "modelCache.class", /not an Akash storage class/],
  ["model cache in ram", { modelCache: { class: "ram" } }, "modelCache.class", /ram storage class cannot be persistent/],
  ["model cache over 32Ti", { modelCache: { size: "40Ti" } }, "modelCache.size", /5Mi to 32Ti/],
  ["relative model cache mount", { modelCache: { mount: "models" } }, "modelCache.mount", /absolute path/],
  ["duplicate volume names (Go-only rule)", { volumes: [{ name: "models", size: "1Gi", mount: "/x" }] }, "volumes[0].name", /already used by modelCache/],
  ["two volumes on one mount", { volumes: [{ name: "data", size: "1Gi", mount: "/models" }] }, "volumes[0].mount", /already used by modelCache.mount/],
  ["env 1BAD=x (Go-only rule)", { inference: { model: "m/x", env: { "1BAD": "x" } } }, "inference.env.1BAD", /not a valid environment variable name/],
  ["no model id", { inference: { model: "" } }, "inference.model", /not a model id/],
  [":latest inference image", { inference: { model: "m/x", image: "vllm/vllm-openai:latest" } }, "inference.image", /':latest', which is refused/],
  ["inference port out of range", { inference: { model: "m/x", port: 70000 } }, "inference.port", /1 to 65535/],
  ["inference on the leaf's port", { inference: { model: "m/x", port: 4222 } }, "inference.port", /NATS leaf's port/],
  ["auditor that is not an address", { placement: { signedBy: { anyOf: ["auditor-1"] } } }, "placement.signedBy.anyOf[0]", /not an Akash address/],
  ["empty attribute value", { placement: { attributes: { region: "" } } }, "placement.attributes.region", /provider attribute/],
  ["public that is not a boolean", { public: "yes" as unknown as boolean }, "public", /true or false/],
];

describe("bad AkashGpuPool props", () => {
  for (const [name, props, field, message] of POOL_BAD) {
    it(`refuses ${name} at [ak/lattice/kimi] ${field}`, () => {
      const p = problems(() => akashGrid(props, null).synth({ masterSeed: SEED }));
      expect(p.find((x) => x.startsWith(`[ak/lattice/kimi] ${field}: `)), p.join("\n")).toMatch(message);
    });
  }
  it("refuses a pool id that is not a DNS label (the SDL service name VLLM, Go-only rule)", async () => {
    const { AkashGpuPool, Grid, Lattice } = await import("../src/index.js");
    const { THREE_HUBS } = await import("./fixtures/grids.js");
    const { POOL } = await import("./fixtures/akash.js");
    const g = new Grid("ak");
    new AkashGpuPool(new Lattice(g, "lattice", { hubs: THREE_HUBS }), "VLLM", POOL);
    expect(problems(() => g.synth({ masterSeed: SEED }))).toContainEqual(expect.stringMatching(/^\[ak\/lattice\/VLLM\] id: "VLLM" is not a valid id/));
  });
});

const NODE_BAD: [string, Partial<AkashNodeProps> | undefined, string, RegExp][] = [
  ["no pricing", { pricing: undefined as unknown as AkashNodeProps["pricing"] }, "akash.pricing.denom", /"uakt" or "uact"/],
  ["kernel :latest", { kernel: { image: "ghcr.io/the-last-os/kernel:latest" } }, "akash.kernel.image", /refused/],
  ["kernel CPU over 384", { kernel: { cpu: 400 } }, "akash.kernel.cpu", /384 CPUs/],
  ["kernel env with a bad name", { kernel: { env: { "9LIVES": "x" } } }, "akash.kernel.env.9LIVES", /not a valid environment variable name/],
];

describe("bad TlosNode props on Akash", () => {
  for (const [name, props, field, message] of NODE_BAD) {
    it(`refuses ${name} at [ak/lattice/cloud-1] ${field}`, () => {
      const p = problems(() => akashGrid({}, props).synth({ masterSeed: SEED }));
      expect(p.find((x) => x.startsWith(`[ak/lattice/cloud-1] ${field}: `)), p.join("\n")).toMatch(message);
    });
  }
  it("counts at least 30 refused configurations, the Go-only rules among them (each also in akash-go-rules.test.ts)", () => {
    expect(POOL_BAD.length + NODE_BAD.length).toBeGreaterThanOrEqual(30);
    expect(POOL_BAD.filter(([n]) => n.includes("Go-only")).length).toBe(9);
  });
});
