/**
 * The Kubernetes side of a grid registry placed in a cluster: the two CNCF distribution instances
 * as two Deployments on one storage (`pull` mounts it read-only and knows only the pull
 * identities; `push` knows only the pipeline's), their configs, a PersistentVolumeClaim (or the
 * S3 bucket), a Service publishing both ports, a NetworkPolicy (pull: the cluster's pods and the
 * CIDRs named; push: the pipelines' CIDRs only), the weekly garbage-collection CronJob, and the
 * Secrets: htpasswd files, TLS, upload secret, S3 keys, and one `kubernetes.io/dockerconfigjson`
 * pull Secret per namespace holding the cluster's pull identity only.
 * @see https://distribution.github.io/distribution/about/deploying/
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 * @see https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/
 */
import { NO_PRIVILEGES_READ_ONLY } from "../kubernetes/security.js";
import { distributionConfig } from "./distribution.js";
import type { RegistryIdentity } from "./htpasswd.js";
import { REGISTRY_PATHS, type RegistryRole, type RegistrySpec } from "./model.js";

/** Where and how a registry runs in its cluster (resolved props). */
export interface RegistryK8sPlacement {
  readonly namespace: string;
  readonly serviceType: "LoadBalancer" | "NodePort" | "ClusterIP";
  readonly storageSize: string;
  readonly storageClassName: string | undefined;
  /** CIDRs besides the cluster's pods that may reach the pull port (the nodes' container runtimes, outside machines). */
  readonly pullFrom: readonly string[];
  /** CIDRs the pipelines push from. */
  readonly pushFrom: readonly string[];
}

/** Port each instance listens on in its container. */
const LISTEN: Readonly<Record<RegistryRole, number>> = { pull: 5000, push: 5001 };
const SECURITY = { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } };

/** Names of the objects of registry `id`. */
export function registryK8sNames(id: string) {
  const b = `tlos-registry-${id}`;
  return { base: b, instance: (r: RegistryRole) => `${b}-${r}`, config: `${b}-config`, htpasswd: `${b}-htpasswd`, tls: `${b}-tls`, env: `${b}-env`, data: `${b}-data`, gc: `${b}-gc`, pullSecret: `${b}-pull`, ca: `${b}-ca` };
}

const labels = (id: string, role?: string) => ({ "app.kubernetes.io/name": "tlos-registry", "app.kubernetes.io/instance": id, ...(role ? { "app.kubernetes.io/component": role } : {}), "app.kubernetes.io/managed-by": "tlos" });

/** The distribution configs in the ConfigMap (no secret: those come from Secrets). */
export function registryConfigs(s: RegistrySpec): Record<RegistryRole, Record<string, unknown>> {
  return { pull: distributionConfig(s, "pull", undefined, `:${LISTEN.pull}`), push: distributionConfig(s, "push", undefined, `:${LISTEN.push}`) };
}

function podSpec(s: RegistrySpec, role: RegistryRole | "gc", restart: "Always" | "Never"): Record<string, unknown> {
  const n = registryK8sNames(s.id);
  const cfg: RegistryRole = role === "pull" ? "pull" : "push";
  const env: Record<string, unknown>[] = [{ name: "REGISTRY_HTTP_SECRET", valueFrom: { secretKeyRef: { name: n.env, key: "http-secret" } } }];
  if (s.storage.driver === "s3") {
    env.push({ name: "REGISTRY_STORAGE_S3_ACCESSKEY", valueFrom: { secretKeyRef: { name: n.env, key: "s3-access-key" } } }, { name: "REGISTRY_STORAGE_S3_SECRETKEY", valueFrom: { secretKeyRef: { name: n.env, key: "s3-secret-key" } } });
  }
  const mounts: Record<string, unknown>[] = [
    { name: "config", mountPath: REGISTRY_PATHS.config, subPath: `${cfg}.yml`, readOnly: true },
    { name: "htpasswd", mountPath: REGISTRY_PATHS.htpasswd, subPath: cfg, readOnly: true },
    { name: "tls", mountPath: REGISTRY_PATHS.cert, subPath: "tls.crt", readOnly: true },
    { name: "tls", mountPath: REGISTRY_PATHS.key, subPath: "tls.key", readOnly: true },
    { name: "tmp", mountPath: "/tmp" },
    ...(s.storage.driver === "volume" ? [{ name: "data", mountPath: REGISTRY_PATHS.data, readOnly: role === "pull" }] : []),
  ];
  const volumes: Record<string, unknown>[] = [
    { name: "config", configMap: { name: n.config } },
    { name: "htpasswd", secret: { secretName: n.htpasswd, defaultMode: 0o440 } },
    { name: "tls", secret: { secretName: n.tls, defaultMode: 0o440 } },
    { name: "tmp", emptyDir: {} },
    ...(s.storage.driver === "volume" ? [{ name: "data", persistentVolumeClaim: { claimName: n.data, readOnly: role === "pull" } }] : []),
  ];
  const container: Record<string, unknown> = {
    name: role === "gc" ? "garbage-collect" : `registry-${role}`,
    image: s.image,
    args: [role === "gc" ? "garbage-collect" : "serve", REGISTRY_PATHS.config],
    env,
    securityContext: NO_PRIVILEGES_READ_ONLY,
    volumeMounts: mounts,
  };
  if (role !== "gc") {
    Object.assign(container, {
      ports: [{ name: role, containerPort: LISTEN[role] }],
      readinessProbe: { tcpSocket: { port: LISTEN[role] }, periodSeconds: 10 },
      resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "512Mi" } },
    });
  }
  // one RWO volume: the three pods share a node
  const affinity = s.storage.driver === "volume" && role !== "pull"
    ? { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: labels(s.id, "pull") }, topologyKey: "kubernetes.io/hostname" }] } }
    : undefined;
  return { automountServiceAccountToken: false, enableServiceLinks: false, restartPolicy: restart, securityContext: SECURITY, ...(affinity ? { affinity } : {}), containers: [container], volumes };
}

function deployment(s: RegistrySpec, ns: string, role: RegistryRole): Record<string, unknown> {
  const n = registryK8sNames(s.id);
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: n.instance(role), namespace: ns, labels: labels(s.id, role) },
    spec: {
      replicas: 1,
      // a ReadWriteOnce claim: the old pod lets go before the new one mounts it
      strategy: { type: "Recreate" },
      selector: { matchLabels: labels(s.id, role) },
      template: { metadata: { labels: labels(s.id, role) }, spec: podSpec(s, role, "Always") },
    },
  };
}

/** Every non-secret object of the registry, in apply order. */
export function registryK8sDocs(s: RegistrySpec, k: RegistryK8sPlacement, configYaml: Record<RegistryRole, string>): Record<string, unknown>[] {
  const n = registryK8sNames(s.id);
  const ns = k.namespace;
  const meta = (name: string, role?: string) => ({ name, namespace: ns, labels: labels(s.id, role) });
  const docs: Record<string, unknown>[] = [
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(n.config), data: { "pull.yml": configYaml.pull, "push.yml": configYaml.push } },
  ];
  if (s.storage.driver === "volume") {
    docs.push({
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: meta(n.data),
      spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: k.storageSize } }, ...(k.storageClassName ? { storageClassName: k.storageClassName } : {}) },
    });
  }
  docs.push(deployment(s, ns, "pull"), deployment(s, ns, "push"));
  for (const role of ["pull", "push"] as const) {
    docs.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(n.instance(role), role),
      spec: { type: k.serviceType, selector: labels(s.id, role), ports: [{ name: role, port: s.ports[role], targetPort: LISTEN[role], protocol: "TCP" }] },
    });
  }
  const cidrs = (list: readonly string[]) => list.map((cidr) => ({ ipBlock: { cidr } }));
  /** The instance's NetworkPolicy: ingress only from `from` to its listen port; an empty `from` admits nothing. */
  const ingressOnly = (role: "pull" | "push", from: readonly Record<string, unknown>[]) => ({
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: meta(n.instance(role), role),
    spec: {
      podSelector: { matchLabels: labels(s.id, role) },
      policyTypes: ["Ingress"],
      ingress: from.length > 0 ? [{ from, ports: [{ protocol: "TCP", port: LISTEN[role] }] }] : [],
    },
  });
  docs.push(
    ingressOnly("pull", [{ namespaceSelector: {} }, ...cidrs(k.pullFrom)]),
    // only the pipelines' addresses; none named: nothing but `kubectl port-forward`
    ingressOnly("push", cidrs(k.pushFrom)),
    {
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: meta(n.gc, "gc"),
      spec: {
        schedule: gcSchedule(s.gcCalendar),
        timeZone: "Etc/UTC",
        concurrencyPolicy: "Forbid",
        jobTemplate: { spec: { backoffLimit: 2, template: { metadata: { labels: labels(s.id, "gc") }, spec: podSpec(s, "gc", "Never") } } },
      },
    },
  );
  return docs;
}

/** The registry's own Secrets (htpasswd files, TLS, upload secret, S3 keys): written only under `secrets/`. */
export function registryK8sSecrets(s: RegistrySpec, ns: string, f: { pullHtpasswd: string; pushHtpasswd: string; cert: string; key: string; httpSecret: string; s3?: { accessKeyId: string; secretAccessKey: string } }): Record<string, unknown>[] {
  const n = registryK8sNames(s.id);
  const meta = (name: string) => ({ name, namespace: ns, labels: labels(s.id) });
  return [
    { apiVersion: "v1", kind: "Secret", metadata: meta(n.htpasswd), type: "Opaque", stringData: { pull: f.pullHtpasswd, push: f.pushHtpasswd } },
    { apiVersion: "v1", kind: "Secret", metadata: meta(n.tls), type: "kubernetes.io/tls", stringData: { "tls.crt": f.cert, "tls.key": f.key } },
    { apiVersion: "v1", kind: "Secret", metadata: meta(n.env), type: "Opaque", stringData: { "http-secret": f.httpSecret.trim(), ...(f.s3 ? { "s3-access-key": f.s3.accessKeyId, "s3-secret-key": f.s3.secretAccessKey } : {}) } },
  ];
}

/** A `kubernetes.io/dockerconfigjson` Secret holding one pull identity for the registry's pull endpoint. */
export function pullSecret(name: string, namespace: string, endpoint: string, id: RegistryIdentity): Record<string, unknown> {
  const auth = Buffer.from(`${id.user}:${id.password}`).toString("base64");
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace, labels: { "app.kubernetes.io/managed-by": "tlos" } },
    type: "kubernetes.io/dockerconfigjson",
    stringData: { ".dockerconfigjson": JSON.stringify({ auths: { [endpoint]: { username: id.user, password: id.password, auth } } }) },
  };
}

/** containerd's `hosts.toml` for the registry's pull endpoint: trust the lattice CA (file beside it), pull and resolve only. */
export function containerdHostsToml(endpoint: string, caPath: string): string {
  return [
    `# containerd: the grid registry ${endpoint}, verified with the lattice CA. Generated by tlos.`,
    `server = "https://${endpoint}"`,
    "",
    `[host."https://${endpoint}"]`,
    `  capabilities = ["pull", "resolve"]`,
    `  ca = ${JSON.stringify(caPath)}`,
    "",
  ].join("\n");
}

/** systemd `OnCalendar` (`Sun *-*-* 04:30:00 UTC`) as a cron schedule (`30 4 * * 0`). */
export function gcSchedule(calendar: string): string {
  const m = /^(\w{3}) \*-\*-\* (\d{2}):(\d{2}):00 UTC$/.exec(calendar);
  const day = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(m?.[1] ?? "Sun");
  return `${Number(m?.[3] ?? 30)} ${Number(m?.[2] ?? 4)} * * ${day < 0 ? 0 : day}`;
}
