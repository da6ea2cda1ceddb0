import { describe, expect, it, vi } from "vitest";

// the heap's size is mocked (a test cannot make V8's heap a given size); the collection it then
// asks for is V8's real one
const stats = vi.hoisted(() => ({ looks: 0, used: 0 }));
vi.mock("node:v8", async (importOriginal) => {
  const v8 = await importOriginal<typeof import("node:v8")>();
  return {
    ...v8,
    getHeapStatistics: () => {
      stats.looks++;
      const real = v8.getHeapStatistics();
      return { ...real, used_heap_size: stats.used || real.used_heap_size };
    },
  };
});
const { heapPacer } = await import("../src/synth/heap-pacer.js");

describe("heapPacer", () => {
  it("collects only past its floor and leaves no gc() in the caller's globals", () => {
    const hadGc = "gc" in globalThis;
    const pace = heapPacer();
    for (let i = 0; i < 10_000; i++) pace();
    expect("gc" in globalThis).toBe(hadGc);
  });

  it("looks at the heap every 256th call, and at once when asked to (between two stages)", () => {
    const pace = heapPacer();
    stats.looks = 0;
    for (let i = 0; i < 100; i++) pace();
    expect(stats.looks).toBe(0);
    pace(true);
    expect(stats.looks).toBe(1);
    // past the floor: a look collects, then reads the live heap to set the next limit
    stats.used = 512 << 20;
    pace(true);
    expect(stats.looks).toBe(3);
    stats.used = 0;
  });
});
