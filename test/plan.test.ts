/**
 * The bring-up plan (`PLAN.md`, `tlos plan`): for both examples it names every machine and every
 * step, in the order a bring-up follows (hubs, lattice-init/claims push, nodes, other hosts,
 * Kubernetes, Akash, Cloudflare, backup), and every file a step names exists in the output.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Grid } from "../src/index.js";
import { writeOutput } from "../src/index.js";
import { SEED, tempDir } from "./helpers.js";

const ROOT = new URL("..", import.meta.url).pathname;
const EXAMPLES = { "home-node": () => import("../examples/home-node/grid.js"), "full-grid": () => import("../examples/full-grid/grid.js") };

async function out(name: keyof typeof EXAMPLES): Promise<string> {
  vi.resetModules();
  const grid = (await EXAMPLES[name]()).default as Grid;
  const dir = join(tempDir("tlos-plan-"), name);
  writeOutput(grid.synth({ masterSeed: SEED }), dir);
  return dir;
}

interface Step { n: number; machine: string; title: string; body: string }
function steps(plan: string): Step[] {
  return [...plan.matchAll(/^## (\d+)\. ([^:]+): (.*)\n([\s\S]*?)(?=^## |(?![\s\S]))/gm)].map((m) => ({ n: Number(m[1]), machine: m[2]!, title: m[3]!, body: m[4]! }));
}
const index = (s: Step[], f: (x: Step) => boolean) => s.findIndex(f);

describe("PLAN.md", () => {
  it("home-node: the three hubs, then claims push from the operator, then the node", async () => {
    const dir = await out("home-node");
    const s = steps(readFileSync(join(dir, "PLAN.md"), "utf8"));
    expect(s.map((x) => `${x.machine}: ${x.title.split(" (")[0]}`)).toEqual([
      "hub-1: install the bundle of hub-1",
      "hub-2: install the bundle of hub-2",
      "hub-3: install the bundle of hub-3",
      "operator: claims push for lattice tlos",
      "home-1: install the bundle of home-1",
    ]);
    expect(s[0]!.body).toContain("scp -r hosts/hub-1 hub-1.grid.example.net:tlos-bundle");
    expect(s[0]!.body).toContain("bash ~/tlos-bundle/install.sh");
    expect(s.every((x) => /\nCheck: \S/.test(x.body))).toBe(true);
  });

  it("full-grid: every machine and every kind of step, in bring-up order, naming only files that exist", async () => {
    const dir = await out("full-grid");
    const plan = readFileSync(join(dir, "PLAN.md"), "utf8");
    const s = steps(plan);
    const hosts = spawnSync("ls", [join(dir, "hosts")], { encoding: "utf8" }).stdout.trim().split("\n");
    for (const h of hosts) expect(s.some((x) => x.machine === h && x.title.startsWith("install the bundle")), h).toBe(true);
    const at = {
      hubs: Math.max(...["hub-1", "hub-2", "hub-3", "legacy-hub-1", "legacy-hub-2", "legacy-hub-3"].map((h) => index(s, (x) => x.machine === h && x.title.startsWith("install")))),
      init: index(s, (x) => x.title === "lattice-init and claims push for lattice legacy"),
      push: index(s, (x) => x.title === "claims push for lattice tlos"),
      firstNode: Math.min(...["home-1", "home-2", "edge-1", "legacy-home-1", "legacy-edge-1"].map((h) => index(s, (x) => x.machine === h))),
      relay: index(s, (x) => x.machine === "relay-1"),
      k8s: index(s, (x) => x.title === "Kubernetes cluster tlos/lattice/k8s"),
      akash: Math.min(index(s, (x) => x.title === "Akash deployment tlos/lattice/kimi"), index(s, (x) => x.title === "Akash deployment tlos/lattice/cloud-1")),
      cloudflare: index(s, (x) => x.title.startsWith("Cloudflare R2 bucket")),
      backup: index(s, (x) => x.title.startsWith("backup nightly")),
    };
    for (const [k, v] of Object.entries(at)) expect(v, k).toBeGreaterThanOrEqual(0);
    expect(at.hubs).toBeLessThan(Math.min(at.init, at.push));
    expect(Math.max(at.init, at.push)).toBeLessThan(at.firstNode);
    expect(at.firstNode).toBeLessThan(at.relay);
    expect(at.relay).toBeLessThan(at.k8s);
    expect(at.k8s).toBeLessThan(at.akash);
    expect(at.akash).toBeLessThan(at.cloudflare);
    expect(at.cloudflare).toBeLessThan(at.backup);
    expect(s[at.backup]!.machine).toBe("hub-1");
    // every output path a step names is in the output (placeholders in <…> aside)
    // (files the user supplies — a TURN certificate, the bucket's S3 keys — are named but not emitted)
    const named = plan.replace(/files you supply first or later[^;]*;/g, "").replace(/^pulumi stack output .*$/gm, "");
    const paths = [...named.matchAll(/(?:^|\s)((?:hosts|secrets|lattice|legacy)\/[\w./-]+)/gm)].map((m) => m[1]!.replace(/\/$/, ""));
    expect(paths.length).toBeGreaterThan(10);
    for (const p of paths.filter((x) => !/s3-$/.test(x))) expect(existsSync(join(dir, p)), p).toBe(true);
  });

  it("tlos plan prints it and tlos synth prints its first step", async () => {
    const dir = join(tempDir("tlos-plan-cli-"), "out");
    const env = { ...process.env, TLOS_MASTER_SEED: "0f".repeat(32) };
    const synth = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "synth", join(ROOT, "examples/home-node/grid.ts"), "--out", dir], { encoding: "utf8", env, cwd: ROOT, timeout: 60_000 });
    expect(synth.status, synth.stderr).toBe(0);
    expect(synth.stdout).toMatch(/next: the bring-up plan is in .*PLAN\.md \(tlos plan\); its first step:\n {2}1\. hub-1: install the bundle of hub-1/);
    expect(synth.stdout).toContain("scp -r hosts/hub-1 hub-1.grid.example.net:tlos-bundle");
    const plan = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "plan", dir], { encoding: "utf8", timeout: 30_000 });
    expect(plan.status, plan.stderr).toBe(0);
    expect(plan.stdout).toBe(readFileSync(join(dir, "PLAN.md"), "utf8"));
    const missing = spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), "plan", join(dir, "nope")], { encoding: "utf8", timeout: 30_000 });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/^error: .*PLAN\.md does not exist: run tlos synth/);
  });
});
