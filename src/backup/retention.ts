/**
 * Who deletes what in an R2 backup. restic owns retention: `restic forget --keep-… --prune` drops
 * snapshots outside the keep policy and only then the pack files no snapshot references. The
 * bucket lifecycle must never delete restic's objects by age: `config`, `keys/`, `index/` and
 * still-referenced `data/` packs are old by design (a pack written on day 1 holds data every later
 * snapshot shares), so an age rule on them leaves the repository unreadable. The lifecycle only
 * aborts incomplete multipart uploads (interrupted uploads, never part of the repository).
 * @see https://restic.readthedocs.io/en/stable/060_forget.html
 * @see https://restic.readthedocs.io/en/stable/100_references.html#repository-format
 * @see https://developers.cloudflare.com/r2/buckets/object-lifecycles/
 */
import type { Retention } from "./restic.js";

/** Days back the oldest snapshot a keep policy holds can reach (a month counted as 31 days). */
export function keepHorizonDays(keep: Retention): number {
  return Math.max(keep.daily, keep.weekly * 7, keep.monthly * 31);
}

/**
 * Checks `retentionDays` (the oldest a snapshot may get) against the keep policy that enforces
 * it: a policy that holds snapshots longer breaks the promise; one message per keep field.
 */
export function retentionProblems(retentionDays: number, keep: Retention): { field: string; message: string }[] {
  const out: { field: string; message: string }[] = [];
  const check = (field: keyof Retention, days: number, what: string) => {
    if (days > retentionDays) out.push({ field: `keep.${field}`, message: `keep.${field}: ${keep[field]} holds snapshots up to ${days} days old (${what}), beyond retentionDays ${retentionDays}: lower keep.${field} to ${Math.floor(retentionDays / (days / Math.max(keep[field], 1)))} or raise retentionDays to ${days}` });
  };
  check("daily", keep.daily, `${keep.daily} daily`);
  check("weekly", keep.weekly * 7, `${keep.weekly} weeks`);
  check("monthly", keep.monthly * 31, `${keep.monthly} months of 31 days`);
  return out;
}
