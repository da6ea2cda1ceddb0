/**
 * The Podman settings a Lattice's hubs and a TlosNode share (`podman.version`, `userNS`,
 * `autoUpdate`), resolved once in the akash-checks style: problems go to `report`, the returned
 * values are safe fallbacks when a prop is bad.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import { show } from "../core/errors.js";
import type { Report } from "./akash-checks.js";
import { autoUpdateChoice, podmanVersionProblem, USERNS_FORMS } from "./validate.js";

/** The shared Podman props, as the user wrote them. */
export interface PodmanSettingsProps {
  readonly version?: string;
  readonly userNS?: string;
  readonly autoUpdate?: "registry" | "local" | false;
}

export interface PodmanSettings {
  readonly podmanVersion: string;
  readonly userNS: string;
  /** `AutoUpdate=` of the units, or undefined for none. */
  readonly autoUpdate: "registry" | "local" | undefined;
}

/**
 * @param userNSExample an example with options, for the message (e.g. "auto:size=65536")
 * @param images the units' images: `autoUpdate: "registry"` is refused on a digest-pinned one
 */
export function resolvePodman(report: Report, p: PodmanSettingsProps | undefined, userNSExample: string, images: readonly string[]): PodmanSettings {
  const pv = p?.version ?? "5.0";
  const vp = podmanVersionProblem(pv);
  if (vp) report("podman.version", vp);
  const userNS = p?.userNS ?? "auto";
  const ns = typeof userNS === "string" && USERNS_FORMS.test(userNS) ? userNS : "auto";
  if (ns !== userNS) report("podman.userNS", `${show(userNS)} is not a rootless user namespace mode: use "auto", "keep-id" or "nomap" (with options, e.g. "${userNSExample}")`);
  const au = autoUpdateChoice(p?.autoUpdate, images);
  if (au.problem) report("podman.autoUpdate", au.problem);
  return { podmanVersion: vp ? "5.0" : pv, userNS: ns, autoUpdate: au.policy };
}
