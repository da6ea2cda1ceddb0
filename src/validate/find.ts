/**
 * Finds a validator binary: an env override, the current project's `.validators/bin` (where
 * `tlos validate --fetch` puts them), this package's own `.validators/bin`, then PATH.
 */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The folder `tlos validate --fetch` fills, in the current project. */
export function projectValidatorsDir(cwd: string = process.cwd()): string {
  return join(cwd, ".validators");
}

/** The shipped script that fetches quadlet, nats-server, coturn and restic. */
export const FETCH_SCRIPT = join(PACKAGE_ROOT, "scripts", "fetch-validators.sh");

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The binaries validators and tests run; `fetch-validators.sh` brings all but openssl and systemd-analyze. */
export type ValidatorBinary = "quadlet" | "nats-server" | "nats-server-hub" | "openssl" | "systemd-analyze" | "docker-compose" | "turnserver" | "turnutils_uclient" | "turnutils_peer" | "restic";

export function findBinary(name: ValidatorBinary, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[`TLOS_${name.replaceAll("-", "_").toUpperCase()}`];
  if (override) return executable(override) ? override : undefined;
  const candidates = [
    join(projectValidatorsDir(), "bin", name),
    join(PACKAGE_ROOT, ".validators", "bin", name),
    ...(env["PATH"] ?? "").split(delimiter).filter(Boolean).map((d) => join(d, name)),
    ...(name === "quadlet" ? ["/usr/libexec/podman/quadlet", "/usr/lib/podman/quadlet"] : []),
  ];
  return candidates.find(executable);
}
