/** Finds a validator binary: an env override, the project's `.validators/bin`, then PATH. */
import { accessSync, constants } from "node:fs";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";

const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export function findBinary(name: "quadlet" | "nats-server" | "nats-server-hub" | "openssl" | "systemd-analyze" | "docker-compose", env: NodeJS.ProcessEnv = process.env): string | undefined {
  const override = env[`TLOS_${name.replaceAll("-", "_").toUpperCase()}`];
  if (override) return executable(override) ? override : undefined;
  const candidates = [
    join(PACKAGE_ROOT, ".validators", "bin", name),
    ...(env["PATH"] ?? "").split(delimiter).filter(Boolean).map((d) => join(d, name)),
    ...(name === "quadlet" ? ["/usr/libexec/podman/quadlet", "/usr/lib/podman/quadlet"] : []),
  ];
  return candidates.find(executable);
}
