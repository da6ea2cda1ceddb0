/**
 * Akash leases pulling from the grid registry: every image of an SDL that is pinned by digest is
 * named at the registry's public endpoint (`<endpoint>/<registry>/<repository>@<digest>`, where
 * `tlos images mirror` copies it), and its service carries the SDL's `credentials` with the lease's
 * own pull identity. The provider turns them into an image pull secret for that one service; the
 * identity can only read (the registry's pull instance is read-only). Images without a digest
 * stay upstream: a tag could name other bytes in the grid registry than upstream.
 * @see https://akash.network/docs/network-features/stack-definition-language/ (services.credentials)
 * @see https://github.com/akash-network/chain-sdk/blob/main/go/sdl/v2.go (v2ServiceCredentials.validate)
 */
import { ImageRef } from "../core/image.js";
import type { Sdl } from "./sdl.js";

/** The registry an SDL pulls through, and the lease's identity there. */
export interface RegistryPull {
  /** `host[:port]` of the registry's pull instance as reachable from the Internet. */
  readonly endpoint: string;
  readonly username: string;
  /** The password, or a `<secret:…>` placeholder in the reviewable copy. */
  readonly password: string;
}

/** The image of a service when pulled through `endpoint`, or undefined when it stays upstream. */
export function throughRegistryImage(endpoint: string, image: string): string | undefined {
  let ref: ImageRef;
  try {
    ref = ImageRef.parse(image);
  } catch {
    return undefined;
  }
  if (!ref.digest || ref.registry === endpoint) return undefined;
  return `${endpoint}/${ref.registry}/${ref.repository}@${ref.digest}`;
}

/** `sdl` with each digest-pinned image pulled from the registry, with credentials on its service. */
export function pullThroughRegistry(sdl: Sdl, r: RegistryPull): Sdl {
  const services: Sdl["services"] = {};
  for (const [name, svc] of Object.entries(sdl.services)) {
    const image = throughRegistryImage(r.endpoint, svc.image);
    services[name] = image ? { ...svc, image, credentials: { host: r.endpoint, username: r.username, password: r.password } } : svc;
  }
  return { ...sdl, services };
}
