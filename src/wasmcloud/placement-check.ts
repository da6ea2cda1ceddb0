/**
 * Will an app run where it is declared? Pure checks of an {@link AppSpec} against the hosts its
 * lattice declares and the issuers its policy responder trusts:
 * - v2: something must schedule it. `wash host` takes workloads from a scheduler over NATS
 *   (`runtime.operator.*`), and upstream v2.7.0 ships one scheduler, the runtime-operator, which
 *   runs on Kubernetes; `wash dev` runs one project locally. A v2 host advertises exactly one
 *   label, `hostgroup` (`wash host --host-group`, washlet `with_label("hostgroup", …)`), so a
 *   `hostSelector` can only select on it.
 * - v1: each spread / perHost requirement must match the labels of a declared host.
 * - v1: an image from a publisher whose issuer the lattice does not trust is denied by the policy
 *   responder at start.
 * @see https://github.com/wasmCloud/wasmCloud/blob/v2.7.0/crates/wash/src/cli/host.rs
 * @see https://github.com/wasmCloud/wasmCloud/blob/v2.7.0/crates/wash-runtime/src/washlet/mod.rs
 */
import type { AppSpec, Scaling } from "./app-model.js";
import { publisherIssuer } from "./issuers.js";

export interface DeclaredHost {
  /** Where the host runs, for messages: `TlosNode home-1`, `SpinKubeCluster k8s host group default`. */
  readonly what: string;
  /** The labels it advertises (v1: its WASMCLOUD_LABEL_*; v2: `{ hostgroup }`). */
  readonly labels: Readonly<Record<string, string>>;
  /** v2: a host the runtime-operator of this lattice schedules onto (a Kubernetes host group). */
  readonly scheduled?: boolean;
  /** How many hosts run there (Akash replicas, a host group's replicas). @default 1 */
  readonly replicas?: number;
}

export interface Finding {
  readonly field: string;
  readonly message: string;
}

const matches = (req: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>) => Object.entries(req).every(([k, v]) => labels[k] === v);
const listHosts = (hosts: readonly DeclaredHost[]) => (hosts.length ? hosts.map((h) => `${h.what} {${Object.entries(h.labels).map(([k, v]) => `${k}: ${v}`).join(", ")}}`).join("; ") : "none");

/** Problems that keep the app from running as declared. */
export function placementProblems(app: AppSpec, version: "v1" | "v2", hosts: readonly DeclaredHost[]): Finding[] {
  const out: Finding[] = [];
  if (version === "v2") {
    if (!hosts.some((h) => h.scheduled)) {
      out.push({ field: "lattice", message: "nothing can schedule this v2 app: wasmCloud v2 hosts take workloads from the runtime-operator, which runs on Kubernetes (upstream v2.7.0 has no scheduler outside it). Add a SpinKubeCluster with wasmcloud.hostGroups to this lattice (it deploys the runtime-operator and host groups, and renders this app as a WorkloadDeployment), or put the app on a v1 lattice, where wadm schedules it onto Podman hosts" });
    }
    for (const [k, v] of Object.entries(app.hostSelector)) {
      if (k !== "hostgroup") out.push({ field: `hostSelector.${k}`, message: `v2 hosts advertise only the label "hostgroup" (wash host --host-group), so ${JSON.stringify(k)} matches no host: select on hostgroup (a TlosNode's labels.hostgroup, or a SpinKubeCluster host group name)` });
      else if (!hosts.some((h) => h.labels["hostgroup"] === v)) out.push({ field: `hostSelector.${k}`, message: `no host of this lattice is in host group ${JSON.stringify(v)}: the host groups are ${[...new Set(hosts.map((h) => h.labels["hostgroup"]))].map((g) => JSON.stringify(g)).join(", ") || "none"}` });
    }
    return out;
  }
  const check = (field: string, s: Scaling) => {
    const reqs = s.kind === "perHost" ? [s.requirements] : s.spread.map((x) => x.requirements);
    reqs.forEach((req, i) => {
      if (Object.keys(req).length === 0 || hosts.some((h) => matches(req, h.labels))) return;
      const at = s.kind === "perHost" ? `${field}.perHost.requirements` : `${field}.spread[${i}].requirements`;
      out.push({ field: at, message: `${JSON.stringify(req)} matches no host of this lattice, so wadm cannot place it: the hosts are ${listHosts(hosts)}` });
    });
  };
  app.components.forEach((c, i) => check(`components[${i}]`, c.scaling));
  app.providers.forEach((p, i) => check(`providers[${i}]`, p.scaling));
  return out;
}

/** v1: images the policy responder will deny because their publisher's issuer is not trusted. */
export function trustWarnings(app: AppSpec, trusted: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const check = (field: string, image: string) => {
    const known = publisherIssuer(image);
    if (known && !trusted.has(known.issuer)) out.push({ field: `${field}.image`, message: `${image} is signed by ${known.name} (issuer ${known.issuer}), which this lattice does not trust, so the policy responder denies it at start: add it to the lattice's trustedIssuers (exported as ${known.constant})` });
  };
  app.components.forEach((c, i) => check(`components[${i}]`, c.image));
  app.providers.forEach((p, i) => check(`providers[${i}]`, p.image));
  return out;
}
