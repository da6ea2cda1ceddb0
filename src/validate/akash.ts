/**
 * An SDL checked twice: by `generateManifest` from `@akashnetwork/chain-sdk` (the JS side Akash
 * maintains; it builds the exact manifest and group specs a deployment sends) and by our check of
 * the rules Akash's Go parser enforces, which the JS validators miss in part.
 */
import { goRuleProblems } from "../akash/go-rules.js";
import type { Sdl } from "../akash/sdl.js";
import { importOptional } from "../core/optional.js";
import { parseYaml } from "./schemas.js";

export async function sdlProblems(text: string): Promise<string[]> {
  const doc = parseYaml(text) as Sdl;
  const { generateManifest } = await importOptional("@akashnetwork/chain-sdk", () => import("@akashnetwork/chain-sdk"));
  const r = generateManifest(doc as never, "mainnet");
  const js = r.ok ? [] : r.value.map((e) => `chain-sdk ${e.instancePath || "/"} ${e.message ?? ""}`.trim());
  return [...js, ...goRuleProblems(doc).map((p) => `go-rule ${p.at}: ${p.message}`)];
}
