/**
 * `Grid`: the root of a tLOS grid definition. Everything else is created inside it, cdk-style:
 * `new Lattice(grid, "lattice", {...})`, `new TlosNode(lattice, "home-1", {...})`.
 */
import { Construct } from "constructs";
import { idProblem } from "../core/names.js";
import { idProblems, kindOf, TlosConstruct, type Warning } from "../core/construct.js";
import { asString, ValidationError, type Problem } from "../core/errors.js";
import type { MasterSeed } from "../core/seed.js";
import type { Artifact, SynthContext, SynthResult } from "../synth/artifact.js";
import { isSecretPath } from "../core/layout.js";
import { bundleArtifacts } from "../synth/bundles.js";
import { HostCollector } from "../synth/host-bundle.js";
import { planArtifact } from "../synth/plan.js";

const GRID = Symbol.for("@tlos/grid.Grid");

/** Props of a {@link Grid}. */
export interface GridProps {
  /**
   * Issued-at time written into every NATS JWT. Fixed so that the same grid and master seed give
   * byte-identical output; change it to re-issue every credential.
   * @default 2025-01-01T00:00:00Z
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
   */
  readonly issuedAt?: Date;
}

/** Options of {@link Grid.synth}. */
export interface SynthOptions {
  /** Root of every derived credential. The CLI reads it from `TLOS_MASTER_SEED` or a 0600 seed file. */
  readonly masterSeed: MasterSeed;
}

/** Construct that synthesizes files. */
export interface Synthesizable {
  _synthesize(ctx: SynthContext): void;
}

function isSynthesizable(x: unknown): x is Synthesizable {
  return typeof (x as Partial<Synthesizable>)._synthesize === "function";
}

/** The root of a grid. */
export class Grid extends Construct {
  /** True for any Grid, also across two loaded copies of this library. */
  static isGrid(x: unknown): x is Grid {
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
      this.rootProblems.push({ path: this.node.path, field: "issuedAt", message: `${asString(at)} is not a valid Date` });
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

  /**
   * Validates the whole tree and renders every artifact in memory. Throws one
   * {@link ValidationError} listing every problem; writes nothing.
   */
  synth(opts: SynthOptions): SynthResult {
    const { problems, warnings } = this.validate();
    if (problems.length > 0) throw new ValidationError(problems);
    const files = new Map<string, Artifact>();
    const clashes: Problem[] = [];
    const add = (f: Artifact) => {
        const prev = files.get(f.path);
        if (prev) {
          clashes.push({ path: f.construct, field: "id", message: `writes ${f.path}, which ${prev.construct} writes too: give one of them another id` });
          return;
        }
        if (f.secret !== isSecretPath(f.path)) {
          throw new Error(`internal: ${f.path} secret=${f.secret} must live ${f.secret ? "under" : "outside"} secrets/`);
        }
        files.set(f.path, f);
    };
    const hosts = new HostCollector();
    for (const c of this.node.findAll()) {
      if (isSynthesizable(c)) c._synthesize({ seed: opts.masterSeed, issuedAt: this.issuedAt, add: (f) => add({ ...f, construct: c.node.path }), host: (h, role, items, phase) => hosts.add(h, role, items, phase), step: (st) => hosts.step(st) });
    }
    const bundles = hosts.bundles();
    for (const f of bundleArtifacts(bundles)) add({ ...f, construct: this.node.path });
    add({ ...planArtifact(this.node.path, bundles, hosts.steps()), construct: this.node.path });
    if (clashes.length > 0) throw new ValidationError(clashes);
    const sorted = [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    return { files: sorted, warnings };
  }
}
