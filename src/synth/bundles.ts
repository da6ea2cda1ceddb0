/** The files of every host bundle (`hosts/<host>/…`), from what the constructs put on each machine. */
import type { NewArtifact } from "./artifact.js";
import { BUNDLE_DIRS, bundleDir } from "../core/layout.js";
import type { HostBundle, HostItem } from "../core/host-items.js";
import { installScript } from "./install-script.js";

/** The bundle file an item of machine `host` becomes, if it is a file (units, secrets, user units, home files). */
export function bundleItemFile(host: string, i: HostItem): NewArtifact | undefined {
  const dir = bundleDir(host);
  if (i.kind === "unit") {
    const isUnit = /\.(container|pod|volume|network)$/.test(i.file);
    const pv = i.podmanVersion;
    return { path: `${dir}/${BUNDLE_DIRS.units}/${i.file}`, content: i.content, kind: isUnit ? "quadlet-unit" : /\.d\/|\.ya?ml$/.test(i.file) ? "config" : i.file.endsWith(".conf") ? "nats-config" : "nats-jwt", target: "podman", secret: false, ...(isUnit && pv ? { podmanVersion: pv } : {}) };
  }
  if (i.kind === "secret" && i.content !== undefined) {
    // a public file (the CA certificate) made a Podman secret sits in files/, not secrets/
    return { path: `${dir}/${i.public ? BUNDLE_DIRS.files : BUNDLE_DIRS.secrets}/${i.file}`, content: i.content, kind: i.public ? "tls-certificate" : "host-secret", target: "podman", secret: !i.public };
  }
  if (i.kind === "user-unit") return { path: `${dir}/${BUNDLE_DIRS.userUnits}/${i.file}`, content: i.content, kind: "systemd-unit", target: "podman", secret: false };
  if (i.kind === "home-file") return { path: `${dir}/${i.secret ? BUNDLE_DIRS.secrets : BUNDLE_DIRS.files}/${i.file}`, content: i.content, kind: i.secret ? "host-secret" : "config", target: "podman", secret: i.secret };
  return undefined;
}

/** A bundle's `install.sh` (written once every construct has put its items on the machine). */
export function installArtifact(b: HostBundle): NewArtifact {
  return { path: `${bundleDir(b.host)}/install.sh`, content: installScript(b), kind: "script", target: "podman", secret: false, executable: true };
}
