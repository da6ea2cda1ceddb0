/**
 * Credential reuse, as far as the hubs can show it. nats-server cannot bind creds to a machine,
 * has no per-user connection limit in a user JWT (only `subs`, `data`, `payload`, `src`, `times`),
 * and `/leafz` does not name the user a leaf authenticated as. What it does show is each leaf's
 * server name, which a grid's leaves set to their node id: a name the lattice does not know, or
 * more leaves with one name than that member runs, means someone else is dialing in (possibly with
 * copied creds). The account JWT's `limits.leaf` caps leaf connections for the whole account.
 * @see https://docs.nats.io/running-a-nats-service/nats_admin/monitoring#leaf-node-information
 */

/** One hub's `/leafz` (the fields used). */
export interface Leafz {
  readonly server_name?: string;
  readonly leafs?: readonly { readonly name?: string; readonly account?: string; readonly ip?: string; readonly port?: number }[];
}

export interface LeafFinding {
  readonly name: string;
  readonly connections: number;
  /** Where they come from (`ip:port` per connection). */
  readonly from: readonly string[];
  readonly problem: string;
}

/**
 * Leaf connections of `account` across the hubs that no member accounts for. `expected` maps a
 * leaf id to how many leaves run with its creds (replicas), or a server-name pattern for
 * replicated leaves named by `$HOSTNAME`.
 */
export function leafFindings(hubs: readonly Leafz[], account: string, expected: ReadonlyMap<string, number>, replicated: readonly RegExp[] = []): LeafFinding[] {
  const seen = new Map<string, string[]>();
  for (const h of hubs) {
    for (const l of h.leafs ?? []) {
      if (l.account !== account) continue;
      const name = l.name ?? "";
      seen.set(name, [...(seen.get(name) ?? []), `${l.ip ?? "?"}:${l.port ?? "?"}`]);
    }
  }
  const out: LeafFinding[] = [];
  for (const [name, from] of [...seen].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const want = expected.get(name);
    if (want === undefined && !replicated.some((r) => r.test(name))) out.push({ name, connections: from.length, from, problem: `leaf ${JSON.stringify(name)} is not a member of this lattice: someone dials in with a member's creds; revoke that member` });
    else if (want !== undefined && from.length > want) out.push({ name, connections: from.length, from, problem: `${from.length} leaves named ${JSON.stringify(name)}, ${want} expected: its creds are used twice; revoke the node and re-issue` });
  }
  return out;
}
