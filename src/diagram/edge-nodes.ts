/**
 * The deployment nodes at the grid's edge: Cloudflare (R2 buckets, AI Gateways, Calls TURN)
 * and self-hosted coturn relays, with the links the Internet's clients open to them.
 */
import type { Construct } from "constructs";
import { kindOf } from "../core/construct.js";
import type { R2Backup } from "../constructs/r2-backup.js";
import type { AiGateway } from "../constructs/ai-gateway.js";
import type { TurnRelay } from "../constructs/turn-relay.js";
import { alias, INTERNET, shortImage, type C4Container, type C4Rel, type Part } from "./model.js";

export const r2Alias = (b: Construct): string => alias("cloudflare", "r2", b.node.path);
export const aiGatewayAlias = (g: Construct): string => alias("cloudflare", "aigw", g.node.path);
const cfTurnAlias = (t: Construct): string => alias("cloudflare", "turn", t.node.path);

/** TURN ports of a relay: its props with the defaults TurnRelay documents. */
function turnPorts(t: TurnRelay): { turn: number; tls: number; min: number; max: number } {
  const p = t.props as { ports?: { turn?: number; tls?: number }; relayPorts?: { min: number; max: number } };
  return { turn: p.ports?.turn ?? 3478, tls: p.ports?.tls ?? 5349, min: p.relayPorts?.min ?? 49152, max: p.relayPorts?.max ?? 49407 };
}

/** A self-hosted coturn relay (provider "coturn"); Cloudflare's relays are in {@link cloudflareNodes}. */
export function turnNodes(c: Construct): Part {
  const t = c as TurnRelay;
  if (t.props.provider !== "coturn") return { nodes: [], rels: [] };
  const p = turnPorts(t);
  const target = (t.props as { target?: string }).target ?? "podman";
  const listens = [`${p.turn}/udp+tcp TURN`, `${p.tls}/tcp TURN over TLS`, `${p.min}-${p.max}/udp relay`];
  const relay = alias("turn", t.node.id, "coturn");
  return {
    nodes: [{
      alias: alias("turn", t.node.id), name: t.host ?? `relay ${t.node.id}`, technology: target === "podman" ? "server (Podman)" : target === "kubernetes" ? "Kubernetes" : "Akash lease",
      description: `TURN realm ${t.props.realm}`, ingress: "inbound", listens, nodes: [],
      containers: [{ alias: relay, name: `coturn ${t.node.id}`, technology: "coturn", image: shortImage(t.image), description: "time-limited credentials from a shared key" }],
    }],
    rels: [{ from: INTERNET.clients, to: relay, label: "relays WebRTC media", protocol: "TURN/UDP, TURN/TLS", port: `${p.turn}, ${p.tls}, ${p.min}-${p.max}` }],
  };
}

/** One Cloudflare node holding every R2 bucket, AI Gateway and Calls TURN key of the grid. */
export function cloudflareNodes(root: Construct): Part {
  const containers: C4Container[] = [];
  const rels: C4Rel[] = [];
  for (const c of root.node.findAll()) {
    const kind = kindOf(c);
    if (kind === "R2Backup") {
      const b = c as R2Backup;
      containers.push({ alias: r2Alias(b), name: `R2 bucket ${b.bucketName}`, technology: "Cloudflare R2 (S3 API)", description: `jurisdiction ${b.jurisdiction}, objects expire after ${b.retentionDays} days` });
    } else if (kind === "AiGateway") {
      const g = c as AiGateway;
      containers.push({ alias: aiGatewayAlias(g), name: `AI Gateway ${g.gatewayId}`, technology: "Cloudflare AI Gateway", description: `fallbacks: ${g.fallbacks.map((f) => `${f.provider}/${f.model}`).join(", ")}` });
    } else if (kind === "TurnRelay" && (c as TurnRelay).props.provider === "cloudflare") {
      containers.push({ alias: cfTurnAlias(c), name: `Calls TURN ${c.node.id}`, technology: "Cloudflare Calls TURN", description: "TURN key; short-lived ICE credentials" });
      rels.push({ from: INTERNET.clients, to: cfTurnAlias(c), label: "relays WebRTC media", protocol: "TURN/UDP, TURN/TLS", port: "3478, 5349" });
    }
  }
  if (containers.length === 0) return { nodes: [], rels: [] };
  return { nodes: [{ alias: "cloudflare", name: "Cloudflare", technology: "managed services", description: "reached over HTTPS", ingress: "external", listens: [], nodes: [], containers }], rels };
}
