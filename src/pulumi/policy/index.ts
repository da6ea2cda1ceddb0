/**
 * `@tlos/grid/policy`: the tLOS CrossGuard policies, for `pulumi preview --policy-pack`. This
 * module only lists them; the pack (`new PolicyPack`, which starts a gRPC server) lives in the
 * `policy/` folder of the package, so tests and other packs can import the policies.
 * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/
 */
import type { Policies } from "@pulumi/policy";
import { akashPriceCap, hubsEnforceLeafPermissions, noPlainSecrets, statefulProtected } from "./grid.js";
import { imagesPinnedByDigest, noPublicIngress, signedImageAdmission } from "./workloads.js";

export { akashPriceCap, hubsEnforceLeafPermissions, noPlainSecrets, statefulProtected, DEFAULT_MAX_AMOUNT_PER_BLOCK, STATEFUL_TYPES, type AkashPriceConfig } from "./grid.js";
export { imagesPinnedByDigest, noPublicIngress, signedImageAdmission, type IngressConfig } from "./workloads.js";

/** Every tLOS policy, mandatory by default (a pack config can lower each one). */
export const tlosPolicies: Policies = [noPublicIngress, imagesPinnedByDigest, signedImageAdmission, hubsEnforceLeafPermissions, akashPriceCap, statefulProtected, noPlainSecrets];
