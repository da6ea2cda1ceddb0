/** The files of every host bundle (`hosts/<host>/…`), from what the constructs put on each machine. */
import type { NewArtifact } from "./artifact.js";
import { BUNDLE_DIRS, bundleDir } from "../core/layout.js";
import type { HostBundle } from "./host-bundle.js";
import { installScript } from "./install-script.js";

export function bundleArtifacts(bundles: readonly HostBundle[]): NewArtifact[] {
  const out: NewArtifact[] = [];
  for (const b of bundles) {
    const dir = bundleDir(b.host);
    const seen = new Set<string>();
    const add = (f: NewArtifact) => {
      if (seen.has(f.path)) return;
      seen.add(f.path);
      out.push(f);
    };
    for (const i of b.items) {
      if (i.kind === "unit") {
        const isUnit = /\.(container|pod|volume|network)$/.test(i.file);
        const pv = i.podmanVersion;
        add({ path: `${dir}/${BUNDLE_DIRS.units}/${i.file}`, content: i.content, kind: isUnit ? "quadlet-unit" : /\.d\/|\.ya?ml$/.test(i.file) ? "config" : i.file.endsWith(".conf") ? "nats-config" : "nats-jwt", target: "podman", secret: false, ...(isUnit && pv ? { podmanVersion: pv } : {}) });
      } else if (i.kind === "secret" && i.content !== undefined) {
        // a public file (the CA certificate) made a Podman secret sits in files/, not secrets/
        add({ path: `${dir}/${i.public ? BUNDLE_DIRS.files : BUNDLE_DIRS.secrets}/${i.file}`, content: i.content, kind: i.public ? "tls-certificate" : "host-secret", target: "podman", secret: !i.public });
      } else if (i.kind === "user-unit") {
        add({ path: `${dir}/${BUNDLE_DIRS.userUnits}/${i.file}`, content: i.content, kind: "systemd-unit", target: "podman", secret: false });
      } else if (i.kind === "home-file") {
        add({ path: `${dir}/${i.secret ? BUNDLE_DIRS.secrets : BUNDLE_DIRS.files}/${i.file}`, content: i.content, kind: i.secret ? "host-secret" : "config", target: "podman", secret: i.secret });
      }
    }
    add({ path: `${dir}/install.sh`, content: installScript(b), kind: "script", target: "podman", secret: false, executable: true });
  }
  return out;
}
