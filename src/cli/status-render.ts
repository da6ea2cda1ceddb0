/**
 * `tlos status`, the table a person reads: one block per part, drift last. Leaf and host names,
 * labels and heartbeat fields come from the lattice (any leaf or host sets its own), so every
 * control character is shown escaped: none reaches the terminal, and none forges a line.
 */
import type { LatticeStatus } from "../nats/status-check.js";

/** `x` with each control character (newlines and ESC too) as `\xNN`. */
const clean = (x: string): string => x.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);

function table(head: readonly string[], cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((r) => r.map(clean));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ").trimEnd();
  return [line(head), ...rows.map(line)];
}

const mark = (ok: boolean) => (ok ? "ok" : "DRIFT");

/** The status of a lattice as aligned text tables. */
export function renderStatus(s: LatticeStatus): string {
  const out = [`lattice ${s.lattice}: ${s.drift.length === 0 ? "as declared" : `${s.drift.length} drift`}`, ""];
  out.push(...table(["HUB", "STATE", "VERSION", "ROUTES", "LEAVES"], s.hubs.map((h) => [h.id, h.up ? "up" : "DOWN", h.version ?? "-", String(h.routes ?? "-"), String(h.leaves ?? "-")])));
  out.push("", clean(`jetstream meta leader: ${s.meta.leader ?? "NONE"}; peers: ${s.meta.peers.map((p) => `${p.name}${p.current ? "" : " (behind)"}`).join(", ") || "-"}`), "");
  const leafOk = (l: LatticeStatus["leaves"][number]) => l.connected === l.replicas && l.tls && !s.drift.some((d) => d.startsWith(`leaf ${l.id}:`) || d.startsWith(`lease ${l.id}:`));
  out.push(...table(["LEAF", "KIND", "CONNECTED", "HUB", "TLS", "STATE"], s.leaves.map((l) => [l.id, l.kind, l.replicas === 1 ? String(l.connected) : `${l.connected}/${l.replicas}`, l.hubs.join(",") || "-", l.tls ? "yes" : "no", mark(leafOk(l))])));
  if (s.leases.length > 0) {
    out.push("", ...table(["LEASE", "SDL", "LEAVES", "NAMES", "HUB", "STATE"], s.leases.map((x) => [x.id, x.sdl, `${x.connected}/${x.replicas}`, x.names.join(",") || "-", x.hubs.join(",") || "-", mark(x.connected === x.replicas)])));
  }
  if (s.streams.length > 0) {
    out.push("", ...table(["STREAM", "REPLICAS", "DECLARED", "CURRENT", "LEADER", "STATE"], s.streams.map((x) => [x.name, String(x.replicas), String(x.declared), String(x.current), x.leader ?? "-", mark(x.replicas >= x.declared && x.current >= x.replicas)])));
  }
  if (s.hosts) {
    out.push("", ...table(["HOST", "ANSWERS", "LABELS"], s.hosts.map((h) => [h.node, h.answered ? "yes" : "NO", Object.entries(h.labels).filter(([k]) => !k.startsWith("hostcore.")).map(([k, v]) => `${k}=${v}`).join(",") || "-"])));
  }
  if (s.apps) {
    out.push("", ...table(["APP", "DECLARED", "DEPLOYED", "WADM", "COMPONENTS (hosts)", "STATE"], s.apps.map((a) => [a.name, a.declared, a.deployed ?? "-", a.state, a.components.map((c) => `${c.name}:${c.hosts}`).join(",") || "-", mark(!s.drift.some((d) => d.startsWith(`app ${a.name}:`)))])));
  }
  if (s.hostGroups) {
    out.push("", ...table(["HOST GROUP", "HOSTS", "DECLARED", "HEARD", "STATE"], s.hostGroups.map((g) => [g.group, String(g.seen), String(g.declared), g.hosts.join(",") || "-", mark(g.seen >= g.declared)])));
  }
  if (s.drift.length > 0) out.push("", "drift:", ...s.drift.map((d) => `  - ${clean(d)}`));
  return `${out.join("\n")}\n`;
}
