/**
 * Policies on what the grid runs: no public ingress (no LoadBalancer or NodePort Service, no
 * host port, no Ingress) beyond the ports the policy config allows, every image pinned by digest
 * (Kubernetes containers, SpinApps, the Quadlet units of the grid's components), and signed-image
 * admission (a sigstore `ClusterImagePolicy`) under every `SpinKubeCluster`.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types
 * @see https://docs.sigstore.dev/policy-controller/overview/
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { CLUSTER_IMAGE_POLICY_TYPE, SPIN_APP_TYPE, SPINKUBE_CLUSTER_TYPE, WORKLOAD_TYPES, containersOf, each, get, pinned, quadletImage } from "./shared.js";

export interface IngressConfig {
  /**
   * Ports a Service or host port may publish (e.g. a hub's leafnode port 7422).
   * @default none
   * @see https://www.pulumi.com/docs/iac/using-pulumi/crossguard/configuration/
   */
  readonly allowedPorts?: readonly number[];
}

export const noPublicIngress: ResourceValidationPolicy = {
  name: "tlos-no-public-ingress",
  description: "No LoadBalancer or NodePort Service, host port or Ingress: grid workloads dial out to their hubs and take no inbound traffic, except on ports the policy config allows.",
  enforcementLevel: "mandatory",
  configSchema: { properties: { allowedPorts: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, default: [] } } },
  validateResource: (args, report) => {
    const allowed = new Set(args.getConfig<IngressConfig>().allowedPorts ?? []);
    if (args.type === "kubernetes:core/v1:Service") {
      const type = get(args.props, "spec", "type");
      if (type === "LoadBalancer" || type === "NodePort") {
        const ports = each(get(args.props, "spec", "ports")).map((p) => Number(get(p, "port")));
        const bad = ports.filter((p) => !allowed.has(p));
        if (bad.length > 0 || ports.length === 0) report(`Service type ${type} publishes port(s) ${(bad.length ? bad : ports).join(", ") || "(none listed)"} outside the cluster; allowed: ClusterIP, or ports listed in the policy config allowedPorts (${[...allowed].join(", ") || "none"})`);
      }
    }
    if (args.type === "kubernetes:networking.k8s.io/v1:Ingress") report("an Ingress takes public traffic into the cluster; allowed: none (grid workloads dial out to their hubs)");
    const spec = WORKLOAD_TYPES[args.type]?.(args.props);
    if (spec === undefined) return;
    if (get(spec, "hostNetwork") === true) report("spec.hostNetwork: true puts the pod on the node's network; allowed: false");
    for (const { field, container } of containersOf(spec)) {
      for (const p of each(container.ports)) {
        const hostPort = get(p, "hostPort");
        if (typeof hostPort === "number" && !allowed.has(hostPort)) report(`${field} publishes hostPort ${hostPort} on the node; allowed: no host ports, or ports listed in the policy config allowedPorts`);
      }
    }
  },
};

export const imagesPinnedByDigest: ResourceValidationPolicy = {
  name: "tlos-images-pinned-by-digest",
  description: "Every image (Kubernetes containers, SpinApps, the grid's Quadlet units) is pinned by a sha256 digest, so a re-pushed tag cannot change what runs.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    const bad = (field: string, image: unknown) => report(`${field} is ${JSON.stringify(image)}, not pinned; allowed: an image reference ending in @sha256:<64 hex digits>`);
    const spec = WORKLOAD_TYPES[args.type]?.(args.props);
    if (spec !== undefined) {
      for (const { field, container } of containersOf(spec)) if (typeof container.image !== "string" || !pinned(container.image)) bad(`${field}.image`, container.image);
    }
    if (args.type === SPIN_APP_TYPE) {
      const image = get(args.props, "spec", "image");
      if (typeof image !== "string" || !pinned(image)) bad("spec.image", image);
    }
    if (args.type.startsWith("tlos:")) {
      const files = args.props.files;
      if (files === null || typeof files !== "object") return;
      for (const [path, content] of Object.entries(files as Record<string, unknown>)) {
        if (!path.endsWith(".container") || typeof content !== "string") continue;
        const image = quadletImage(content);
        if (image !== undefined && !pinned(image)) bad(`files["${path}"] Image=`, image);
      }
    }
  },
};

export const signedImageAdmission: StackValidationPolicy = {
  name: "tlos-signed-image-admission",
  description: "Every SpinKubeCluster carries a sigstore ClusterImagePolicy, so the cluster admits only images signed with the grid's keys.",
  enforcementLevel: "mandatory",
  validateStack: (args, report) => {
    const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
    const clusterOf = (urn: string): string | undefined => {
      for (let r = byUrn.get(urn); r; r = r.parent ? byUrn.get(r.parent.urn) : undefined) if (r.type === SPINKUBE_CLUSTER_TYPE) return r.urn;
      return undefined;
    };
    const guarded = new Set(args.resources.filter((r) => r.type === CLUSTER_IMAGE_POLICY_TYPE).map((r) => clusterOf(r.urn)));
    // a cluster whose Kubernetes objects deploy (with kubernetes in tlos:deploy)
    const deployed = new Set(args.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => clusterOf(r.urn)));
    for (const r of args.resources) {
      if (r.type === SPINKUBE_CLUSTER_TYPE && deployed.has(r.urn) && !guarded.has(r.urn)) report(`${r.name} has no ClusterImagePolicy below it: the cluster would run unsigned images; allowed: a cluster with cosignPublicKeys (the policy-controller and its ClusterImagePolicy)`, r.urn);
    }
  },
};
