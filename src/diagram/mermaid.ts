/**
 * The deployment view as a Mermaid `C4Deployment` diagram: `Deployment_Node` nesting, `Container`
 * instances, and `Rel` with the protocol and port as the technology. Every label is quoted;
 * characters Mermaid's C4 lexer would end a string on (`"`, newlines) are replaced.
 * @see https://mermaid.js.org/syntax/c4.html
 */
import { linesText, type LineSink } from "./lines.js";
import { ingressNote, type C4Node, type DiagramModel } from "./model.js";

const MERMAID_SPECIAL = /["`$\r\n\u2028\u2029]/;

/** A quoted Mermaid C4 string: no double quotes, no line breaks, no backticks or `$` (variables). */
export function mermaidString(s: string): string {
  if (!MERMAID_SPECIAL.test(s)) return `"${s}"`; // the common case: nothing to replace
  return `"${s.replace(/["`$]/g, "'").replace(/[\r\n\u2028\u2029]+/g, " ")}"`;
}

function node(n: C4Node, depth: number, out: LineSink): void {
  const pad = "  ".repeat(depth);
  out.push(`${pad}Deployment_Node(${n.alias}, ${mermaidString(n.name)}, ${mermaidString(n.technology)}, ${mermaidString(`${n.description}; ${ingressNote(n)}`)}) {`);
  for (const c of n.containers) {
    const tech = c.image ? `${c.technology}, ${c.image}` : c.technology;
    out.push(`${pad}  Container(${c.alias}, ${mermaidString(c.name)}, ${mermaidString(tech)}, ${mermaidString(c.description)})`);
  }
  for (const child of n.nodes) node(child, depth + 1, out);
  out.push(`${pad}}`);
}

/** The Mermaid text of a diagram model; deterministic for a deterministic model. */
export function renderMermaid(m: DiagramModel): string {
  return linesText((out) => writeMermaid(m, out));
}

/** {@link renderMermaid}'s lines, put into `out` as they are made. */
export function writeMermaid(m: DiagramModel, out: LineSink): void {
  out.push("C4Deployment", `  title ${m.title.replace(/[\r\n]+/g, " ")}`, "");
  for (const n of m.nodes) node(n, 1, out);
  out.push("");
  for (const r of m.rels) out.push(`  Rel(${r.from}, ${r.to}, ${mermaidString(r.label)}, ${mermaidString(`${r.protocol} ${r.port}`)})`);
  out.push("", '  UpdateLayoutConfig($c4ShapeInRow="3", $c4BoundaryInRow="2")');
}
