/**
 * The C4 deployment view as synth output (`diagram/deployment.{mmd,dsl,dot}`), so `tlos diff`
 * shows when the topology changes. Built from the construct tree, never from rendered files.
 */
import type { Construct } from "constructs";
import { DIAGRAM_FILES } from "../core/layout.js";
import { buildDiagram } from "../diagram/build.js";
import { renderDot } from "../diagram/dot.js";
import { renderMermaid } from "../diagram/mermaid.js";
import { renderStructurizr } from "../diagram/structurizr.js";
import type { Artifact } from "./artifact.js";

/** The diagram files of the grid rooted at `root` (public, deterministic). */
export function diagramArtifacts(root: Construct): Omit<Artifact, "construct">[] {
  const m = buildDiagram(root);
  const file = (path: string, content: string): Omit<Artifact, "construct"> => ({ path, content, kind: "diagram", target: "grid", secret: false });
  return [file(DIAGRAM_FILES.mermaid, renderMermaid(m)), file(DIAGRAM_FILES.structurizr, renderStructurizr(m)), file(DIAGRAM_FILES.dot, renderDot(m))];
}
