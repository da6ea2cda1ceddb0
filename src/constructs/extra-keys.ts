/**
 * `podman.extraKeys`, the escape hatch for Quadlet keys tLOS does not set. A key that weakens a
 * default (publishes a port, changes the network, adds privileges or capabilities, makes the
 * root file system writable, mounts host paths, …) needs an explicit
 * `podman.allowInsecure: ["<Key>"]` and is then accepted with a warning. An unknown unit name, a
 * key that is not a Quadlet key name, or a value systemd would cut or join is refused.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import { show } from "../core/errors.js";
import { unitValueProblem, type IniEntry } from "../core/ini.js";

/** The units of a node that take extra keys. */
export const EXTRA_KEY_UNITS = ["pod", "nats", "host"] as const;
export type ExtraKeyUnit = (typeof EXTRA_KEY_UNITS)[number];

/** Keys that can undo a default of the node's pod or containers, and what each can undo. */
export const WEAKENING_KEYS: Readonly<Record<string, string>> = {
  PublishPort: "publishes a port on the host (nodes dial out and publish nothing; publishPorts refuses the NATS ports)",
  ExposeHostPort: "exposes a port",
  Network: "changes the network (e.g. host networking reaches every host service)",
  PodmanArgs: "passes raw podman flags (e.g. --privileged)",
  GlobalArgs: "passes raw podman global flags",
  AddCapability: "adds Linux capabilities (every one is dropped)",
  ReadOnly: "can make the root file system writable",
  ReadOnlyTmpfs: "changes the read-only tmpfs",
  NoNewPrivileges: "can allow setuid privilege gains",
  Volume: "mounts a host path or volume",
  Mount: "mounts a host path",
  AddDevice: "gives access to a host device",
  SecurityLabelDisable: "turns SELinux confinement off",
  SecurityLabelType: "changes the SELinux type",
  SecurityLabelNested: "allows nested SELinux",
  SeccompProfile: "changes the seccomp profile",
  Unmask: "unmasks kernel paths",
  Mask: "changes masked paths",
  UserNS: "changes the user namespace (the pod's root must not be the host user)",
  User: "changes the user",
  Group: "changes the group",
  GroupAdd: "adds groups (keep-groups passes the host user's groups)",
  Sysctl: "sets kernel parameters",
  ContainersConfModule: "loads a containers.conf module",
};

const KEY_NAME = /^[A-Z][A-Za-z0-9]{0,63}$/;

export interface ExtraKeysResult {
  readonly entries: Readonly<Record<ExtraKeyUnit, IniEntry[]>>;
}

/** Checks `podman.extraKeys` against `podman.allowInsecure`; reports through `problem`/`warn`. */
export function resolveExtraKeys(raw: unknown, allowRaw: unknown, problem: (field: string, message: string) => void, warn: (field: string, message: string) => void): ExtraKeysResult {
  const entries: Record<ExtraKeyUnit, IniEntry[]> = { pod: [], nats: [], host: [] };
  const allow = new Set<string>();
  if (allowRaw !== undefined) {
    if (!Array.isArray(allowRaw) || allowRaw.some((k) => typeof k !== "string")) problem("podman.allowInsecure", `${show(allowRaw)} is not a list of Quadlet key names`);
    else for (const k of allowRaw as string[]) {
      if (!(k in WEAKENING_KEYS)) problem("podman.allowInsecure", `${show(k)} is not a key that weakens a default; the keys that need it: ${Object.keys(WEAKENING_KEYS).join(", ")}`);
      else allow.add(k);
    }
  }
  if (raw === undefined) return { entries };
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    problem("podman.extraKeys", `${show(raw)} is not an object of units (${EXTRA_KEY_UNITS.join(", ")})`);
    return { entries };
  }
  const used = new Set<string>();
  for (const [unit, keys] of Object.entries(raw as Record<string, unknown>)) {
    const f = `podman.extraKeys.${unit}`;
    if (!(EXTRA_KEY_UNITS as readonly string[]).includes(unit)) {
      problem(f, `${show(unit)} is not a unit of the node: use ${EXTRA_KEY_UNITS.map((u) => `"${u}"`).join(", ")}`);
      continue;
    }
    if (typeof keys !== "object" || keys === null || Array.isArray(keys)) {
      problem(f, `${show(keys)} is not an object of Quadlet keys`);
      continue;
    }
    for (const [k, v] of Object.entries(keys as Record<string, unknown>)) {
      if (!KEY_NAME.test(k)) {
        problem(`${f}.${k.slice(0, 40)}`, `${show(k)} is not a Quadlet key name (a capitalised word of letters and digits)`);
        continue;
      }
      const values = Array.isArray(v) ? v : [v];
      if (values.length > 64) problem(`${f}.${k}`, `${values.length} values: at most 64`);
      for (const one of values.slice(0, 64)) {
        const why = typeof one === "string" ? unitValueProblem(one) : "is not a string";
        if (why) problem(`${f}.${k}`, `${show(one)} ${why}: use a string without line breaks, NUL bytes or a trailing backslash`);
        else entries[unit as ExtraKeyUnit].push([k, one as string]);
      }
      if (k in WEAKENING_KEYS) {
        if (!allow.has(k)) problem(`${f}.${k}`, `${k} ${WEAKENING_KEYS[k]}: list it in podman.allowInsecure to accept that risk`);
        else used.add(k);
      }
    }
  }
  for (const k of [...used].sort()) warn(`podman.extraKeys`, `${k} ${WEAKENING_KEYS[k]}: accepted because podman.allowInsecure lists it`);
  return { entries };
}
