/**
 * An Akash lease's SDL through the lattice's Registry, when the registry has a `publicEndpoint`:
 * digest-pinned images from there, with the lease's own pull identity (src/akash/registry-pull.ts).
 */
import { pullThroughRegistry } from "../akash/registry-pull.js";
import { SECRET_PLACEHOLDER } from "../akash/lattice-services.js";
import type { Sdl } from "../akash/sdl.js";
import type { MasterSeed } from "../core/seed.js";
import type { Construct } from "constructs";
import { hostUser, Registry } from "./registry.js";

/** `sdl` of lease `member` of `lattice` (a team's joined lattice has no registry of its own); with `seed` the deployable one (the password), otherwise a `<secret:…>` placeholder. */
export function akashThroughRegistry(sdl: Sdl, lattice: Construct, member: string, seed?: MasterSeed): Sdl {
  const reg = lattice.node.children.find(Registry.isRegistry);
  if (!reg?.publicEndpoint) return sdl;
  const password = seed ? reg.hostIdentity(seed, member).password : SECRET_PLACEHOLDER("registry-password");
  return pullThroughRegistry(sdl, { endpoint: reg.publicEndpoint, username: hostUser(member), password });
}
