/** Assembles the {@link DiagramModel} of a grid from its construct tree. */
import type { Construct } from "constructs";
import { kindOf } from "../core/construct.js";
import { latticeNodes } from "./lattice-nodes.js";
import { cloudflareNodes, turnNodes } from "./edge-nodes.js";
import { INTERNET, type C4Node, type C4Rel, type DiagramModel, type Part } from "./model.js";

function internetNode(): C4Node {
  return {
    alias: INTERNET.node, name: "Internet", technology: "outside the grid", description: "browsers, WebRTC peers, LAN clients",
    ingress: "external", listens: [], nodes: [],
    containers: [{ alias: INTERNET.clients, name: "Clients", technology: "HTTP, WebRTC", description: "reach only what a node publishes on purpose" }],
  };
}

/** Builds the deployment view of the grid rooted at `root`. */
export function buildDiagram(root: Construct): DiagramModel {
  const nodes: C4Node[] = [];
  const rels: C4Rel[] = [];
  const add = (p: Part) => {
    nodes.push(...p.nodes);
    rels.push(...p.rels);
  };
  for (const c of root.node.children) {
    const kind = kindOf(c);
    if (kind === "Lattice") add(latticeNodes(c));
    else if (kind === "TurnRelay") add(turnNodes(c));
  }
  add(cloudflareNodes(root));
  if (rels.some((r) => r.from === INTERNET.clients)) nodes.push(internetNode());
  return { title: `tLOS grid ${root.node.id}: deployment`, nodes, rels };
}

