/**
 * `teams` of a Lattice: which roles the platform delegates to which team (each through its own
 * scoped signing key on the account JWT), and what the platform hands a team so it can join the
 * lattice from its own stack without the master seed: a {@link LatticeReference} (public) and
 * the scoped signing key seeds (secret).
 */
import { show } from "../core/errors.js";
import { idProblem } from "../core/names.js";
import { DELEGABLE_ROLES, type DelegableRole } from "../nats/scoped-keys.js";
import type { WasmCloudVersion } from "../wasmcloud/host.js";
import type { Report } from "./validate.js";

/**
 * What a team needs to know of a lattice it joins: all public (hub leaf URLs, the CA certificate,
 * the account public key, the public keys of the scoped signing keys delegated to the team) —
 * what a platform stack exports for a team, next to the key seeds as a secret.
 */
export interface LatticeReference {
  /** The lattice's construct id at the platform (the folder its members' files go to). */
  readonly id: string;
  /** Lattice name (v1 lattice, v2 host group, NATS account name). */
  readonly name: string;
  readonly jetstreamDomain: string;
  readonly wasmcloud: WasmCloudVersion;
  /** The hubs' NATS image (an in-cluster leaf runs the same). */
  readonly natsImage: string;
  /** `host:port` of every hub's leafnode listener. */
  readonly leafUrls: readonly string[];
  /** PEM of the lattice CA the hubs' certificates chain to. */
  readonly caPem: string;
  /** The lattice account's public key (`A…`): the `issuer_account` of the team's user JWTs. */
  readonly accountPublicKey: string;
  /** The team this reference is for. */
  readonly team: string;
  /** Delegated role → the public key of its scoped signing key (listed in the account JWT). */
  readonly signingKeys: Readonly<Partial<Record<DelegableRole, string>>>;
}

/** Resolves `teams`: team id → a non-empty list of delegable roles. */
export function resolveTeams(teams: unknown, report: Report): Record<string, DelegableRole[]> {
  if (teams === undefined) return {};
  if (typeof teams !== "object" || teams === null || Array.isArray(teams)) {
    report("teams", `must map team ids to delegated roles, e.g. { ml: ["ai-pool", "k8s-leaf"] }, got ${show(teams)}`);
    return {};
  }
  const out: Record<string, DelegableRole[]> = {};
  for (const [team, roles] of Object.entries(teams)) {
    const why = idProblem(team);
    if (why) { report(`teams.${team}`, why); continue; }
    if (!Array.isArray(roles) || roles.length === 0) { report(`teams.${team}`, `${show(roles)} is not allowed: use a non-empty list of ${DELEGABLE_ROLES.join(", ")}`); continue; }
    const ok: DelegableRole[] = [];
    roles.forEach((r: unknown, n) => {
      if ((DELEGABLE_ROLES as readonly unknown[]).includes(r)) ok.push(r as DelegableRole);
      else report(`teams.${team}[${n}]`, `${show(r)} is not a role a team can be given; allowed: ${DELEGABLE_ROLES.join(", ")}`);
    });
    out[team] = [...new Set(ok)].sort();
  }
  return out;
}
