/**
 * The `system:ai` keys and the router's NATS user, derived from the master seed like every other
 * credential: per pool an xkey (requesters seal prompts to it), per router an xkey (for hosted
 * fallbacks) and a user in the lattice account with `aiRouterRole`. A pool's NATS identity is
 * its leaf user (`aiPoolRole`, minted with the lattice's leaves).
 */
import type { MasterSeed } from "../core/seed.js";
import { latticeClientCreds } from "../nats/auth.js";
import { aiRouterRole } from "../nats/roles.js";
import { deriveXKey, type XKey } from "./seal.js";

/** `scope` is the lattice's construct path. */
export const poolXKey = (seed: MasterSeed, scope: string, pool: string): XKey => deriveXKey(seed, `${scope}/ai/pool/${pool}`);
export const routerXKey = (seed: MasterSeed, scope: string, router: string): XKey => deriveXKey(seed, `${scope}/ai/router/${router}`);

/** The router's `.creds` (its role: the public AI subjects, the pool subjects, discovery, its own inbox). */
export function routerCreds(seed: MasterSeed, scope: string, lattice: string, router: string, issuedAt: number, lifetime?: number): string {
  return latticeClientCreds(seed, scope, `ai-router-${router}`, issuedAt, aiRouterRole(lattice), lifetime);
}
