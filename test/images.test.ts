/**
 * `tlos images`: every image of a synth output with its pin state and the skopeo command, and
 * `--pin` moving the program's image literals to given digests (idempotently; bad lines refused).
 */
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Grid } from "../src/index.js";
import { writeOutput } from "../src/index.js";
import { SEED, tempDir } from "./helpers.js";

const ROOT = new URL("..", import.meta.url).pathname;
const tlos = (...args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), ...args], { encoding: "utf8", timeout: 30_000 });
const D1 = `sha256:${"1".repeat(64)}`;
const D2 = `sha256:${"2".repeat(64)}`;

describe("tlos images", () => {
  it("lists every image of the full grid, pinned or tag only, and how to resolve a digest", async () => {
    vi.resetModules();
    const grid = (await import("../examples/full-grid/grid.js")).default as Grid;
    const dir = join(tempDir("tlos-images-"), "out");
    writeOutput(grid.synth({ masterSeed: SEED }), dir);
    const r = tlos("images", dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/pinned {3}docker\.io\/library\/nats:2\.11\.16-alpine@sha256:4716/);
    expect(r.stdout).toMatch(/TAG ONLY ghcr\.io\/wasmcloud\/wash:2\.7\.0 /);
    expect(r.stdout).toMatch(/TAG ONLY docker\.io\/coturn\/coturn:4\.6\.3 /);
    expect(r.stdout).toMatch(/pinned {3}docker\.io\/vllm\/vllm-openai:v0\.10\.2@sha256:/);
    expect(r.stdout).toContain(`skopeo inspect --format '{{.Digest}}' "docker://$i"`);
    const refs = tlos("images", dir, "--refs").stdout.trim().split("\n");
    expect(refs).toContain("ghcr.io/wasmcloud/wash:2.7.0");
    expect(refs).toContain("docker.io/library/nats:2.11.16-alpine");
    expect(refs.every((x) => !x.includes("@"))).toBe(true);
  });

  it("--pin rewrites the program's literals, a second run changes nothing, a bad line is refused", async () => {
    vi.resetModules();
    const grid = (await import("../examples/home-node/grid.js")).default as Grid;
    const root = tempDir("tlos-pin-");
    const dir = join(root, "out");
    writeOutput(grid.synth({ masterSeed: SEED }), dir);
    const program = join(root, "grid.ts");
    writeFileSync(program, `new TlosNode(l, "a", { images: { host: "ghcr.io/wasmcloud/wash:2.7.0", nats: 'docker.io/library/nats:2.11.16-alpine@${D2}' } });\n`);
    const pins = join(root, "digests.txt");
    writeFileSync(pins, `# from skopeo\nghcr.io/wasmcloud/wash:2.7.0 ${D1}\ndocker.io/library/nats:2.11.16-alpine ${D1}\nghcr.io/wasmcloud/wadm:0.21.1 ${D1}\n`);
    const r = tlos("images", dir, "--pin", pins, "--program", program);
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(program, "utf8")).toBe(`new TlosNode(l, "a", { images: { host: "ghcr.io/wasmcloud/wash:2.7.0@${D1}", nats: 'docker.io/library/nats:2.11.16-alpine@${D1}' } });\n`);
    expect(r.stdout).toMatch(/pinned: ghcr\.io\/wasmcloud\/wash:2\.7\.0@sha256:1{64} \(1 place\(s\)\)/);
    expect(r.stdout).toMatch(/not in .*grid\.ts: ghcr\.io\/wasmcloud\/wadm:0\.21\.1 — it is a default; set it on the construct's images prop/);
    expect(r.stdout).toMatch(/rewrote .*synthesize again/);
    const again = tlos("images", dir, "--pin", pins, "--program", program);
    expect(again.stdout).toMatch(/nothing changed\n$/);
    writeFileSync(pins, "ghcr.io/wasmcloud/wash:2.7.0 sha256:abc\n");
    const bad = tlos("images", dir, "--pin", pins, "--program", program);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^error: .*digests\.txt has 1 bad line\(s\):; "ghcr\.io\/wasmcloud\/wash:2\.7\.0 sha256:abc": use/);
  });
});
