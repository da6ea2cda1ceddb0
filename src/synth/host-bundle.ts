/**
 * Per-machine bundles: what each construct puts on a machine the grid names (a hub, a node, a relay
 * host), collected during synth and written as `hosts/<host>/` — its Quadlet units and the configs
 * they mount, its user units, only its own secrets, and an idempotent `install.sh`.
 */

import type { HostItem, PlanStep } from "../core/host-items.js";

/** Every item of one machine, with the construct that added it. */
export interface HostBundle {
  readonly host: string;
  readonly items: readonly HostItem[];
  /** What runs there, for the plan: "hub hub-1 of lattice tlos", … */
  readonly roles: readonly string[];
  /** When the machine is brought up in the plan (lowest phase of what runs there). */
  readonly phase: number;
}

/** Collects host items and plan steps during synth. */
export class HostCollector {
  private readonly hosts = new Map<string, { items: HostItem[]; roles: string[]; phase: number }>();
  private readonly stepList: PlanStep[] = [];

  add(host: string, role: string | undefined, items: readonly HostItem[], phase: number): void {
    const h = this.hosts.get(host) ?? { items: [], roles: [], phase };
    this.hosts.set(host, h);
    if (role && !h.roles.includes(role)) h.roles.push(role);
    h.phase = Math.min(h.phase, phase);
    h.items.push(...items);
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
