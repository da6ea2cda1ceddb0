/**
 * The root of a tLOS grid definition: its props, its issued-at time and the validation of the
 * whole tree. Everything else is created inside it, cdk-style: `new Lattice(grid, "lattice", {...})`,
 * `new TlosNode(lattice, "home-1", {...})`. The public `Grid` (src/synth/grid.ts) adds `synth()`
 * on top, so the tree walk and rendering live above the constructs.
 */
import { Construct } from "constructs";
import { idProblem } from "../core/names.js";
import { idProblems, kindOf, TlosConstruct, type Warning } from "../core/construct.js";
import { asString, show, type Problem } from "../core/errors.js";

const GRID = Symbol.for("@tlos/grid.Grid");

/** Props of a `Grid`. */
export interface GridProps {
  /**
   * Issued-at time written into every NATS JWT. Fixed so that the same grid and master seed give
   * byte-identical output; change it to re-issue every credential.
   * @default 2025-01-01T00:00:00Z
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
   */
  readonly issuedAt?: Date;
}

/** The root of a grid, without `synth()` (see `Grid` in src/synth/grid.ts). */
export abstract class GridRoot extends Construct {
  /** True for any Grid, also across two loaded copies of this library. */
  static isGrid(x: unknown): x is GridRoot {
    return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[GRID] === true;
  }

  /** Issued-at of every JWT, seconds since the epoch. */
  readonly issuedAt: number;
  private readonly rootProblems: Problem[] = [];

  /**
   * @param id name of the grid, the first component of every construct path
   * @param props grid-wide settings
   */
  constructor(id = "grid", props: GridProps = {}) {
    const why = idProblem(id);
    // the root of the tree has no scope (constructs' own roots pass undefined the same way)
    super(undefined as never, why ? "grid" : id);
    Object.defineProperty(this, GRID, { value: true });
    if (why) this.rootProblems.push({ path: asString(id), field: "id", message: why });
    const at = props.issuedAt ?? new Date("2025-01-01T00:00:00Z");
    if (!(at instanceof Date) || Number.isNaN(at.getTime())) {
      this.rootProblems.push({ path: this.node.path, field: "issuedAt", message: `${show(at)} is not a valid Date: use a Date with a time, e.g. new Date("2025-01-01T00:00:00Z")` });
      this.issuedAt = 1735689600;
    } else this.issuedAt = Math.floor(at.getTime() / 1000);
  }

  /** Every problem of the grid: bad props, bad ids, and the cross-tree rules. */
  validate(): { problems: Problem[]; warnings: Warning[] } {
    const problems: Problem[] = [...this.rootProblems, ...idProblems(this)];
    const warnings: Warning[] = [];
    for (const c of this.node.findAll()) if (TlosConstruct.isTlosConstruct(c)) c._prepare();
    for (const c of this.node.findAll()) {
      if (!TlosConstruct.isTlosConstruct(c)) continue;
      const r = c._collect();
      problems.push(...r.problems);
      warnings.push(...r.warnings);
    }
    // node and hub ids name units, pods and Podman secrets on the machines: unique in the grid
    const owners = new Map<string, string>();
    for (const c of this.node.findAll()) {
      const ids: [string, string][] = [];
      const kind = kindOf(c);
      if (kind === "TlosNode") ids.push([c.node.id, c.node.path]);
      // a Lattice (by kind, not by import: lattice.ts imports this file)
      const hubs = kind === "Lattice" ? (c as { hubs?: readonly { id: string }[] }).hubs : undefined;
      if (Array.isArray(hubs)) for (const h of hubs) ids.push([h.id, `${c.node.path} hub`]);
      for (const [id, where] of ids) {
        const prev = owners.get(id);
        if (prev && !prev.startsWith(c.node.path)) problems.push({ path: c.node.path, field: "id", message: `id ${JSON.stringify(id)} is also used by ${prev}: node and hub ids name units and Podman secrets, so they must be unique in the grid` });
        else if (!prev) owners.set(id, where);
      }
    }
    return { problems, warnings };
  }
}
