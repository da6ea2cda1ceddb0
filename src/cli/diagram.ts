/**
 * `tlos diagram <program>`: the grid's C4 deployment view as Mermaid (default), Structurizr DSL,
 * Graphviz DOT, or SVG/PNG rendered by Graphviz's `dot`. Needs no master seed: the diagram
 * holds no credential.
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { TlosError, ValidationError } from "../core/errors.js";
import { UsageError, type Command } from "./command.js";
import { loadGrid } from "./load.js";

const FORMATS = ["mermaid", "structurizr", "dot", "svg", "png"] as const;
type Format = (typeof FORMATS)[number];

/** Runs Graphviz `dot` on DOT text; a missing `dot` is one clear line. */
export function renderWithDot(dotText: string, format: "svg" | "png"): Buffer {
  const r = spawnSync("dot", [`-T${format}`], { input: dotText, maxBuffer: 64 * 2 ** 20 });
  if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
    throw new TlosError(`--format ${format} needs Graphviz's dot, which is not installed (Debian: apt-get install graphviz); --format dot, mermaid and structurizr need nothing`);
  }
  if (r.error) throw r.error;
  if (r.status !== 0) throw new TlosError(`dot -T${format} failed: ${r.stderr.toString().trim()}`);
  return r.stdout;
}

export const diagramCommand: Command = {
  usage: "diagram <program> [--format mermaid|structurizr|dot|svg|png] [--out <file>]",
  help: `The grid's C4 deployment view: deployment nodes (hubs, home servers and their Podman pods,
Akash providers and leases, Kubernetes clusters and namespaces, Cloudflare), containers with
their image, and every link with its protocol and port; each node says whether it accepts
inbound connections or only dials out. svg and png need Graphviz's dot. tlos synth writes
the mermaid, structurizr and dot forms to diagram/ in its output.`,
  flags: { format: { type: "string", short: "f" }, out: { type: "string", short: "o" } },
  positionals: [1, 1],
  async run(args, io) {
    const format = (args.str("format") ?? "mermaid") as Format;
    if (!FORMATS.includes(format)) throw new UsageError(`tlos diagram: --format ${JSON.stringify(format)} is not a format: use ${FORMATS.join(", ")}`);
    const grid = await loadGrid(args.positionals[0] as string);
    const { problems } = grid.validate();
    if (problems.length > 0) throw new ValidationError(problems);
    const { buildDiagram } = await import("../diagram/build.js");
    const model = buildDiagram(grid);
    const text = async (): Promise<string> => {
      if (format === "mermaid") return (await import("../diagram/mermaid.js")).renderMermaid(model);
      if (format === "structurizr") return (await import("../diagram/structurizr.js")).renderStructurizr(model);
      return (await import("../diagram/dot.js")).renderDot(model);
    };
    const body: string | Buffer = format === "svg" || format === "png" ? renderWithDot(await text(), format) : await text();
    const out = args.str("out");
    if (out) writeFileSync(out, body);
    else if (typeof body === "string") io.out(body);
    else if (format === "svg") io.out(body.toString("utf8"));
    else throw new UsageError("tlos diagram: --format png writes binary: give --out <file>");
    return 0;
  },
};
