/**
 * Node runtime for Spin apps: a runtime-class-manager `Shim` (which creates the RuntimeClass with
 * handler `spin-v2` on nodes labelled by its selector), or a plain RuntimeClass (handler `spin`)
 * plus the containerd config fragments for nodes set up by hand (containerd 1.x and 2.x paths,
 * `SystemdCgroup = true` so pod metrics and HPA work).
 * @see https://github.com/spinframework/runtime-class-manager
 * @see https://github.com/spinframework/containerd-shim-spin
 */
import { SHIM_HANDLER, SPINKUBE_VERSIONS } from "./versions.js";

export interface RuntimeInput {
  readonly runtimeClass: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly shimVersion: string;
  /** sha256 of the shim tarballs per arch (SHIM_SHA256 or the user's). */
  readonly sha256: { readonly x86_64: string; readonly aarch64: string };
}

export function shim(i: RuntimeInput): Record<string, unknown> {
  const url = (arch: string) => `https://github.com/spinframework/containerd-shim-spin/releases/download/${i.shimVersion}/containerd-shim-spin-v2-linux-${arch}.tar.gz`;
  return {
    apiVersion: "runtime.spinkube.dev/v1alpha1",
    kind: "Shim",
    metadata: { name: "spin-v2" },
    spec: {
      nodeSelector: { ...i.nodeSelector },
      fetchStrategy: {
        platforms: (["x86_64", "aarch64"] as const).map((arch) => ({ os: "linux", arch, location: url(arch), sha256: i.sha256[arch] })),
      },
      // runwasi defaults to the cgroupfs driver; without the systemd one pod metrics (and HPA) break
      // (runtime-class-manager config/samples/sample_shim_spin.yaml)
      containerdRuntimeOptions: { SystemdCgroup: "true" },
      runtimeClass: { name: i.runtimeClass, handler: SHIM_HANDLER.runtimeClassManager },
      rolloutStrategy: { type: "recreate" },
    },
  };
}

export function runtimeClass(i: RuntimeInput): Record<string, unknown> {
  return {
    apiVersion: "node.k8s.io/v1",
    kind: "RuntimeClass",
    metadata: { name: i.runtimeClass },
    handler: SHIM_HANDLER.manual,
    scheduling: { nodeSelector: { ...i.nodeSelector } },
  };
}

/** containerd config fragment registering the Spin shim as runtime `spin`. */
export function containerdFragment(major: 1 | 2, version: string = SPINKUBE_VERSIONS.containerdShimSpin): string {
  const plugin = major === 2 ? `plugins."io.containerd.cri.v1.runtime".containerd.runtimes.spin` : `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.spin`;
  return [
    `# containerd ${major}.x: register containerd-shim-spin ${version} as runtime "spin" (RuntimeClass handler "spin").`,
    `# Put containerd-shim-spin-v2 on containerd's PATH, append this to /etc/containerd/config.toml, restart containerd.`,
    `[${plugin}]`,
    `  runtime_type = "io.containerd.spin.v2"`,
    `[${plugin}.options]`,
    `  SystemdCgroup = true`,
    "",
  ].join("\n");
}
