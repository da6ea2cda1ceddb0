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
const how = (key: string) => `\`pulumi config set --secret ${key} "$(openssl rand -hex 32)"\``;

function reason(text: string): string | undefined {
  try {
    MasterSeed.parse(text);
    return undefined;
  } catch (e) {
    return e instanceof RangeError ? e.message.replace(/ \(a test may pass --insecure-test-seed\)$/, "") : String(e);
  }
}

/** Which seed: the grid's master seed (`masterSeed` arg, `tlos:masterSeed`) or a team's own (`teamSeed`, `tlos:teamSeed`). */
export interface SeedKey {
  readonly arg: string;
  readonly config: string;
}
const MASTER: SeedKey = { arg: "masterSeed", config: CONFIG_KEY };

function fieldOf(arg: pulumi.Input<string> | undefined, key: SeedKey): string {
  return arg === undefined ? key.config : key.arg;
}

/** Problems of a seed known now (a string arg or the config value), listed with the grid's. */
export function masterSeedProblems(gridPath: string, arg: pulumi.Input<string> | undefined, key: SeedKey = MASTER): Problem[] {
  const field = fieldOf(arg, key);
  const known = typeof arg === "string" ? arg : arg === undefined ? pulumi.runtime.getConfig(key.config) : undefined;
  if (arg === undefined && known === undefined) return [{ path: gridPath, field, code: "master-seed", message: `is not set; allowed: a secret of 32+ random bytes, e.g. ${how(key.config)}` }];
  const why = known === undefined ? undefined : reason(known);
  return why ? [{ path: gridPath, field, code: "master-seed", message: `is refused: ${why}; set a new one with ${how(key.config)}` }] : [];
}

/**
 * The seed as a secret Output; call it only once {@link masterSeedProblems} found none. A seed
 * that resolves bad fails as a `ResourceError` of `resource` (a plain Error without one).
 */
export function masterSeedOutput(gridPath: string, arg: pulumi.Input<string> | undefined, resource: pulumi.Resource | undefined, key: SeedKey = MASTER): pulumi.Output<MasterSeed> {
  const [ns, name] = key.config.split(":") as [string, string];
  const text = arg ?? new pulumi.Config(ns).requireSecret(name);
  return pulumi.secret(text).apply((s) => {
    const why = reason(s);
    const msg = `[${gridPath}] ${fieldOf(arg, key)}: is refused: ${why}`;
    if (why) throw resource ? new pulumi.ResourceError(msg, resource) : new Error(msg);
    return MasterSeed.parse(s);
  });
}
