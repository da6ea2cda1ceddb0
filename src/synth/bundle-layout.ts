/**
 * Where host bundles live in a synth output: `hosts/<host>/` with `install.sh`, `units/` (Quadlet
 * units and the configs they mount), `systemd/` (user units), `secrets/` (0600, only that host's),
 * `files/` (other files for programs on the host). `PLAN.md` sits at the root.
 */
export const BUNDLE_DIRS = { units: "units", userUnits: "systemd", secrets: "secrets", files: "files" } as const;

/** Root folder of every host bundle. */
export const HOSTS_DIR = "hosts";

/** The bring-up plan at the output root. */
export const PLAN_FILE = "PLAN.md";

export function bundleDir(host: string): string {
  return `${HOSTS_DIR}/${host}`;
}

/** True for a path that holds secret material: the operator's `secrets/` or a bundle's `secrets/`. */
export function isSecretPath(path: string): boolean {
  return path.startsWith("secrets/") || new RegExp(`^${HOSTS_DIR}/[^/]+/${BUNDLE_DIRS.secrets}/`).test(path);
}
