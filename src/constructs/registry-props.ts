/** Props of a {@link Registry} (src/constructs/registry.ts). */

/** S3 keys of the bucket: written only under `secrets/` and into Podman secrets on the registry's machine. */
export interface RegistryS3Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/**
 * Where the registry keeps blobs and manifests.
 * - `volume`: a Podman volume on its machine.
 * - `r2`: a Cloudflare R2 bucket through distribution's S3 driver; `credentials` are the S3 keys
 *   of an R2 API token scoped to that one bucket (Object Read & Write). Without them, the Pulumi
 *   adapter (`cloudflare` deploy) creates the bucket and that token (its S3 keys are secret stack
 *   outputs) and the registry machine's install.sh asks for the keys.
 * - `s3`: another S3-compatible store.
 * @default { driver: "volume" }
 * @see https://distribution.github.io/distribution/storage-drivers/s3/
 * @see https://developers.cloudflare.com/r2/api/s3/tokens/
 */
export type RegistryStorageProps =
  | { readonly driver: "volume" }
  | { readonly driver: "r2"; readonly accountId: string; readonly bucket: string; readonly credentials?: RegistryS3Credentials; readonly rootDirectory?: string }
  | { readonly driver: "s3"; readonly endpoint: string; readonly bucket: string; readonly region?: string; readonly credentials: RegistryS3Credentials; readonly rootDirectory?: string };

/**
 * How a registry placed in a cluster runs there (`host` names a SpinKubeCluster of the lattice).
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 * @see https://kubernetes.io/docs/concepts/services-networking/network-policies/
 */
export interface RegistryKubernetesProps {
  /** Namespace of the registry's objects (not under the cluster's admission policy: distribution's image is not signed with the grid's keys). @default "tlos-registry" */
  readonly namespace?: string;
  /**
   * Service type of the pull and push Services. The machines and the nodes' container runtimes
   * reach the registry at `address`, which must lead to these Services (the Service's cluster IP,
   * which nodes reach through kube-proxy; a load balancer's name or a node's address with
   * `LoadBalancer`/`NodePort`); cluster DNS is not what a node's container runtime uses.
   * `LoadBalancer` and `NodePort` take inbound traffic: the policy pack's `tlos-no-public-ingress`
   * refuses them unless its `allowedPorts` lists the registry's ports.
   * @default "ClusterIP" (no inbound port outside the cluster)
   */
  readonly serviceType?: "LoadBalancer" | "NodePort" | "ClusterIP";
  /** Size of the PersistentVolumeClaim (`storage.driver: "volume"`). @default "20Gi" */
  readonly storageSize?: string;
  /** StorageClass of the claim. @default the cluster's default StorageClass */
  readonly storageClassName?: string;
  /**
   * CIDRs besides the cluster's pods admitted to the pull port: the nodes (their container
   * runtime pulls the images; a NetworkPolicy admits only a pod's own node by itself) and the
   * machines outside the cluster that pull through it.
   * @default [] (the cluster's pods and the registry pod's own node only)
   */
  readonly pullFrom?: readonly string[];
  /** CIDRs the pipelines push from. @default [] (push reachable only through `kubectl port-forward`) */
  readonly pushFrom?: readonly string[];
}

export interface RegistryProps {
  /**
   * Where the registry runs: a machine (its bundle is `hosts/<host>/`: a hub's id, a node's id,
   * or another machine's name), or the id of a SpinKubeCluster of the lattice (then it runs in
   * that cluster, see `kubernetes`). Required.
   */
  readonly host: string;
  /**
   * DNS name or IP address the other machines reach the registry at; its certificate (from the
   * lattice CA) is issued for it.
   * @default the hub's `host` when `host` names a hub (required otherwise)
   */
  readonly address?: string;
  /**
   * Host ports: `pull` (read-only, the machines' identities) and `push` (the pipeline identity).
   * @default { pull: 5000, push: 5001 }
   */
  readonly ports?: { readonly pull?: number; readonly push?: number };
  /** Address both ports are published on. @default "0.0.0.0" */
  readonly bindIp?: string;
  /** @default { driver: "volume" } */
  readonly storage?: RegistryStorageProps;
  /**
   * Weekly garbage collection (blobs no manifest references), UTC.
   * @default { day: "Sun", at: "04:30" }
   * @see https://distribution.github.io/distribution/about/garbage-collection/
   */
  readonly gc?: { readonly day?: "Mon" | "Tue" | "Wed" | "Thu" | "Fri" | "Sat" | "Sun"; readonly at?: string };
  /**
   * Upstream registries the machines pull through this one (by digest only; upstream stays the fallback).
   * @default ["docker.io", "ghcr.io"]
   * @see https://github.com/containers/image/blob/main/docs/containers-registries.conf.5.md
   */
  readonly mirrors?: readonly string[];
  /** Placement in a cluster, when `host` names a SpinKubeCluster. @default see {@link RegistryKubernetesProps} */
  readonly kubernetes?: RegistryKubernetesProps;
  /**
   * `host:port` at which the registry's **pull** instance is reachable from the Internet (a DNS
   * name of the machine's public address and the port forwarded to `ports.pull`), e.g.
   * `"oci.grid.example.net:443"`. With it, the lattice's Akash leases pull every image pinned by
   * digest from here, each with its own pull identity in the SDL's `credentials`; the certificate
   * also names this host. It costs the one inbound port the grid allows on the registry's machine
   * (synth warns): forward it to the pull port only, never the push port. Without it the leases
   * pull from the upstream registries.
   * @default none: Akash leases pull upstream
   * @see https://akash.network/docs/network-features/stack-definition-language/ (services.credentials)
   */
  readonly publicEndpoint?: string;
  /**
   * CNCF distribution's image.
   * @default DEFAULT_REGISTRY_IMAGE (registry 2.8.3, pinned by digest)
   * @see https://hub.docker.com/_/registry
   */
  readonly image?: string;
}
