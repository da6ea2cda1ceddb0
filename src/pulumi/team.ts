/**
 * Teams on a platform's lattice, on the Pulumi side. The platform's `TlosGrid` exports, per
 * lattice and team its `teams` prop names, the {@link LatticeReference} (public: hub leaf URLs,
 * CA certificate, account public key, the delegated keys' public keys) and the seeds of the
 * scoped signing keys delegated to the team (secret) — never the master seed. A team stack reads
 * both through a `StackReference` ({@link joinLattice}) and passes them to the per-construct
 * components (`AkashGpuPool`, `SpinKubeCluster`).
 * @see https://www.pulumi.com/docs/iac/concepts/stacks/#stackreferences
 */
import * as pulumi from "@pulumi/pulumi";
import type { IConstruct } from "constructs";
import type { MasterSeed } from "../core/seed.js";
import { Lattice } from "../constructs/lattice.js";
import type { LatticeReference } from "../constructs/lattice-teams.js";

export type { LatticeReference } from "../constructs/lattice-teams.js";

/** What the platform exports for one team of one lattice. */
export interface TeamExport {
  /** The lattice as the team joins it: public (a plain output). */
  readonly lattice: pulumi.Output<LatticeReference>;
  /** Delegated role → seed of its scoped signing key: a secret output. */
  readonly signingKeySeeds: pulumi.Output<Record<string, string>>;
}

/** A lattice a team joins: the platform's reference (plain, known when the program runs) and its key seeds (secret). */
export interface TeamLattice {
  readonly reference: LatticeReference;
  readonly signingKeySeeds: pulumi.Input<Record<string, string>>;
}

/** Per lattice path, per team of its `teams` prop: the team's export. */
export function teamExports(constructs: readonly IConstruct[], masterSeed: pulumi.Output<MasterSeed>, issuedAt: number): Record<string, Record<string, TeamExport>> {
  const out: Record<string, Record<string, TeamExport>> = {};
  for (const l of constructs.filter((c): c is Lattice => Lattice.isLattice(c))) {
    const teams = Object.keys(l.teams);
    if (teams.length === 0) continue;
    out[l.node.path] = Object.fromEntries(teams.map((team) => {
      const e = masterSeed.apply((s) => l.teamExport(s, issuedAt, team));
      return [team, { lattice: pulumi.unsecret(e.apply((x) => x.reference)), signingKeySeeds: pulumi.secret(e.apply((x) => x.signingKeySeeds)) }];
    }));
  }
  return out;
}

/**
 * Reads a team's lattice from the platform stack's outputs `latticeOutput` (the reference) and
 * `keysOutput` (the key seeds, kept secret). The reference is awaited: the components build
 * their construct tree from it when they are created, as `pulumi preview` shows it.
 */
export async function joinLattice(platform: pulumi.StackReference, latticeOutput: string, keysOutput: string): Promise<TeamLattice> {
  const details = await platform.getOutputDetails(latticeOutput);
  const reference = (details.value ?? details.secretValue) as LatticeReference | undefined;
  if (reference === undefined) throw new Error(`the platform stack has no output "${latticeOutput}": export a team's lattice (TlosGrid.teams[<lattice path>][<team>].lattice)`);
  return { reference, signingKeySeeds: pulumi.secret(platform.requireOutput(keysOutput) as pulumi.Output<Record<string, string>>) };
}
