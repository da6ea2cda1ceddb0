/**
 * The output path checks scan a path without splitting it (a synth checks 160k paths at 10k
 * nodes): the same verdicts, word for word, as the plain split-based definitions below, over
 * many generated paths full of the awkward cases (empty, `.`, `..`, `secrets`, long segments).
 */
import { describe, expect, it } from "vitest";
import { inSecretsFolder, pathProblem } from "../src/synth/out-paths.js";

const MAX_SEGMENT = 255;

function referenceProblem(p: string): string | undefined {
  if (p === "" || p.length > 4096) return "empty or longer than 4096 characters";
  if (p.startsWith("/")) return "an absolute path";
  if (/[\u0000-\u001f\u007f\\\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(p)) return "holds a control character, a backslash or a bidirectional override";
  for (const s of p.split("/")) {
    if (s === "" || s === "." || s === "..") return `has a ${s === "" ? "empty" : JSON.stringify(s)} segment`;
    if (s.length > MAX_SEGMENT) return "has a segment longer than 255 characters";
  }
  return undefined;
}

const referenceSecret = (p: string) => p.split("/").slice(0, -1).includes("secrets");

describe("output path checks without split", () => {
  it("agree with the split-based definitions on 20k generated paths", () => {
    const parts = ["", ".", "..", "...", ".a", "a.", "secrets", "secretsx", "xsecrets", "a", "hosts", "n-1", "x".repeat(255), "y".repeat(256)];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let i = 0; i < 20_000; i++) {
      const n = 1 + rand(5);
      const p = Array.from({ length: n }, () => parts[rand(parts.length)]!).join("/");
      expect(pathProblem(p), p).toBe(referenceProblem(p));
      expect(inSecretsFolder(p), p).toBe(referenceSecret(p));
    }
  });
});
