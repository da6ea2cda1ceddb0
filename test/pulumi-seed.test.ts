/**
 * The master seed of a Pulumi program, under `pulumi.runtime.setMocks` (the Pulumi engine and CLI
 * cannot run here, so the engine is mocked; the SDK is real): a low-entropy, malformed or missing
 * `tlos:masterSeed` is one clear problem before anything registers — never an unhandled rejection
 * (vitest fails a run on one) — and the message never repeats the seed.
 */
import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { smallGrid } from "./fixtures/grids.js";

async function mocked(config: Record<string, string>) {
  const registered: pulumi.runtime.MockResourceArgs[] = [];
  await pulumi.runtime.setMocks({ newResource: (a) => { registered.push(a); return { id: `${a.name}-id`, state: a.inputs }; }, call: (a) => a.inputs }, "tlos", "test", false);
  pulumi.runtime.setAllConfig(config, Object.keys(config).filter((k) => k === "tlos:masterSeed"));
  return { registered, mod: await import("../src/pulumi/index.js") };
}

afterEach(() => pulumi.runtime.disconnect());

const LOW = "00".repeat(32);
const PATTERN = "deadbeef".repeat(8);

describe("tlos:masterSeed", () => {
  it("refuses a low-entropy seed before registering, with every other problem, without printing it", async () => {
    const { registered, mod } = await mocked({ "tlos:masterSeed": PATTERN, "tlos:deploy": JSON.stringify(["hosts", "moon"]) });
    let err: Error | undefined;
    try {
      new mod.TlosGrid("g", { grid: smallGrid() });
    } catch (e) {
      err = e as Error;
    }
    expect(err?.message).toMatch(/\[test\] tlos:masterSeed: is refused: the master seed has low entropy \(it repeats a 4-byte pattern\): make one with `openssl rand -hex 32`; set a new one with `pulumi config set --secret tlos:masterSeed/);
    expect(err?.message).toMatch(/\[test\] tlos:deploy: "moon" is not a target/);
    expect(err?.message).not.toContain("deadbeef");
    expect(err?.message).not.toContain("--insecure-test-seed");
    expect(registered.filter((r) => r.type !== "tlos:index:Grid")).toEqual([]);
  });

  it("refuses an all-zero seed passed as an arg, a malformed one, and a missing one", async () => {
    const { mod } = await mocked({});
    expect(() => new mod.TlosGrid("a", { grid: smallGrid(), masterSeed: LOW })).toThrow(/\[test\] masterSeed: is refused: the master seed has low entropy \(all its bytes are equal\)/);
    expect(() => new mod.TlosGrid("b", { grid: smallGrid(), masterSeed: "abc" })).toThrow(/\[test\] masterSeed: is refused: the master seed must be at least 32 bytes.*odd number/);
    expect(() => new mod.TlosGrid("c", { grid: smallGrid() })).toThrow(/\[test\] tlos:masterSeed: is not set; allowed: a secret of 32\+ random bytes, e\.g\. `pulumi config set --secret tlos:masterSeed/);
  });
});
