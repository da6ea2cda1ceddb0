/**
 * wasmCloud v2 on the cluster: the runtime-operator chart's values (host groups, its bundled NATS
 * off) and our own NATS leaf in the cluster, which dials out to the grid's hubs like every other
 * node. Operator and hosts in the cluster, Podman and Akash hosts outside it all meet in the
 * lattice account, so the operator can schedule onto any of them. The leaf takes the bundled
 * NATS's place exactly: Service `nats` in the release namespace, the chart-generated server
 * certificate, mTLS with `verify_and_map` for the users `wasmcloud-operator`, `wasmcloud-runtime`
 * and `wasmcloud-data` (no other client authenticates: a pod without one of the chart's client
 * certificates is refused), each limited to its role's subjects (`src/nats/roles.ts`), and a
 * NetworkPolicy admitting only the operator's and the host groups' pods — plus, per in-cluster
 * R2Backup, its own user (`tlos-backup-<id>`, `clusterBackupRole`) and its CronJob's pods.
 * @see https://github.com/wasmCloud/wasmCloud/tree/main/charts/runtime-operator
 */
import { renderNatsConf, Raw } from "../core/natsconf.js";
import { leafConfig } from "../nats/config.js";
import { NO_PRIVILEGES_READ_ONLY } from "../kubernetes/security.js";
import { operatorUserRoles, type Role } from "../nats/roles.js";

export interface HostGroupSpec {
  readonly name: string;
  readonly replicas: number;
}

export interface ClusterLeafInput {
  readonly namespace: string;
  readonly natsImage: string;
  readonly hubs: readonly string[];
  readonly caPem: string | undefined;
  readonly domain: string;
  /** Lattice name (the users' AI subjects). */
  readonly lattice: string;
  /** Pull Secrets the leaf pod references (the grid registry's). */
  readonly imagePullSecrets?: readonly string[];
  /** In-cluster backup jobs: their users on the leaf (roles) and the labels of their pods (admitted by the NetworkPolicy). @default none */
  readonly backups?: readonly ClusterLeafUser[];
}

/** A further user of the in-cluster leaf (beyond the chart's three) and its pods' labels. */
export interface ClusterLeafUser {
  readonly role: Role;
  readonly podLabel: Readonly<Record<string, string>>;
}

/** The grid registry a cluster's pods pull from: its pull Secret and the ConfigMap holding its CA (`ca.crt`), in each namespace. */
export interface ClusterRegistryPull {
  readonly secret: string;
  readonly caConfigMap: string;
  /** The file under the cluster's `secrets/` folder holding the pull Secrets (02-install.sh applies it first in the registry stage). */
  readonly secretsFile: string;
}

/** Where a host group container finds the registry's CA and Docker config. */
export const HOST_REGISTRY_MOUNTS = { ca: "/etc/tlos/registry-ca", dockerConfig: "/etc/tlos/registry-docker" } as const;

/** Labels of the chart's pods that may reach the leaf: the operator and the host groups (`charts/runtime-operator/templates/{operator,runtime}/deployment.yaml`). */
export const LEAF_CLIENT_PODS = ["runtime-operator", "hostgroup"] as const;

export const LEAF_NAME = "tlos-leaf";

/** The chart's users, mapped from client certificate subjects (`verify_and_map`). */
export const CHART_NATS_USERS = ["wasmcloud-operator", "wasmcloud-runtime", "wasmcloud-data"] as const;

export function leafObjects(i: ClusterLeafInput): Record<string, unknown>[] {
  const conf = renderNatsConf({
    ...leafConfig({
      serverName: new Raw("$HOSTNAME"),
      listenHost: "0.0.0.0",
      clientPort: 4222,
      monitorPort: 8222,
      storeDir: "/data",
      domain: i.domain,
      maxMemory: "256MB",
      maxFile: "4GB",
      hubs: i.hubs,
      credentialsFile: "/etc/nats/creds/leaf.creds",
      caFile: i.caPem ? "/etc/nats/ca/ca.pem" : "system",
    }),
    tls: { cert_file: "/nats-cert/tls.crt", key_file: "/nats-cert/tls.key", ca_file: "/nats-cert/ca.crt", verify_and_map: true },
    authorization: {
      users: [...operatorUserRoles(i.lattice), ...(i.backups ?? []).map((b) => b.role)].map((r) => ({
        user: r.id,
        permissions: { publish: { allow: [...(r.perms?.pub ?? [])] }, subscribe: { allow: [...(r.perms?.sub ?? [])] } },
      })),
    },
  });
  const labels = { "app.kubernetes.io/name": LEAF_NAME, "app.kubernetes.io/managed-by": "tlos" };
  const meta = (name: string) => ({ name, namespace: i.namespace, labels });
  return [
    { apiVersion: "v1", kind: "ConfigMap", metadata: meta(LEAF_NAME), data: { "nats-server.conf": conf, ...(i.caPem ? { "ca.pem": i.caPem } : {}) } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: meta(LEAF_NAME),
      spec: {
        replicas: 1,
        selector: { matchLabels: { "app.kubernetes.io/name": LEAF_NAME } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            ...(i.imagePullSecrets?.length ? { imagePullSecrets: i.imagePullSecrets.map((name) => ({ name })) } : {}),
            securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "nats",
                image: i.natsImage,
                args: ["nats-server", "--config", "/etc/nats/nats-server.conf"],
                ports: [{ name: "client", containerPort: 4222 }],
                readinessProbe: { httpGet: { path: "/healthz", port: 8222 }, periodSeconds: 10 },
                securityContext: NO_PRIVILEGES_READ_ONLY,
                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "512Mi" } },
                volumeMounts: [
                  { name: "config", mountPath: "/etc/nats/nats-server.conf", subPath: "nats-server.conf", readOnly: true },
                  ...(i.caPem ? [{ name: "config", mountPath: "/etc/nats/ca/ca.pem", subPath: "ca.pem", readOnly: true }] : []),
                  { name: "creds", mountPath: "/etc/nats/creds", readOnly: true },
                  { name: "nats-cert", mountPath: "/nats-cert", readOnly: true },
                  { name: "data", mountPath: "/data" },
                ],
              },
            ],
            volumes: [
              { name: "config", configMap: { name: LEAF_NAME } },
              { name: "creds", secret: { secretName: `${LEAF_NAME}-creds`, defaultMode: 0o400 } },
              { name: "nats-cert", secret: { secretName: "wasmcloud-nats-tls", defaultMode: 0o400 } },
              { name: "data", emptyDir: {} },
            ],
          },
        },
      },
    },
    { apiVersion: "v1", kind: "Service", metadata: meta("nats"), spec: { type: "ClusterIP", selector: { "app.kubernetes.io/name": LEAF_NAME }, ports: [{ name: "client", port: 4222, targetPort: 4222 }] } },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(LEAF_NAME),
      spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": LEAF_NAME } },
        policyTypes: ["Ingress"],
        ingress: [{
          from: [...LEAF_CLIENT_PODS.map((name) => ({ podSelector: { matchLabels: { "wasmcloud.com/name": name } } })), ...(i.backups ?? []).map((b) => ({ podSelector: { matchLabels: { ...b.podLabel } } }))],
          ports: [{ protocol: "TCP", port: 4222 }],
        }],
      },
    },
  ];
}

/** The leaf's credentials as a Secret manifest (written only under `secrets/`). */
export function leafCredsSecret(namespace: string, creds: string): Record<string, unknown> {
  return { apiVersion: "v1", kind: "Secret", type: "Opaque", metadata: { name: `${LEAF_NAME}-creds`, namespace }, stringData: { "leaf.creds": creds } };
}

/**
 * Values for the runtime-operator chart: TLS and generated certificates on (the leaf uses them),
 * its bundled NATS off (the leaf answers as `nats`), the host groups. With the grid registry
 * (`registry`): the chart's pods pull with its Secret (`global.image.pullSecrets`), and each host
 * group trusts its CA (`ociCaPaths`, v2.7.0) and pulls components with the cluster's identity from
 * the Secret mounted as a Docker config (`DOCKER_CONFIG`, read by wash-runtime's OCI client when a
 * workload names no `imagePullSecret`).
 * @see https://github.com/wasmCloud/wasmCloud/blob/v2.7.0/charts/runtime-operator/values.yaml
 */
export function operatorValues(groups: readonly HostGroupSpec[], hostImage: { registry: string; repository: string; tag: string }, registry?: ClusterRegistryPull): Record<string, unknown> {
  const reg = registry
    ? {
      volumes: [
        { name: "tlos-registry-ca", configMap: { name: registry.caConfigMap } },
        { name: "tlos-registry-auth", secret: { secretName: registry.secret, defaultMode: 0o440, items: [{ key: ".dockerconfigjson", path: "config.json" }] } },
      ],
      volumeMounts: [
        { name: "tlos-registry-ca", mountPath: HOST_REGISTRY_MOUNTS.ca, readOnly: true },
        { name: "tlos-registry-auth", mountPath: HOST_REGISTRY_MOUNTS.dockerConfig, readOnly: true },
      ],
      ociCaPaths: [`${HOST_REGISTRY_MOUNTS.ca}/ca.crt`],
      env: [{ name: "DOCKER_CONFIG", value: HOST_REGISTRY_MOUNTS.dockerConfig }],
    }
    : {};
  return {
    global: { tls: { enabled: true }, certificates: { generate: true }, ...(registry ? { image: { pullSecrets: [{ name: registry.secret }] } } : {}) },
    nats: { enabled: false },
    gateway: { enabled: false },
    networkPolicy: { enabled: true },
    runtime: {
      image: hostImage,
      hostGroups: groups.map((g) => ({ name: g.name, replicas: g.replicas, ...reg })),
    },
  };
}
