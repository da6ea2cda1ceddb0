/**
 * The deployment view as a Graphviz DOT graph: a cluster per deployment node (its border tells
 * the ingress at a glance: red accepts inbound connections, green only dials out, grey is
 * outside the grid, blue dotted is a logical group), a box per container, an edge per
 * relationship labelled with protocol and port. `dot -Tsvg` renders it (Debian's `graphviz`).
 * @see https://graphviz.org/doc/info/lang.html
 */
import { linesText, type LineSink } from "./lines.js";
import { allNodes, ingressNote, type C4Node, type DiagramModel, type Ingress } from "./model.js";

const DOT_SPECIAL = /[\\"\n]/;

/** A DOT double-quoted string: quotes and backslashes escaped, line breaks as `\n`. */
export function dotString(s: string): string {
  if (!DOT_SPECIAL.test(s)) return `"${s}"`; // the common case: nothing to escape
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
}

const STYLE: Record<Ingress, string> = {
  inbound: 'color="#c0392b"; penwidth=2; style="rounded"',
  "outbound-only": 'color="#1e8449"; penwidth=2; style="rounded"',
  external: 'color="#7f8c8d"; style="rounded,dashed"',
  group: 'color="#2e86c1"; style="rounded,dotted"',
};

const FILL: Record<Ingress, string> = { inbound: "#fdedec", "outbound-only": "#eafaf1", external: "#f4f6f6", group: "#ffffff" };

function cluster(n: C4Node, depth: number, out: LineSink, parentNote?: string): void {
  const pad = "  ".repeat(depth);
  // the ingress line only where it changes: the border colour carries it further in
  const note = ingressNote(n);
  out.push(`${pad}subgraph cluster_${n.alias} {`);
  out.push(`${pad}  label=${dotString([n.name, n.technology, ...(note === parentNote ? [] : [note])].join("\n"))}; ${STYLE[n.ingress]}; bgcolor="${FILL[n.ingress]}";`);
  for (const c of n.containers) {
    const lines = [c.name, `[${c.technology}]`, ...(c.image ? [c.image] : [])];
    out.push(`${pad}  ${c.alias} [label=${dotString(lines.join("\n"))}];`);
  }
  for (const child of n.nodes) cluster(child, depth + 1, out, note);
  out.push(`${pad}}`);
}

/** The first container under a node: where an edge to the node's cluster is drawn to. */
function anchor(n: C4Node): string | undefined {
  return n.containers[0]?.alias ?? n.nodes.map(anchor).find((a) => a !== undefined);
}

/** Groups of elements joined by peer links (one lattice's hubs), members in first-seen order. */
function peerGroups(m: DiagramModel): { members: string[]; protocol: string; port: string }[] {
  const groups: { set: Set<string>; members: string[]; protocol: string; port: string }[] = [];
  for (const r of m.rels.filter((x) => x.peer)) {
    let g = groups.find((x) => x.set.has(r.from) || x.set.has(r.to));
    if (!g) groups.push((g = { set: new Set(), members: [], protocol: r.protocol, port: r.port }));
    for (const a of [r.from, r.to]) {
      if (g.set.has(a)) continue;
      g.set.add(a);
      g.members.push(a);
    }
  }
  return groups;
}

/** The DOT text of a diagram model; deterministic for a deterministic model. */
export function renderDot(m: DiagramModel): string {
  return linesText((out) => writeDot(m, out));
}

/** {@link renderDot}'s lines, put into `out` as they are made. */
export function writeDot(m: DiagramModel, out: LineSink): void {
  out.push(
    "digraph deployment {",
    `  label=${dotString(m.title)}; labelloc=t; fontsize=20; fontname="Helvetica";`,
    '  rankdir=LR; compound=true; newrank=true; nodesep=0.25; ranksep=1.1;',
    '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="Helvetica", fontsize=10];',
    '  edge [fontname="Helvetica", fontsize=9, color="#34495e"];',
    '  graph [fontname="Helvetica", fontsize=11];',
  );
  for (const n of m.nodes) cluster(n, 1, out);
  const nodes = new Map(allNodes(m).map((n) => [n.alias, n]));
  for (const r of m.rels.filter((x) => !x.peer)) {
    const target = nodes.get(r.to);
    const to = target ? anchor(target) : r.to;
    if (to === undefined) continue;
    out.push(`  ${r.from} -> ${to} [${[`label=${dotString(`${r.label}\n${r.protocol} ${r.port}`)}`, ...(target ? [`lhead=cluster_${target.alias}`] : [])].join(", ")}];`);
  }
  for (const g of peerGroups(m)) {
    // one column per group; the mesh drawn as a chain of dashed two-way links between
    // neighbours (Graphviz cannot route a link past a stacked hub), labelled as the full mesh
    out.push(`  { rank=same; ${g.members.join("; ")}; }`);
    g.members.slice(1).forEach((to, i) => out.push(`  ${g.members[i]} -> ${to} [xlabel=${dotString(`${g.protocol} ${g.port}${g.members.length > 2 ? " (full mesh)" : ""}`)}, style=dashed, dir=both, constraint=false];`));
  }
  out.push("}");
}
