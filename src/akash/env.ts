/**
 * Environment values of Akash services. A value is a plain string or `{ secret: "…" }`; a secret
 * value goes only into the deployable SDL under `secrets/` (a Pulumi secret), and the reviewable
 * SDL shows `<secret:env:NAME>` in its place, so `tlos diff` reports a change of it only as a
 * changed secret file. Well-known secret names given as plain strings are refused.
 * @see https://akash.network/docs/network-features/environment-variables/
 */
import { SECRET_PLACEHOLDER } from "./lattice-services.js";

/** An env value as a prop takes it. */
export type EnvValue = string | { readonly secret: string };

export interface EnvEntry {
  readonly name: string;
  readonly value: string;
  readonly secret: boolean;
}

/** Names that hold credentials by convention: `*_TOKEN`, `*_KEY`, `*_SECRET`, `*PASSWORD*`. */
export const SECRET_ENV_NAME = /(?:^|_)(?:TOKEN|KEY|SECRET)$|PASSWORD/i;

/** `NAME=value` lines, sorted; secret values revealed only when `reveal` (the deployable SDL). */
export function envLines(entries: readonly EnvEntry[], reveal: boolean): string[] {
  return [...entries]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((e) => `${e.name}=${e.secret && !reveal ? SECRET_PLACEHOLDER(`env:${e.name}`) : e.value}`);
}
