/**
 * An account API token scoped to one R2 bucket (object read and write only) and its S3 keys:
 * access key = token id, secret = SHA-256 of the token value, both secret outputs. R2Backup's and
 * Registry's buckets both get theirs here.
 * @see https://developers.cloudflare.com/r2/api/s3/tokens/
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type * as CF from "@pulumi/cloudflare";
import { bucketScope, R2_TOKEN_PERMISSION_GROUPS } from "../../backup/cloudflare.js";

const require = createRequire(import.meta.url);
const cf = () => require("@pulumi/cloudflare") as typeof CF;

export interface BucketToken {
  readonly token: CF.AccountToken;
  /** S3 access key id (the token id), secret. */
  readonly accessKeyId: pulumi.Output<string>;
  /** S3 secret access key (SHA-256 hex of the token value), secret. */
  readonly secretAccessKey: pulumi.Output<string>;
}

export function bucketToken(name: string, b: { accountId: string; jurisdiction: string; bucket: pulumi.Output<string>; tokenName: string }, opts: pulumi.CustomResourceOptions): BucketToken {
  const c = cf();
  const groups = c.getAccountApiTokenPermissionGroupsListOutput({ accountId: b.accountId }, { parent: opts.parent });
  const wanted: readonly string[] = R2_TOKEN_PERMISSION_GROUPS;
  const permissionGroups = groups.results.apply((rs) => {
    const found = (rs ?? []).filter((g) => wanted.includes(g.name)).map((g) => ({ id: g.id }));
    if (found.length !== wanted.length) throw new Error(`Cloudflare permission groups not found: ${wanted.join(", ")}`);
    return found;
  });
  const scope = b.bucket.apply((n) => JSON.stringify({ [bucketScope(b.accountId, b.jurisdiction, n)]: "*" }));
  const token = new c.AccountToken(`${name}-token`, { accountId: b.accountId, name: b.tokenName, policies: [{ effect: "allow", permissionGroups, resources: scope }] }, opts);
  return { token, accessKeyId: pulumi.secret(token.id), secretAccessKey: pulumi.secret(token.value.apply((v) => createHash("sha256").update(v).digest("hex"))) };
}
