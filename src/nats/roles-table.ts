/**
 * The README's threat-model table, rendered from the role definitions (`scripts/roles-table.ts`
 * writes it; `test/roles.test.ts` checks the README matches).
 */
import type { UserPermissions } from "./jwt.js";
import { backupRole, clusterBackupRole } from "./backup-roles.js";
import { adminRole, aiPoolRole, aiRouterRole, kubeLeafRole, nodeRoleV1, nodeRoleV2, operatorUserRoles, policyRole, sysRole, wadmRole, type Role } from "./roles.js";

const code = (xs: readonly string[]) => xs.map((x) => `\`${x}\``).join(" ");

/** Every role of a lattice, with placeholders for per-lattice values (the README table). */
export function exampleRoles(): Role[] {
  const L = "<lattice>";
  const node = { lattice: L, domain: "<domain>", hostId: "<host>", policyTopic: `wasmcloud.policy.${L}` };
  const clusterBackup = clusterBackupRole("<id>", "<domain>", ["<stream>"]);
  return [
    nodeRoleV1(node), nodeRoleV2(node), wadmRole(L), policyRole(node.policyTopic), backupRole(), adminRole(), sysRole(),
    aiPoolRole(L), aiRouterRole(L), kubeLeafRole(L, [clusterBackup]), ...operatorUserRoles(L), clusterBackup,
  ];
}

/** A compact view of a subject list for the table: the JetStream API entries of a bucket or stream folded. */
function fold(xs: readonly string[]): string {
  const js = xs.filter((x) => /^\$JS\.|^\$KV\./.test(x));
  const rest = xs.filter((x) => !js.includes(x));
  const names = [...new Set(js.map((x) => /KV_([^.]+)|\$KV\.([^.]+)|\.(wadm_[a-z_]+|wasmbus_events)/.exec(x)).filter(Boolean).map((m) => (m![1] ?? m![2] ?? m![3])!))];
  const other = js.filter((x) => !/KV_|\$KV\.|wadm_|wasmbus_events/.test(x));
  const parts = [code(rest)];
  if (names.length > 0) parts.push(`JetStream use (info, get, consume, KV put; no create/delete/purge) of ${code(names)}`);
  if (other.length > 0) parts.push(code(other));
  return parts.filter(Boolean).join("; ");
}

function permsCell(p: UserPermissions | undefined, side: "pub" | "sub"): string {
  if (!p) return "anything in its account";
  const allow = p[side] ?? [];
  const deny = side === "pub" ? p.pubDeny : p.subDeny;
  const parts = allow.length > 0 ? [fold(allow)] : [];
  if (side === "pub" && p.resp) parts.push(`replies to requests it received (≤ ${p.resp.max} within ${p.resp.ttlSeconds} s)`);
  if (parts.length === 0 && deny?.includes(">")) return "nothing";
  return parts.join("; ") || (p[side] === undefined ? "anything" : "nothing");
}

/** The README's role table, generated from {@link exampleRoles}. */
export function rolesMarkdown(roles: readonly Role[] = exampleRoles()): string {
  const rows = roles.map((r) => {
    const conn = r.connection === "config" ? "leaf config user" : r.connection.join(", ");
    return `| ${r.title} | ${r.holder} | ${r.trust} | ${conn}${r.renewable ? " (renewable)" : ""} | ${permsCell(r.perms, "pub")} | ${permsCell(r.perms, "sub")} | ${r.cannot} |`;
  });
  return ["| role | holder | trust | connection | may publish | may receive | cannot |", "|---|---|---|---|---|---|---|", ...rows].join("\n");
}
