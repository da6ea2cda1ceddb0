/**
 * The deployment nodes of one lattice: its hub cluster, every member that dials in with its own
 * leaf (Podman nodes, Akash nodes and GPU pools, Kubernetes clusters), backups that run on a
 * hub, and the system:ai router. Read from the constructs' public getters (type-only imports:
 * constructs import the synth layer, which calls this).
 */
import type { Construct } from "constructs";
import { kindOf } from "../core/construct.js";
import type { Lattice } from "../constructs/lattice.js";
import type { TlosNode } from "../constructs/tlos-node.js";
import type { AkashGpuPool } from "../constructs/akash-gpu-pool.js";
import type { SpinKubeCluster } from "../constructs/spinkube-cluster.js";
import type { R2Backup } from "../constructs/r2-backup.js";
import type { Sdl } from "../akash/sdl.js";
import { GLOBAL_ANCHOR_PORT } from "../akash/sdl.js";
import { alias, INTERNET, shortImage, type C4Container, type C4Node, type C4Rel, type Part } from "./model.js";
import { aiGatewayAlias, r2Alias } from "./edge-nodes.js";

const TLS_LEAF = "NATS leafnode, TLS";

/** The alias of a lattice's hub cluster, the target of every leaf connection. */
const hubsAlias = (l: Lattice) => alias(l.node.id, "hubs");
const hubNats = (l: Lattice, hub: string) => alias(l.node.id, hub, "nats");

function leafRel(l: Lattice, from: string): C4Rel {
  const ports = [...new Set(l.hubs.map((h) => h.ports.leafnode))].join(", ");
  return { from, to: hubsAlias(l), label: "leaf connection (dials out)", protocol: TLS_LEAF, port: ports };
}

function hubNodes(l: Lattice, backups: readonly R2Backup[]): Part {
  const rels: C4Rel[] = [];
  const v1 = l.wasmcloud === "v1";
  const hubs = l.hubs.map((h, i): C4Node => {
    const nats = hubNats(l, h.id);
    const containers: C4Container[] = [{ alias: nats, name: `nats-server ${h.id}`, technology: `nats-server (hub, JetStream domain ${l.jetstreamDomain})`, image: shortImage(l.natsImage), description: `client ${h.ports.client} and monitor ${h.ports.monitor} on loopback only` }];
    if (v1) {
      containers.push({ alias: alias(l.node.id, h.id, "wadm"), name: `wadm ${h.id}`, technology: "wadm (v1 scheduler)", image: shortImage(l.wadmImage), description: "own creds, lattice control subjects only" });
      rels.push({ from: alias(l.node.id, h.id, "wadm"), to: nats, label: "schedules the lattice", protocol: "NATS", port: `loopback ${h.ports.client}` });
    }
    const pod: C4Node = { alias: alias(l.node.id, h.id, "pod"), name: `${h.id}-pod`, technology: "rootless Podman pod", description: "client and monitor on loopback", ingress: "inbound", listens: listens(l, h), nodes: [], containers };
    const own: C4Container[] = [];
    if (v1) {
      const policy = alias(l.node.id, h.id, "policy");
      own.push({ alias: policy, name: `policy responder ${h.id}`, technology: "tlos policy-responder (systemd user service)", description: "denies unsigned and untrusted components" });
      rels.push({ from: policy, to: nats, label: "answers policy requests", protocol: "NATS", port: `loopback ${h.ports.client}` });
    }
    for (const b of i === 0 ? backups.filter((x) => x.runOn === "hub") : []) {
      const job = alias(l.node.id, h.id, "backup", b.node.id);
      own.push({ alias: job, name: `backup ${b.node.id}`, technology: "restic (Podman timer)", image: shortImage(b.resticImage), description: `daily at ${String(b.hour).padStart(2, "0")}:${String(b.minute).padStart(2, "0")} UTC` });
      rels.push({ from: job, to: nats, label: "reads JetStream", protocol: "NATS", port: `loopback ${h.ports.client}` });
      rels.push({ from: job, to: r2Alias(b), label: "encrypted snapshots", protocol: "HTTPS (S3 API)", port: "443" });
    }
    return { alias: alias(l.node.id, h.id), name: h.id, technology: `server ${h.host}`, description: `hub of lattice ${l.name}`, ingress: "inbound", listens: listens(l, h), nodes: [pod], containers: own };
  });
  if (l.mode === "cluster") {
    l.hubs.forEach((a, i) => l.hubs.slice(i + 1).forEach((b) => rels.push({ from: hubNats(l, a.id), to: hubNats(l, b.id), label: "cluster route, JetStream R3", protocol: "NATS route, TLS", port: String(b.ports.cluster), peer: true })));
  }
  const cluster: C4Node = { alias: hubsAlias(l), name: `hub cluster ${l.name}`, technology: l.mode === "cluster" ? `${l.hubs.length} hubs, full mesh of routes` : "single hub, standalone JetStream", description: "the only nodes that accept connections", ingress: "inbound", listens: [...new Set(l.hubs.flatMap((h) => listens(l, h)))], nodes: hubs, containers: [] };
  return { nodes: [cluster], rels };
}

function listens(l: Lattice, h: Lattice["hubs"][number]): string[] {
  return [`${h.ports.leafnode}/tcp leafnode (TLS)`, ...(l.mode === "cluster" ? [`${h.ports.cluster}/tcp routes (TLS)`] : [])];
}

/** Technology of an Akash service by the role its name ends with. */
function serviceTech(name: string, prefix: string): string {
  const role = name.slice(prefix.length + 1);
  const known: Record<string, string> = { nats: "nats-server (leaf)", host: "wasmCloud host", inference: "vLLM (OpenAI-compatible HTTP)", ai: "tlos ai serve (system:ai)", kernel: "tLOS kernel" };
  return known[role] ?? role;
}

/** An Akash lease from its SDL model: a container per service, global exposes as its ingress. */
function akashLease(l: Lattice, id: string, sdl: Sdl, what: string): Part {
  const a = (s: string) => alias(l.node.id, id, s.slice(id.length + 1));
  const leaf = `${id}-nats`;
  const containers = Object.entries(sdl.services).sort(([x], [y]) => (x < y ? -1 : 1)).map(([name, s]): C4Container => ({ alias: a(name), name, technology: serviceTech(name, id), image: shortImage(s.image), description: (s.expose ?? []).filter((e) => e.to.some((t) => t.service)).map((e) => `${e.port}/${(e.proto ?? "TCP").toLowerCase()} to ${e.to.flatMap((t) => (t.service ? [t.service] : [])).join(", ")}`).join("; ") || "no listener" }));
  const global = Object.values(sdl.services).flatMap((s) => (s.expose ?? []).filter((e) => e.to.some((t) => t.global) && e.port !== GLOBAL_ANCHOR_PORT).map((e) => `${e.as ?? e.port}/${(e.proto ?? "TCP").toLowerCase()} global`));
  const rels: C4Rel[] = [leafRel(l, a(leaf))];
  for (const [name, s] of Object.entries(sdl.services)) {
    for (const e of s.expose ?? []) for (const t of e.to) {
      if (t.service && t.service !== name) rels.push({ from: a(t.service), to: a(name), label: name === leaf ? "NATS client (wRPC, control)" : "requests", protocol: name === leaf ? "NATS" : "HTTP", port: `in-lease ${e.port}` });
    }
  }
  const ingress = global.length > 0 ? "inbound" : "outbound-only";
  const lease: C4Node = { alias: alias(l.node.id, id, "lease"), name: `lease ${id}`, technology: `Akash deployment (SDL ${sdl.version})`, description: what, ingress, listens: global, nodes: [], containers };
  return { nodes: [{ alias: alias(l.node.id, id), name: `Akash provider (${id})`, technology: "Akash provider, chosen by bid", description: "audited providers only", ingress, listens: global, nodes: [lease], containers: [] }], rels };
}

function podmanNode(l: Lattice, n: TlosNode): Part {
  const leaf = alias(l.node.id, n.id, "nats"), host = alias(l.node.id, n.id, "host");
  const published = n.publish.map((p) => `${p.hostIp ? `${p.hostIp}:` : ""}${p.host}/${p.protocol} → ${p.container}`);
  const ingress = published.length > 0 ? "inbound" : "outbound-only";
  const containers: C4Container[] = [
    { alias: leaf, name: `${n.id} leaf`, technology: "nats-server (leaf)", image: shortImage(n.natsImage), description: `own leaf creds; client ${n.clientPort} on loopback` },
    { alias: host, name: `${n.id} host`, technology: `wasmCloud ${l.wasmcloud} host`, image: shortImage(n.hostImage), description: Object.entries(n.labels).map(([k, v]) => `${k}=${v}`).join(", ") || "no labels" },
  ];
  const pod: C4Node = { alias: alias(l.node.id, n.id, "pod"), name: `${n.id}-pod`, technology: `rootless Podman ${n.podmanVersion} pod`, description: `userns ${n.userNS}`, ingress, listens: published, nodes: [], containers };
  const rels: C4Rel[] = [leafRel(l, leaf), { from: host, to: leaf, label: "wRPC and control interface", protocol: "NATS", port: `loopback ${n.clientPort}` }];
  for (const p of n.publish) rels.push({ from: INTERNET.clients, to: host, label: "published port", protocol: p.protocol.toUpperCase(), port: `${p.hostIp ? `${p.hostIp}:` : ""}${p.host} → ${p.container}` });
  return { nodes: [{ alias: alias(l.node.id, n.id), name: n.id, technology: "home server (Podman)", description: `node of lattice ${l.name}`, ingress, listens: published, nodes: [pod], containers: [] }], rels };
}

function k8sNodes(l: Lattice, k: SpinKubeCluster, backups: readonly R2Backup[]): Part {
  const id = k.node.id;
  const rels: C4Rel[] = [];
  const byNs = new Map<string, C4Container[]>();
  const ns = (name: string) => byNs.get(name) ?? (byNs.set(name, []), byNs.get(name) as C4Container[]);
  for (const app of k.apps) ns(app.namespace).push({ alias: alias(l.node.id, id, app.namespace, app.name), name: app.name, technology: "SpinApp (containerd-shim-spin)", image: shortImage(app.image), description: app.autoscaling ? `${app.autoscaling.kind} ${app.autoscaling.min}–${app.autoscaling.max} replicas` : `${app.replicas ?? 1} replicas` });
  if (k.wasmcloudNamespace) {
    const wns = k.wasmcloudNamespace;
    const leaf = alias(l.node.id, id, wns, "nats");
    ns(wns).push({ alias: leaf, name: `${id} leaf`, technology: "nats-server (in-cluster leaf)", image: shortImage(l.natsImage), description: "own leaf creds; Service inside the cluster only" });
    rels.push(leafRel(l, leaf));
    for (const g of k.hostGroups) {
      const host = alias(l.node.id, id, wns, "hostgroup", g.name);
      ns(wns).push({ alias: host, name: `host group ${g.name}`, technology: "wasmCloud v2 hosts (runtime-operator)", description: `${g.replicas} replicas` });
      rels.push({ from: host, to: leaf, label: "wRPC and control interface", protocol: "NATS", port: "in-cluster 4222" });
    }
    for (const b of backups.filter((x) => x.runOn === "kubernetes")) {
      const job = alias(l.node.id, id, wns, "backup", b.node.id);
      ns(wns).push({ alias: job, name: `backup ${b.node.id}`, technology: "restic CronJob", image: shortImage(b.resticImage), description: "daily" });
      rels.push({ from: job, to: leaf, label: "reads JetStream", protocol: "NATS", port: "in-cluster 4222" }, { from: job, to: r2Alias(b), label: "encrypted snapshots", protocol: "HTTPS (S3 API)", port: "443" });
    }
  }
  const nodes = [...byNs].sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, containers]): C4Node => ({ alias: alias(l.node.id, id, "ns", name), name: `namespace ${name}`, technology: "Kubernetes namespace", description: "pods", ingress: "outbound-only", listens: [], nodes: [], containers }));
  return { nodes: [{ alias: alias(l.node.id, id), name: `Kubernetes cluster ${id}`, technology: "SpinKube + wasmCloud runtime-operator", description: "signed images only (admission policy)", ingress: "outbound-only", listens: [], nodes, containers: [] }], rels };
}

/** Everything of one lattice: a grouping node around its hub cluster and members. */
export function latticeNodes(c: Construct): Part {
  const l = c as Lattice;
  const nodes: C4Node[] = [];
  const rels: C4Rel[] = [];
  const add = (p: Part) => {
    nodes.push(...p.nodes);
    rels.push(...p.rels);
  };
  const children = [...l.node.children].sort((a, b) => (a.node.id < b.node.id ? -1 : 1));
  const backups = children.filter((x) => kindOf(x) === "R2Backup") as R2Backup[];
  add(hubNodes(l, backups));
  const routerContainers: C4Container[] = [];
  for (const m of children) {
    const kind = kindOf(m);
    if (kind === "TlosNode") {
      const n = m as TlosNode;
      const sdl = n.akashSdl();
      add(sdl ? akashLease(l, n.id, sdl, `tLOS node ${n.id}`) : podmanNode(l, n));
    } else if (kind === "AkashGpuPool") {
      const p = m as AkashGpuPool;
      add(akashLease(l, p.node.id, p.sdl(), `GPU pool ${p.node.id}: ${p.inferenceEndpoint().model}`));
    } else if (kind === "SpinKubeCluster") add(k8sNodes(l, m as SpinKubeCluster, backups));
    else if (kind === "AiGateway") {
      const router = alias(l.node.id, m.node.id, "router");
      routerContainers.push({ alias: router, name: `system:ai router ${m.node.id}`, technology: "tlos ai router", description: "first healthy route: GPU pools, then the AI Gateway" });
      rels.push({ from: router, to: hubsAlias(l), label: "system:ai requests (sealed)", protocol: "NATS request/reply", port: "lattice" });
      for (const p of children.filter((x) => kindOf(x) === "AkashGpuPool")) rels.push({ from: router, to: alias(l.node.id, p.node.id, "ai"), label: "inference (sealed)", protocol: "NATS request/reply", port: "via the lattice" });
      rels.push({ from: router, to: aiGatewayAlias(m), label: "hosted fallback", protocol: "HTTPS", port: "443" });
    }
  }
  const group: C4Node = { alias: alias(l.node.id), name: `lattice ${l.name}`, technology: `wasmCloud ${l.wasmcloud}, NATS account ${l.name}`, description: `JetStream domain ${l.jetstreamDomain}`, ingress: "group", listens: [], nodes, containers: routerContainers };
  return { nodes: [group], rels };
}
