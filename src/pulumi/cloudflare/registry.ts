/**
 * The R2 bucket of a Registry with `storage.driver: "r2"` and a token scoped to that one bucket,
 * created like an R2Backup's (bucket-token.ts). The bucket is protected by default: it holds every
 * image and component of the grid.
 * @see https://developers.cloudflare.com/r2/api/s3/tokens/
 */
import { createRequire } from "node:module";
import type * as pulumi from "@pulumi/pulumi";
import type * as CF from "@pulumi/cloudflare";
import type { Registry } from "../../constructs/registry.js";
import { bucketToken, type BucketToken } from "./bucket-token.js";

const require = createRequire(import.meta.url);
const cf = () => require("@pulumi/cloudflare") as typeof CF;

export interface RegistryBucketResources extends BucketToken {
  readonly bucket: CF.R2Bucket;
}

/** Undefined unless the registry keeps its blobs on R2. */
export function registryBucketResources(name: string, r: Registry, opts: pulumi.CustomResourceOptions, protect = true): RegistryBucketResources | undefined {
  if (!r.r2) return undefined;
  const { accountId, bucket: bucketName } = r.r2;
  const bucket = new (cf().R2Bucket)(`${name}-bucket`, { accountId, name: bucketName, jurisdiction: "default" }, { ...opts, protect });
  return { bucket, ...bucketToken(name, { accountId, jurisdiction: "default", bucket: bucket.name, tokenName: `${bucketName}-registry` }, opts) };
}
