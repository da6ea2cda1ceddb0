/**
 * Per-machine bundles: what each construct puts on a machine the grid names (a hub, a node, a relay
 * host), collected during synth and written as `hosts/<host>/` — its Quadlet units and the configs
 * they mount, its user units, only its own secrets, and an idempotent `install.sh`.
 */

import type { HostBundle, HostItem, PlanStep } from "../core/host-items.js";
import type { NewArtifact } from "./artifact.js";
import { bundleItemFile } from "./bundles.js";

export type { HostBundle } from "../core/host-items.js";

/** An item without its file's content: what the install script and the plan need of it. */
function withoutContent(i: HostItem): HostItem {
  return "content" in i && i.content !== undefined ? { ...i, content: "" } : i;
}

/**
 * Collects host items and plan steps during synth. Each item that is a file goes out through
 * `emit` as it arrives (the first one at a path wins), so a 10k-node synth does not hold every
 * bundle's bytes until the end; the collector keeps only what `install.sh` and the plan read.
 */
export class HostCollector {
  private readonly hosts = new Map<string, { items: HostItem[]; roles: string[]; phase: number; files: Set<string> }>();
  private readonly stepList: PlanStep[] = [];

  constructor(private readonly emit: (f: NewArtifact) => void) {}

  add(host: string, role: string | undefined, items: readonly HostItem[], phase: number): void {
    const h = this.hosts.get(host) ?? { items: [], roles: [], phase, files: new Set<string>() };
    this.hosts.set(host, h);
    if (role && !h.roles.includes(role)) h.roles.push(role);
    h.phase = Math.min(h.phase, phase);
    for (const i of items) {
      const f = bundleItemFile(host, i);
      if (f && !h.files.has(f.path)) {
        h.files.add(f.path);
        this.emit(f);
      }
      h.items.push(withoutContent(i));
    }
  }

  step(s: PlanStep): void {
    this.stepList.push(s);
  }

  bundles(): HostBundle[] {
    return [...this.hosts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([host, h]) => ({ host, items: h.items, roles: h.roles, phase: h.phase }));
  }

  steps(): PlanStep[] {
    return [...this.stepList];
  }
}
