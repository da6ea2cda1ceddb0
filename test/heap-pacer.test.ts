import { describe, expect, it } from "vitest";
import { heapPacer } from "../src/synth/heap-pacer.js";

describe("heapPacer", () => {
  it("collects only past its floor and leaves no gc() in the caller's globals", () => {
    const hadGc = "gc" in globalThis;
    const pace = heapPacer();
    for (let i = 0; i < 10_000; i++) pace();
    expect("gc" in globalThis).toBe(hadGc);
  });
});
