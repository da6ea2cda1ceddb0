/**
 * The grid's C4 deployment view (level 3) as a typed model, built from the construct tree's
 * resolved public getters — never from rendered files. Renderers (mermaid.ts, structurizr.ts,
 * dot.ts) are pure functions of this model.
 *
 * build.ts assembles it from the tree. Deployment nodes nest as C4 requires (lattice → hub cluster → hub; home server → Podman pod →
 * containers; Akash provider → lease → containers; Kubernetes cluster → namespace → pods), every
 * relationship carries its protocol and port, and every node says whether it accepts inbound
 * connections (and on which ports) or only dials out.
 * @see https://c4model.com/diagrams/deployment
 */

/**
 * Whether a deployment node opens a port to other machines, only dials out, is outside the grid
 * (a cloud service, the Internet), or is a logical grouping (a lattice) rather than a machine.
 */
export type Ingress = "inbound" | "outbound-only" | "external" | "group";

/** A container instance: one running process (a container, a pod's container, a service). */
export interface C4Container {
  /** Identifier, unique in the diagram: `[A-Za-z0-9_]`. */
  readonly alias: string;
  readonly name: string;
  /** What it is built on, e.g. `nats-server (leaf)`. */
  readonly technology: string;
  /** The image with a pinned digest shortened to 12 hex digits; undefined for non-container processes. */
  readonly image?: string;
  readonly description: string;
}

/** A deployment node: a machine, a pod, a lease, a namespace, a cloud service. */
export interface C4Node {
  readonly alias: string;
  readonly name: string;
  readonly technology: string;
  readonly description: string;
  readonly ingress: Ingress;
  /** What it listens on for connections from other machines, e.g. `7422/tcp leafnode (TLS)`. */
  readonly listens: readonly string[];
  readonly nodes: readonly C4Node[];
  readonly containers: readonly C4Container[];
}

/** A link between two elements (containers, or a container and a deployment node). */
export interface C4Rel {
  readonly from: string;
  readonly to: string;
  /** What flows, e.g. `leaf connection`. */
  readonly label: string;
  /** Protocol and transport security, e.g. `NATS leafnode, TLS`. */
  readonly protocol: string;
  /** Port(s) or range on the receiving side, e.g. `7422`, `loopback 4222`. */
  readonly port: string;
  /** A link between peers of one tier (hub routes): layouts keep both ends side by side. @default false */
  readonly peer?: boolean;
}

export interface DiagramModel {
  readonly title: string;
  readonly nodes: readonly C4Node[];
  readonly rels: readonly C4Rel[];
}

/** A model under construction: the nodes and relationships one construct contributes. */
export interface Part {
  readonly nodes: C4Node[];
  readonly rels: C4Rel[];
}

/** `[A-Za-z0-9_]` identifier from path segments. */
export function alias(...parts: string[]): string {
  return parts.join("_").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "");
}

/** An image reference with its digest shortened: `repo:tag@sha256:0123456789ab`. */
export function shortImage(ref: string): string {
  return ref.replace(/@sha256:([a-f0-9]{12})[a-f0-9]{52}$/, "@sha256:$1");
}

/** The clients outside the grid: browsers, WebRTC peers, LAN clients. */
export const INTERNET = { node: "internet", clients: "internet_clients" } as const;

/** Every deployment node of the model, depth first. */
export function allNodes(m: { readonly nodes: readonly C4Node[] }): C4Node[] {
  const out: C4Node[] = [];
  const walk = (nodes: readonly C4Node[]): void => {
    for (const n of nodes) {
      out.push(n);
      walk(n.nodes);
    }
  };
  walk(m.nodes);
  return out;
}

/** Every container of the model, depth first. */
export function allContainers(m: DiagramModel): C4Container[] {
  return allNodes(m).flatMap((n) => [...n.containers]);
}

/** The one-line ingress note of a node: its listeners, or that it only dials out. */
export function ingressNote(n: C4Node): string {
  if (n.ingress === "external") return "outside the grid";
  if (n.ingress === "group") return "logical group";
  return n.ingress === "inbound" ? `accepts inbound: ${n.listens.join(", ")}` : "no ingress: dials out only";
}
