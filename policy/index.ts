// The tLOS Grid CrossGuard policy pack: `pulumi preview --policy-pack ./policy` (in this
// repository) or `--policy-pack node_modules/@tlos/grid/policy` (from the package). The policies
// themselves are plain objects in `@tlos/grid/policy`, unit-tested there; this file only starts
// the pack (`new PolicyPack` serves the policies to the Pulumi engine over gRPC). Lower a policy
// with a pack config, e.g. `{ "tlos-images-pinned-by-digest": "advisory" }`.
import { PolicyPack } from "@pulumi/policy";
import { tlosPolicies } from "@tlos/grid/policy";

new PolicyPack("tlos-grid", { policies: tlosPolicies });
