/** Renders a Quadlet unit in podlet's fixed section order: [Unit], resource, [Service], [Install]. */
import { renderIni } from "../core/ini.js";
import { sectionName, type QuadletUnit } from "./model.js";

export function renderUnit(u: QuadletUnit): string {
  return renderIni(
    [
      { name: "Unit", entries: u.unit ?? [] },
      { name: sectionName(u.type), entries: u.body },
      { name: "Service", entries: u.service ?? [] },
      { name: "Install", entries: u.install ?? [] },
    ],
    u.header ?? [],
  );
}
