/**
 * The master seed of a Pulumi program: `TlosGrid`'s `masterSeed` arg or the secret stack config
 * `tlos:masterSeed`. A seed known when the program starts (a string arg, or the config value) is
 * checked before anything registers, so a missing, malformed or low-entropy seed is one problem
 * in the grid's list — never an unhandled rejection inside an output. The problem names the rule
 * the seed breaks, never the seed. A seed given as an Output (another resource's result) can only
 * be checked when it resolves; it then fails with a `ResourceError` naming the grid.
 * @see https://www.pulumi.com/docs/iac/concepts/secrets/
 */
import * as pulumi from "@pulumi/pulumi";
import type { Problem } from "../core/errors.js";
import { MasterSeed } from "../core/seed.js";

const CONFIG_KEY = "tlos:masterSeed";
const HOW = "`pulumi config set --secret tlos:masterSeed \"$(openssl rand -hex 32)\"`";

function reason(text: string): string | undefined {
  try {
    MasterSeed.parse(text);
    return undefined;
  } catch (e) {
    return e instanceof RangeError ? e.message.replace(/ \(a test may pass --insecure-test-seed\)$/, "") : String(e);
  }
}

function fieldOf(arg: pulumi.Input<string> | undefined): string {
  return arg === undefined ? CONFIG_KEY : "masterSeed";
}

/** Problems of a seed known now (a string arg or the config value), listed with the grid's. */
export function masterSeedProblems(gridPath: string, arg: pulumi.Input<string> | undefined): Problem[] {
  const field = fieldOf(arg);
  const known = typeof arg === "string" ? arg : arg === undefined ? pulumi.runtime.getConfig(CONFIG_KEY) : undefined;
  if (arg === undefined && known === undefined) return [{ path: gridPath, field, code: "master-seed", message: `is not set; allowed: a secret of 32+ random bytes, e.g. ${HOW}` }];
  const why = known === undefined ? undefined : reason(known);
  return why ? [{ path: gridPath, field, code: "master-seed", message: `is refused: ${why}; set a new one with ${HOW}` }] : [];
}

/** The seed as a secret Output; call it only once {@link masterSeedProblems} found none. */
export function masterSeedOutput(gridPath: string, arg: pulumi.Input<string> | undefined, resource: pulumi.Resource): pulumi.Output<MasterSeed> {
  const text = arg ?? new pulumi.Config("tlos").requireSecret("masterSeed");
  return pulumi.secret(text).apply((s) => {
    const why = reason(s);
    if (why) throw new pulumi.ResourceError(`[${gridPath}] ${fieldOf(arg)}: is refused: ${why}`, resource);
    return MasterSeed.parse(s);
  });
}
