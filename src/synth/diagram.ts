/**
 * The C4 deployment view as synth output (`diagram/deployment.{mmd,dsl,dot}`), so `tlos diff`
 * shows when the topology changes. Built from the construct tree, never from rendered files.
 * Each file is streamed: its text goes out in chunks as it is rendered (a 10k-node grid's three
 * diagrams are ~32 MB of text that is never held whole).
 */
import type { Construct } from "constructs";
import { DIAGRAM_FILES } from "../core/layout.js";
import { buildDiagram } from "../diagram/build.js";
import { writeDot } from "../diagram/dot.js";
import { ChunkedLines, type LineSink } from "../diagram/lines.js";
import { writeMermaid } from "../diagram/mermaid.js";
import type { DiagramModel } from "../diagram/model.js";
import { writeStructurizr } from "../diagram/structurizr.js";
import type { StreamedArtifact } from "./artifact.js";

/** The diagram files of the grid rooted at `root` (public, deterministic), one model for the three. */
export function diagramArtifacts(root: Construct): Omit<StreamedArtifact, "construct">[] {
  const m = buildDiagram(root);
  const file = (path: string, render: (m: DiagramModel, out: LineSink) => void): Omit<StreamedArtifact, "construct"> => ({
    path, kind: "diagram", target: "grid", secret: false,
    write: (put) => {
      const out = new ChunkedLines(put);
      render(m, out);
      out.end();
    },
  });
  return [file(DIAGRAM_FILES.mermaid, writeMermaid), file(DIAGRAM_FILES.structurizr, writeStructurizr), file(DIAGRAM_FILES.dot, writeDot)];
}
