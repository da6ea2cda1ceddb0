/**
 * Renders a Quadlet unit in podlet's fixed section order: [Unit], resource, [Service], [Install].
 * Values of the resource section become arguments of the generated `ExecStart=`, so they are
 * written literally (`%` → `%%`, `$` → `$$`); [Unit] and [Install] values escape specifiers.
 * [Service] entries and `bodySpecified` are the builders' own and may use specifiers such as `%h` on purpose.
 */
import { renderIni, unitLiteral, type IniEntry } from "../core/ini.js";
import { sectionName, type QuadletUnit } from "./model.js";

const literal = (entries: readonly IniEntry[] | undefined, dollars: boolean): IniEntry[] => (entries ?? []).map(([k, v]) => [k, unitLiteral(v, dollars)]);

export function renderUnit(u: QuadletUnit): string {
  return renderIni(
    [
      { name: "Unit", entries: literal(u.unit, false) },
      { name: sectionName(u.type), entries: [...literal(u.body, true), ...(u.bodySpecified ?? [])] },
      { name: "Service", entries: u.service ?? [] },
      { name: "Install", entries: literal(u.install, false) },
    ],
    u.header ?? [],
  );
}
