/**
 * Cloudflare resources of the grid through `@pulumi/cloudflare` 6.x (loaded only when a grid
 * has Cloudflare constructs): an R2 bucket, its lifecycle and a token scoped to that bucket
 * (S3 access key = token id, secret = SHA-256 of the token value, both secret outputs); a Realtime
 * TURN key (`CallsTurnApp`); an AI Gateway (the id argument is `aiGatewayId`).
 * @see https://www.pulumi.com/registry/packages/cloudflare/
 */
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type * as CF from "@pulumi/cloudflare";
import type { R2Backup } from "../../constructs/r2-backup.js";
import { bucketToken } from "./bucket-token.js";
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

/** `protect`: the bucket holds the backups, so `pulumi destroy` refuses to delete it unless unprotected. */
export function r2BackupResources(name: string, b: R2Backup, opts: pulumi.CustomResourceOptions, protect = true): R2BackupResources {
  const c = cf();
  const bucket = new c.R2Bucket(`${name}-bucket`, { accountId: b.accountId, name: b.bucketName, jurisdiction: b.jurisdiction, storageClass: b.storageClass, ...(b.location ? { location: b.location } : {}) }, { ...opts, protect });
  const lifecycle = new c.R2BucketLifecycle(`${name}-lifecycle`, { accountId: b.accountId, bucketName: bucket.name, jurisdiction: b.jurisdiction, rules: b.lifecycleRules() }, opts);
  return {
    bucket,
    lifecycle,
    ...bucketToken(name, { accountId: b.accountId, jurisdiction: b.jurisdiction, bucket: bucket.name, tokenName: `${b.bucketName}-backup` }, opts),
    endpoint: b.endpoint,
  };
}

export interface TurnResources {
  readonly app: CF.CallsTurnApp;
  readonly keyId: pulumi.Output<string>;
  /** The TURN key, secret. */
  readonly key: pulumi.Output<string>;
}

export interface AiGatewayResources {
  readonly gateway: CF.AiGateway;
}

export function turnResources(name: string, t: TurnRelay, opts: pulumi.CustomResourceOptions): TurnResources {
  const p = t.props as CloudflareTurnProps;
  const app = new (cf().CallsTurnApp)(`${name}-turn`, { accountId: p.accountId, name: `tlos-${t.node.id}` }, opts);
  return { app, keyId: app.keyId, key: pulumi.secret(app.key) };
}

export function aiGatewayResources(name: string, g: AiGateway, opts: pulumi.CustomResourceOptions): AiGatewayResources {
  return { gateway: new (cf().AiGateway)(`${name}-gateway`, g.gatewayArgs(), opts) };
}
