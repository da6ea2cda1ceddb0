/**
 * The diagrams as the synth writes them: in chunks of ~64 KiB as they are rendered
 * (src/diagram/lines.ts), which joined are byte for byte the text of one render.
 */
import { describe, expect, it } from "vitest";
import { buildDiagram } from "../src/diagram/build.js";
import { renderDot, writeDot } from "../src/diagram/dot.js";
import { ChunkedLines, type LineSink } from "../src/diagram/lines.js";
import { renderMermaid, writeMermaid } from "../src/diagram/mermaid.js";
import type { DiagramModel } from "../src/diagram/model.js";
import { renderStructurizr, writeStructurizr } from "../src/diagram/structurizr.js";
import { smallGrid } from "./fixtures/grids.js";

describe("diagrams in chunks", () => {
  const model = buildDiagram(smallGrid(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`n-${i}`, {}]))));
  const cases: [string, (m: DiagramModel) => string, (m: DiagramModel, out: LineSink) => void][] = [
    ["mermaid", renderMermaid, writeMermaid],
    ["structurizr", renderStructurizr, writeStructurizr],
    ["dot", renderDot, writeDot],
  ];
  for (const [name, render, write] of cases) {
    it(`${name}: the chunks joined are the one-string render, and none is much over 64 KiB`, () => {
      const chunks: string[] = [];
      const out = new ChunkedLines((c) => chunks.push(c));
      write(model, out);
      out.end();
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.join("")).toBe(render(model));
      expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70_000);
      expect(chunks.every((c) => c.endsWith("\n"))).toBe(true);
    });
  }
});
