/**
 * Secret env values of Akash services: `{ secret: "…" }` lands only under `secrets/`, never in a
 * non-secret file, `manifest.json`, `tlos diff` or a non-secret Pulumi output (Pulumi under
 * `setMocks`: its engine cannot run here); a well-known credential name as a plain string is refused.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { AkashGpuPool, Grid, Lattice, TlosNode, writeOutput } from "../src/index.js";
import { diffMarkdown } from "../src/synth/diff.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { problemsOf, SEED, tempDir } from "./helpers.js";

const TOKEN = "hf_SuperSecretToken0123456789";
const KEY = "sk-kernel-key-9876543210";

function grid(token = TOKEN, plain?: Record<string, string>): Grid {
  const g = new Grid("s");
  const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
  new AkashGpuPool(l, "gpu", { gpu: { model: "h100", units: 1 }, inference: { model: "org/m", env: { HF_TOKEN: { secret: token }, VLLM_LOGGING_LEVEL: "INFO", ...(plain ?? {}) } }, pricing: { denom: "uakt", amount: 100 } });
  new TlosNode(l, "edge", { target: "akash", akash: { pricing: { denom: "uakt", amount: 100 }, kernel: { env: { OPENAI_API_KEY: { secret: KEY } } } } });
  return g;
}

const walk = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));

describe("secret env values", () => {
  it("go only into the deployable SDLs under secrets/; the reviewable ones hold a placeholder", () => {
    const files = grid().synth({ masterSeed: SEED }).files;
    const holding = files.filter((f) => f.content.includes(TOKEN) || f.content.includes(KEY)).map((f) => [f.path, f.secret]);
    expect(holding).toEqual([["secrets/lattice/akash/edge/deploy.yaml", true], ["secrets/lattice/akash/gpu/deploy.yaml", true]]);
    const review = files.find((f) => f.path === "lattice/akash/gpu/deploy.yaml")!.content;
    expect(review).toContain("HF_TOKEN=<secret:env:HF_TOKEN>");
    expect(review).toContain("VLLM_LOGGING_LEVEL=INFO");
    expect(files.find((f) => f.path === "lattice/akash/edge/deploy.yaml")!.content).toContain("OPENAI_API_KEY=<secret:env:OPENAI_API_KEY>");
    expect(files.find((f) => f.path === "secrets/lattice/akash/gpu/deploy.yaml")!.content).toContain(`HF_TOKEN=${TOKEN}`);
  });

  it("never appear in the written non-secret files or manifest.json; tlos diff shows the change as a changed secret file only", () => {
    const a = tempDir("tlos-senv-a-"), b = tempDir("tlos-senv-b-");
    writeOutput(grid().synth({ masterSeed: SEED }), a);
    writeOutput(grid("hf_RotatedToken_abcdefghijkl").synth({ masterSeed: SEED }), b);
    for (const f of walk(b)) {
      const rel = f.slice(b.length + 1);
      if (!rel.startsWith("secrets/")) expect([rel, readFileSync(f, "utf8").includes("hf_RotatedToken")]).toEqual([rel, false]);
    }
    expect(readFileSync(join(b, "manifest.json"), "utf8")).not.toContain("hf_");
    const md = diffMarkdown(a, b);
    expect(md).not.toContain("hf_");
    expect(md).toContain("~ <code>secrets/lattice/akash/gpu/deploy.yaml</code> (secret)");
    expect(md).toMatch(/\*\*1 changed, 0 added, 0 removed\*\*/);
    expect(md).toContain("Secret material changed; its content is not shown.");
  });

  it("refuses a credential-looking name given as a plain string, saying how to mark it", () => {
    const p = problemsOf(() => grid(TOKEN, { AWS_SECRET_ACCESS_KEY: "plain", DB_PASSWORD: "hunter2", GITHUB_TOKEN: "ghp_x" }).synth({ masterSeed: SEED }));
    for (const n of ["AWS_SECRET_ACCESS_KEY", "DB_PASSWORD", "GITHUB_TOKEN"]) {
      expect(p).toContainEqual(`[s/lattice/gpu] inference.env.${n}: ${n} looks like a credential and would be written in plain text into the reviewable SDL and tlos diff: mark it secret, ${n}: { secret: process.env.${n} }, so it goes only under secrets/ (and to Pulumi as a secret)`);
    }
    expect(problemsOf(() => grid("").synth({ masterSeed: SEED })).join("\n")).toMatch(/inference\.env\.HF_TOKEN: "\{ secret: … \}" is not a string or \{ secret: "<non-empty value>" \}/);
  });
});

describe("secret env values in Pulumi", () => {
  const value = <T>(o: pulumi.Output<T>) => new Promise<T>((r) => o.apply(r));
  let mod: typeof import("../src/pulumi/index.js");
  beforeAll(async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs }, "tlos", "test", false);
    pulumi.runtime.setAllConfig({ "tlos:masterSeed": "b0658a911edb05b32f5aae65b7cdddd93a428eec4ce74d2baf4edc0fec538e7c" }, ["tlos:masterSeed"]);
    mod = await import("../src/pulumi/index.js");
  });

  it("are only in secret outputs", async () => {
    const g = new mod.TlosGrid("senv", { grid: grid() });
    const pool = g.components["s/lattice/gpu"]!;
    expect(JSON.stringify(await value(pool.files))).not.toContain(TOKEN);
    expect(await pulumi.isSecret(pool.files)).toBe(false);
    expect(JSON.stringify(await value(pool.secretFiles))).toContain(TOKEN);
    expect(await pulumi.isSecret(pool.secretFiles)).toBe(true);
    expect(await value(g.manifest)).not.toContain(TOKEN);
  });
});
