/**
 * The Podman settings a Lattice's hubs and a TlosNode share (`podman.version`, `userNS`,
 * `autoUpdate`), resolved once in the akash-checks style: problems go to `report`, the returned
 * values are safe fallbacks when a prop is bad.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import { show } from "../core/errors.js";
import type { Report } from "./akash-checks.js";
import { podmanVersionProblem, USERNS_FORMS } from "./validate.js";

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

/** @param userNSExample an example with options, for the message (e.g. "auto:size=65536") */
export function resolvePodman(report: Report, p: PodmanSettingsProps | undefined, userNSExample: string): PodmanSettings {
  const pv = p?.version ?? "5.0";
  const vp = podmanVersionProblem(pv);
  if (vp) report("podman.version", vp);
  const userNS = p?.userNS ?? "auto";
  const ns = typeof userNS === "string" && USERNS_FORMS.test(userNS) ? userNS : "auto";
  if (ns !== userNS) report("podman.userNS", `${show(userNS)} is not a rootless user namespace mode: use "auto", "keep-id" or "nomap" (with options, e.g. "${userNSExample}")`);
  const au = p?.autoUpdate ?? "registry";
  if (au !== false && au !== "registry" && au !== "local") report("podman.autoUpdate", `${show(au)} is not allowed: use "registry", "local" or false`);
  return { podmanVersion: vp ? "5.0" : pv, userNS: ns, autoUpdate: au === "registry" || au === "local" ? au : undefined };
}
