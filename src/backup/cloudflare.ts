/**
 * The Cloudflare side of an R2Backup: the bucket, its lifecycle, and a token scoped to that one
 * bucket. The reviewable `cloudflare/r2-<id>.json` and the Pulumi adapter both build from here.
 * @see https://developers.cloudflare.com/r2/api/s3/tokens/
 */
import type { BackupSpec } from "./model.js";

/** One R2 lifecycle rule, shaped as `cloudflare.R2BucketLifecycle` takes it. */
export interface LifecycleRule {
  id: string;
  enabled: boolean;
  conditions: { prefix: string };
  deleteObjectsTransition?: { condition: { type: "Age"; maxAge: number } };
  abortMultipartUploadsTransition?: { condition: { type: "Age"; maxAge: number } };
}

/** The permission groups of the backup token: object read and write, nothing else. */
export const R2_TOKEN_PERMISSION_GROUPS = ["Workers R2 Storage Bucket Item Read", "Workers R2 Storage Bucket Item Write"] as const;

/** The token's resource scope: this one bucket. */
export function bucketScope(accountId: string, jurisdiction: string, bucketName: string): string {
  return `com.cloudflare.edge.r2.bucket.${accountId}_${jurisdiction}_${bucketName}`;
}

export function lifecycleRules(s: BackupSpec): LifecycleRule[] {
  return [
    { id: "expire-old-backups", enabled: true, conditions: { prefix: "" }, deleteObjectsTransition: { condition: { type: "Age", maxAge: s.retentionDays * 86400 } } },
    { id: "abort-incomplete-multipart", enabled: true, conditions: { prefix: "" }, abortMultipartUploadsTransition: { condition: { type: "Age", maxAge: s.abortMultipartDays * 86400 } } },
  ];
}

/** The Cloudflare resources this backup needs, as reviewable JSON (no credentials). */
export function r2Resources(s: BackupSpec): Record<string, unknown> {
  return {
    bucket: { resource: "cloudflare:index/r2Bucket:R2Bucket", args: { accountId: s.accountId, name: s.bucketName, jurisdiction: s.jurisdiction, storageClass: s.storageClass, ...(s.location ? { location: s.location } : {}) } },
    lifecycle: { resource: "cloudflare:index/r2BucketLifecycle:R2BucketLifecycle", args: { accountId: s.accountId, bucketName: s.bucketName, jurisdiction: s.jurisdiction, rules: lifecycleRules(s) } },
    token: {
      resource: "cloudflare:index/accountToken:AccountToken",
      args: { accountId: s.accountId, name: `${s.bucketName}-backup`, policies: [{ effect: "allow", permissionGroups: [...R2_TOKEN_PERMISSION_GROUPS], resources: { [bucketScope(s.accountId, s.jurisdiction, s.bucketName)]: "*" } }] },
      s3: { endpoint: s.endpoint, accessKeyId: "token id (secret output)", secretAccessKey: "sha256(token value) (secret output)" },
    },
  };
}
