/**
 * Cloudflare resources of the grid through `@pulumi/cloudflare` 6.x (loaded only when a grid
 * has Cloudflare constructs): an R2 bucket, its lifecycle and a token scoped to that bucket
 * (S3 access key = token id, secret = SHA-256 of the token value, both secret outputs); a Realtime
 * TURN key (`CallsTurnApp`); an AI Gateway (the id argument is `aiGatewayId`).
 * @see https://www.pulumi.com/registry/packages/cloudflare/
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type * as CF from "@pulumi/cloudflare";
import type { R2Backup } from "../../constructs/r2-backup.js";
import { bucketScope, R2_TOKEN_PERMISSION_GROUPS } from "../../backup/cloudflare.js";
import type { AiGateway } from "../../constructs/ai-gateway.js";
import type { TurnRelay, CloudflareTurnProps } from "../../constructs/turn-relay.js";

const require = createRequire(import.meta.url);
const cf = () => require("@pulumi/cloudflare") as typeof CF;

export interface R2BackupResources {
  readonly bucket: CF.R2Bucket;
  readonly lifecycle: CF.R2BucketLifecycle;
  readonly token: CF.AccountToken;
  /** S3 access key id (the token id), secret. */
  readonly accessKeyId: pulumi.Output<string>;
  /** S3 secret access key (SHA-256 hex of the token value), secret. */
  readonly secretAccessKey: pulumi.Output<string>;
  readonly endpoint: string;
}

export function r2BackupResources(name: string, b: R2Backup, opts: pulumi.CustomResourceOptions): R2BackupResources {
  const c = cf();
  const bucket = new c.R2Bucket(`${name}-bucket`, { accountId: b.accountId, name: b.bucketName, jurisdiction: b.jurisdiction, storageClass: b.storageClass, ...(b.location ? { location: b.location } : {}) }, opts);
  const lifecycle = new c.R2BucketLifecycle(`${name}-lifecycle`, { accountId: b.accountId, bucketName: bucket.name, jurisdiction: b.jurisdiction, rules: b.lifecycleRules() }, opts);
  const groups = c.getAccountApiTokenPermissionGroupsListOutput({ accountId: b.accountId }, { parent: opts.parent });
  const wanted: readonly string[] = R2_TOKEN_PERMISSION_GROUPS;
  const permissionGroups = groups.results.apply((rs) => {
    const found = (rs ?? []).filter((g) => wanted.includes(g.name)).map((g) => ({ id: g.id }));
    if (found.length !== wanted.length) throw new Error(`Cloudflare permission groups not found: ${wanted.join(", ")}`);
    return found;
  });
  const scope = bucket.name.apply((n) => JSON.stringify({ [bucketScope(b.accountId, b.jurisdiction, n)]: "*" }));
  const token = new c.AccountToken(`${name}-token`, { accountId: b.accountId, name: `${b.bucketName}-backup`, policies: [{ effect: "allow", permissionGroups, resources: scope }] }, opts);
  return {
    bucket,
    lifecycle,
    token,
    accessKeyId: pulumi.secret(token.id),
    secretAccessKey: pulumi.secret(token.value.apply((v) => createHash("sha256").update(v).digest("hex"))),
    endpoint: b.endpoint,
  };
}

export function turnResources(name: string, t: TurnRelay, opts: pulumi.CustomResourceOptions): { app: CF.CallsTurnApp; keyId: pulumi.Output<string>; key: pulumi.Output<string> } {
  const p = t.props as CloudflareTurnProps;
  const app = new (cf().CallsTurnApp)(`${name}-turn`, { accountId: p.accountId, name: `tlos-${t.node.id}` }, opts);
  return { app, keyId: app.keyId, key: pulumi.secret(app.key) };
}

export function aiGatewayResources(name: string, g: AiGateway, opts: pulumi.CustomResourceOptions): CF.AiGateway {
  return new (cf().AiGateway)(`${name}-gateway`, g.gatewayArgs(), opts);
}
