/**
 * `Registry`: the grid's own OCI registry (CNCF distribution), so every machine pulls images and
 * components by digest from inside the grid. It runs on one named machine as a rootless pod with
 * two instances on one storage: `pull` (read-only storage, one identity per machine of the
 * lattice) and `push` (one identity for the pipelines). distribution's htpasswd auth has no
 * per-user rights, so this split is what keeps a machine from writing: its password is unknown to
 * the push instance, and the pull instance refuses every write. TLS from the lattice CA,
 * passwords from the master seed, storage on a volume or an S3 bucket (R2), weekly garbage
 * collection. Every Podman machine of the lattice gets a digest-only mirror drop-in, the CA, and
 * its own pull identity (src/registry/clients.ts). Placed in a SpinKubeCluster instead (`host`
 * names one), it runs as two Deployments there, and every cluster of the lattice gets a pull
 * Secret of its own (registry-k8s.ts); with a `publicEndpoint`, Akash leases pull from it too
 * (registry-akash.ts).
 * @see https://distribution.github.io/distribution/
 */
import { registryDirs, relativeFrom, tlsFiles } from "../core/layout.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { show } from "../core/errors.js";
import { renderIni } from "../core/ini.js";
import { idProblem, isHost, isPort } from "../core/names.js";
import type { MasterSeed } from "../core/seed.js";
import { renderYaml } from "../core/yaml.js";
import { fitToPodman } from "../quadlet/compat.js";
import { serviceName, unitFileName } from "../quadlet/model.js";
import { renderUnit } from "../quadlet/render.js";
import { distributionConfig } from "../registry/distribution.js";
import { htpasswd, registryIdentity, type RegistryIdentity } from "../registry/htpasswd.js";
import { registryEndpoint, type RegistrySpec, type RegistryStorage } from "../registry/model.js";
import { configFile, gcTimer, LISTEN, registrySecretNames, registryUnits } from "../registry/quadlet.js";
import { registryClientItems, registryInfo } from "./registry-hosts.js";
import { serviceCertificate } from "../tls/pki.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { PHASE, type HostItem } from "../core/host-items.js";
import { GridRoot } from "./grid.js";
import { Lattice } from "./lattice.js";
import { REGISTRY_KEYS } from "./prop-keys.js";
import type { RegistryProps, RegistryS3Credentials, RegistryStorageProps } from "./registry-props.js";
import type { RegistryK8sPlacement } from "../registry/kubernetes.js";
import { latticeClusters, prepareRegistryK8s, resolveRegistryK8s, synthRegistryK8s } from "./registry-k8s.js";

export type { RegistryKubernetesProps, RegistryProps, RegistryS3Credentials, RegistryStorageProps } from "./registry-props.js";

/**
 * CNCF distribution 2.8.3 (`registry:2.8.3`), pinned by the digest of its multi-platform index.
 * @see https://github.com/distribution/distribution/releases/tag/v2.8.3
 */
export const DEFAULT_REGISTRY_IMAGE = "docker.io/library/registry:2.8.3@sha256:a3d8aaa63ed8681a604f1dea0aa03f100d5895b6a58ace528858a7b332415373";

/** The pipelines' identity (push instance only). */
export const PUSH_USER = "ci";
/** A machine's pull identity. */
export const hostUser = (host: string): string => `host-${host}`;

const DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const ACCOUNT = /^[0-9a-f]{32}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export class Registry extends TlosConstruct {
  /** True for any Registry, also across two loaded copies of this library. */
  static isRegistry(x: unknown): x is Registry {
    return kindOf(x) === "Registry";
  }
  readonly lattice: Lattice;
  /** The machine it runs on. */
  readonly host: string;
  readonly ports: { readonly pull: number; readonly push: number };
  readonly bindIp: string;
  readonly storage: RegistryStorage;
  readonly mirrors: readonly string[];
  readonly image: string;
  readonly gcCalendar: string;
  /** The R2 bucket of `storage.driver: "r2"`: the Pulumi adapter creates it and a token scoped to it. */
  r2: { readonly accountId: string; readonly bucket: string } | undefined;
  /** `host:port` of the pull instance as reachable from the Internet (Akash leases pull there). */
  readonly publicEndpoint: string | undefined;
  private readonly addressProp: string | undefined;
  private readonly k8s: RegistryK8sPlacement;
  private readonly k8sSet: boolean;
  private readonly credentials: RegistryS3Credentials | undefined;

  constructor(lattice: Lattice, id: string, props: RegistryProps) {
    super(lattice, id, "Registry");
    this.knownKeys(props, REGISTRY_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "a Registry must be created inside a Lattice (its machines pull through it, its certificate is the lattice CA's)");
    const p = (this.plain(props) ?? {}) as Partial<RegistryProps>;
    this.host = typeof p.host === "string" ? p.host : "";
    if (p.host === undefined) this.problem("host", "is required: name the machine that runs the registry (its bundle is hosts/<host>/), e.g. a hub's id or a node's id");
    else {
      const why = idProblem(p.host);
      if (why) this.problem("host", why);
    }
    this.addressProp = typeof p.address === "string" ? p.address : undefined;
    if (p.address !== undefined && !isHost(p.address)) this.problem("address", `${show(p.address)} is not a DNS name or IP address`);
    const ports = (typeof p.ports === "object" && p.ports !== null ? p.ports : {}) as NonNullable<RegistryProps["ports"]>;
    const port = (f: "pull" | "push", d: number) => {
      const v = ports[f] ?? d;
      if (!isPort(v)) {
        this.problem(`ports.${f}`, `${show(ports[f])} is not a port: use 1 to 65535`);
        return d;
      }
      return v;
    };
    this.ports = { pull: port("pull", 5000), push: port("push", 5001) };
    if (this.ports.pull === this.ports.push) this.problem("ports.push", `${this.ports.push} is also the pull port: the pull and push instances need two ports`);
    this.bindIp = typeof p.bindIp === "string" ? p.bindIp : "0.0.0.0";
    if (p.bindIp !== undefined && !(typeof p.bindIp === "string" && /^\d{1,3}(\.\d{1,3}){3}$/.test(p.bindIp))) this.problem("bindIp", `${show(p.bindIp)} is not an IPv4 address`);
    ({ storage: this.storage, credentials: this.credentials } = this.resolveStorage(p.storage));
    const gc = (typeof p.gc === "object" && p.gc !== null ? p.gc : {}) as NonNullable<RegistryProps["gc"]>;
    const day = gc.day ?? "Sun";
    if (!DAYS.includes(day)) this.problem("gc.day", `${show(gc.day)} is not a day: use ${DAYS.join(", ")}`);
    const at = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(typeof gc.at === "string" ? gc.at : gc.at === undefined ? "04:30" : "");
    if (!at) this.problem("gc.at", `${show(gc.at)} is not a time: use "HH:MM" (UTC)`);
    this.gcCalendar = `${DAYS.includes(day) ? day : "Sun"} *-*-* ${at?.[1] ?? "04"}:${at?.[2] ?? "30"}:00 UTC`;
    const mirrors = p.mirrors ?? ["docker.io", "ghcr.io"];
    this.mirrors = Array.isArray(mirrors) ? mirrors.filter((m): m is string => typeof m === "string" && isHost(m)) : [];
    if (!Array.isArray(mirrors) || this.mirrors.length !== mirrors.length) this.problem("mirrors", `${show(p.mirrors)} must be a list of registry host names, e.g. ["docker.io", "ghcr.io"]`);
    this.publicEndpoint = this.resolvePublic(p.publicEndpoint);
    this.k8s = resolveRegistryK8s(p.kubernetes, (f, m) => this.problem(f, m));
    this.k8sSet = p.kubernetes !== undefined;
    this.image = this.checkedImage("image", p.image ?? DEFAULT_REGISTRY_IMAGE, DEFAULT_REGISTRY_IMAGE);
  }

  private resolvePublic(v: unknown): string | undefined {
    if (v === undefined) return undefined;
    const m = typeof v === "string" ? /^([^:\s]+):(\d{1,5})$/.exec(v) : null;
    if (!m || !isHost(m[1]) || !isPort(Number(m[2]))) {
      this.problem("publicEndpoint", `${show(v)} is not "host:port": the DNS name or IPv4 address and the port the Internet reaches the pull instance at, e.g. "oci.grid.example.net:443"`);
      return undefined;
    }
    return v as string;
  }

  private resolveStorage(s: RegistryStorageProps | undefined): { storage: RegistryStorage; credentials: RegistryS3Credentials | undefined } {
    const volume = { storage: { driver: "volume" } as const, credentials: undefined };
    if (s === undefined) return volume;
    if (typeof s !== "object" || s === null || !["volume", "r2", "s3"].includes(s.driver)) {
      this.problem("storage.driver", `${show((s as { driver?: unknown } | null)?.driver)} is not a storage driver: use "volume" (default), "r2" or "s3"`);
      return volume;
    }
    if (s.driver === "volume") return volume;
    const c = s.credentials as Partial<RegistryS3Credentials> | undefined;
    const good = (v: unknown) => typeof v === "string" && v.length > 0 && !/[\s]/.test(v);
    if (c === undefined) {
      if (s.driver === "s3") this.problem("storage.credentials", `the ${s.driver} driver needs credentials { accessKeyId, secretAccessKey }: the S3 keys of a token scoped to bucket ${show(s.bucket)} (Object Read & Write)`);
    } else {
      if (!good(c.accessKeyId)) this.problem("storage.credentials.accessKeyId", `${show(c.accessKeyId)} is not an access key id: a non-empty string without spaces`);
      if (!good(c.secretAccessKey)) this.problem("storage.credentials.secretAccessKey", "is not a secret access key: a non-empty string without spaces (the value is never shown)");
    }
    if (!(typeof s.bucket === "string" && BUCKET.test(s.bucket))) this.problem("storage.bucket", `${show(s.bucket)} is not a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens`);
    const root = s.rootDirectory ?? "/registry";
    if (!(typeof root === "string" && /^\/[\w./-]*$/.test(root) && !root.includes(".."))) this.problem("storage.rootDirectory", `${show(s.rootDirectory)} is not an absolute key prefix, e.g. "/registry"`);
    let endpoint = "";
    let region = "auto";
    if (s.driver === "r2") {
      if (!(typeof s.accountId === "string" && ACCOUNT.test(s.accountId))) this.problem("storage.accountId", `${show(s.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
      endpoint = `https://${String(s.accountId)}.r2.cloudflarestorage.com`;
      this.r2 = { accountId: String(s.accountId), bucket: String(s.bucket) };
    } else {
      endpoint = typeof s.endpoint === "string" ? s.endpoint : "";
      if (!/^https:\/\/[\w.-]+(:\d+)?\/?$/.test(endpoint)) this.problem("storage.endpoint", `${show(s.endpoint)} is not an https endpoint URL`);
      region = s.region ?? "us-east-1";
      if (!(typeof region === "string" && /^[a-z0-9-]+$/.test(region))) this.problem("storage.region", `${show(s.region)} is not a region name`);
    }
    return { storage: { driver: "s3", endpoint, bucket: String(s.bucket), region, rootDirectory: String(root) }, credentials: c as RegistryS3Credentials | undefined };
  }

  /** The hub of the lattice that runs on this registry's machine, if any. */
  private hub() {
    return Lattice.isLattice(this.lattice) ? this.lattice.hubs.find((h) => h.id === this.host) : undefined;
  }

  /** DNS name or IP address the machines reach the registry at. */
  address(): string {
    return this.addressProp ?? this.hub()?.host ?? "";
  }

  protected override validateTree(): void {
    if (!Lattice.isLattice(this.lattice)) return;
    if (this.addressProp === undefined && this.host !== "" && !this.hub()) {
      this.problem("address", this.inCluster()
        ? `is required: name the DNS name or IP address that leads to the registry's Services in cluster ${this.host} (a load balancer's, or a node's with NodePort): the nodes' container runtimes and the other machines pull there`
        : `is required: machine ${show(this.host)} is not a hub of lattice ${this.lattice.name}, so the grid does not know the name the other machines reach it at`);
    }
    const akash = this.akashMembers();
    if (akash.length > 0 && !this.publicEndpoint) this.warn("publicEndpoint", `the Akash leases of lattice ${this.lattice.name} (${akash.join(", ")}) pull from the upstream registries, not through this one: set publicEndpoint to pull through it (it then needs the one inbound port the grid allows, on ${this.host})`);
    if (this.publicEndpoint) this.warn("publicEndpoint", `${this.publicEndpoint} opens the one inbound port the grid allows on ${this.host}: forward it to the pull port ${this.ports.pull} only (read-only, an identity per machine and lease), never to the push port ${this.ports.push}`);
    if (this.k8sSet && !this.inCluster()) this.problem("kubernetes", `applies to a registry in a cluster: ${show(this.host)} is not a SpinKubeCluster of lattice ${this.lattice.name}`);
    if (this.inCluster()) {
      if (this.bindIp !== "0.0.0.0") this.problem("bindIp", `applies to a registry on a machine: in cluster ${this.host} the Services publish the ports (kubernetes.serviceType)`);
      if (this.k8s.pullFrom.length === 0) this.warn("kubernetes.pullFrom", `only the cluster's pods and the registry pod's own node reach the pull port of ${this.path}: name the CIDRs of the cluster's nodes (their container runtime pulls) and of the machines outside that pull through it`);
    }
    const mine = this.lattice.node.children.filter(Registry.isRegistry);
    if (mine[0] !== this) this.problem("id", `lattice ${this.lattice.name} already has registry ${mine[0]?.path}: its machines pull through one registry`);
    const root = this.node.root;
    if (!GridRoot.isGrid(root) || this.host === "") return;
    // every port published on this machine before this registry, in tree order
    const taken = new Map<number, string>();
    for (const c of root.node.findAll()) {
      if (c === this) break;
      if (Registry.isRegistry(c) && c.host === this.host) {
        taken.set(c.ports.pull, `registry ${c.path}'s pull port`);
        taken.set(c.ports.push, `registry ${c.path}'s push port`);
      }
    }
    for (const c of root.node.findAll()) {
      if (!Lattice.isLattice(c)) continue;
      for (const h of c.hubs) if (h.id === this.host) for (const k of ["client", "cluster", "leafnode"] as const) if (!taken.has(h.ports[k])) taken.set(h.ports[k], `hub ${h.id}'s ${k} port`);
    }
    for (const f of ["pull", "push"] as const) {
      const other = taken.get(this.ports[f]);
      if (other) this.problem(`ports.${f}`, `${this.ports[f]} on machine ${this.host} is already ${other}: give one of them another port`);
    }
  }

  /** The SpinKubeCluster it runs in, when `host` names one of the lattice. */
  private inCluster(): boolean {
    return Lattice.isLattice(this.lattice) && latticeClusters(this.lattice).some((c) => c.node.id === this.host);
  }

  /** Hands its objects (in a cluster) and its pull Secret (every cluster of the lattice) to the clusters' apply order. */
  protected override prepare(): void {
    if (Lattice.isLattice(this.lattice)) prepareRegistryK8s(this.spec(), this.lattice, this.inCluster() ? this.k8s : undefined);
  }

  /** This registry, resolved: what every registry document (src/registry/) is built from. */
  spec(): RegistrySpec {
    return {
      id: this.node.id, latticeName: this.lattice.name, host: this.host, address: this.address(), ports: this.ports, bindIp: this.bindIp,
      image: this.image, storage: this.storage, gcCalendar: this.gcCalendar, mirrors: this.mirrors,
    };
  }

  /** The Akash leases of the lattice: its Akash nodes and GPU pools. */
  akashMembers(): string[] {
    return this.lattice.node.children.filter((c) => (kindOf(c) === "TlosNode" && Reflect.get(c, "target") === "akash") || kindOf(c) === "AkashGpuPool").map((c) => c.node.id);
  }

  /** The Podman machines of the lattice that pull through the registry: its hubs and its Podman nodes. */
  podmanHosts(): string[] {
    const nodes = this.lattice.node.children.filter((c) => kindOf(c) === "TlosNode" && Reflect.get(c, "target") === "podman").map((c) => c.node.id);
    return [...new Set([...this.lattice.hubs.map((h) => h.id), ...nodes])].sort();
  }

  /** Every identity of the pull instance: the Podman machines, the lattice's clusters, and the Akash leases when it is public. */
  pullHosts(): string[] {
    return [...new Set([...this.podmanHosts(), ...latticeClusters(this.lattice).map((c) => c.node.id), ...(this.publicEndpoint ? this.akashMembers() : [])])].sort();
  }

  /** `host:port` the pipelines push to. */
  pushEndpoint(): string {
    return registryEndpoint(this.spec(), "push");
  }

  /** The pipelines' push identity. */
  pushIdentity(seed: MasterSeed): RegistryIdentity {
    return registryIdentity(seed, this.path, PUSH_USER);
  }

  /** Machine `host`'s pull identity. */
  hostIdentity(seed: MasterSeed, host: string): RegistryIdentity {
    return registryIdentity(seed, this.path, hostUser(host));
  }

  _synthesize(ctx: SynthContext): void {
    const id = this.node.id;
    const lat = this.lattice.node.id;
    const dirs = registryDirs(lat, id);
    const add = fileAdder(ctx);
    const spec = this.spec();
    const push = this.pushIdentity(ctx.seed);
    const hosts = this.pullHosts();
    const pullIds = hosts.map((h) => this.hostIdentity(ctx.seed, h));
    const files = {
      pullHtpasswd: htpasswd(ctx.seed, this.path, pullIds),
      pushHtpasswd: htpasswd(ctx.seed, this.path, [push]),
      httpSecret: `${Buffer.from(ctx.seed.derive(`registry/${this.path}/http-secret`, 32)).toString("base64url")}\n`,
    };
    const issuedAt = ctx.issuedAt;
    const pair = this.lattice.pki(ctx.seed) === undefined ? undefined : serviceCertificate(ctx.seed, {
      scope: this.lattice.path, lattice: this.lattice.name, epoch: this.lattice.tlsEpoch, notBefore: new Date(issuedAt * 1000), validityDays: this.lattice.tlsValidityDays,
    }, `registry-${id}`, [...new Set([spec.address, ...(this.publicEndpoint ? [this.publicEndpoint.replace(/:\d+$/, "")] : [])])]);
    add(`${dirs.secrets}/pull.htpasswd`, files.pullHtpasswd, "config", "podman", true);
    add(`${dirs.secrets}/push.htpasswd`, files.pushHtpasswd, "config", "podman", true);
    add(`${dirs.secrets}/push.password`, `${push.password}\n`, "config", "ci", true);
    if (pair) add(`${dirs.secrets}/tls-key.pem`, pair.key, "tls-key", "tls", true);
    if (pair) add(`${dirs.dir}/tls-cert.pem`, pair.cert, "tls-certificate", "tls");
    const info = registryInfo(spec, { ca: relativeFrom(dirs.dir, tlsFiles(lat).ca), pushUser: PUSH_USER, pushPassword: relativeFrom(dirs.dir, `${dirs.secrets}/push.password`), hosts: hosts.map(hostUser) });
    add(dirs.info, `${JSON.stringify(info, null, 2)}\n`, "config", "grid");
    const caPem = this.lattice.caPem(ctx.seed);
    synthRegistryK8s(ctx, spec, this.lattice, {
      placement: this.inCluster() ? this.k8s : undefined, caPem, identity: (c) => this.hostIdentity(ctx.seed, c),
      own: { pullHtpasswd: files.pullHtpasswd, pushHtpasswd: files.pushHtpasswd, httpSecret: files.httpSecret, cert: pair?.cert, key: pair?.key, ...(this.credentials ? { s3: this.credentials } : {}) },
    });
    if (!this.inCluster()) this.synthPodman(ctx, spec, files, pair);
    for (const [i, h] of hosts.entries()) if (this.podmanHosts().includes(h)) ctx.host(h, undefined, registryClientItems(spec, { lattice: lat, ca: caPem, identity: pullIds[i]!, hostUnit: this.hostUnit(h) }), PHASE.nodes);
    ctx.step({
      phase: PHASE.hubs + 5, machine: "operator", title: `fill registry ${id} with every image and component the grid names`,
      commands: [`tlos images mirror <out>   # copies each by digest to ${registryEndpoint(spec, "push")} with the push identity (skopeo)`],
      check: "it reports every image copied (or already there); a machine then pulls them by digest through its mirror drop-in",
    });
  }

  /** The registry as a rootless pod on its machine: configs, Quadlet units, GC timer, and its machine's bundle. */
  private synthPodman(ctx: SynthContext, spec: RegistrySpec, files: { pullHtpasswd: string; pushHtpasswd: string; httpSecret: string }, pair: { cert: string; key: string } | undefined): void {
    const id = this.node.id;
    const dirs = registryDirs(this.lattice.node.id, id);
    const add = fileAdder(ctx);
    const names = registrySecretNames(id);
    const configs = (["pull", "push"] as const).map((role) => ({ file: configFile(id, role), content: renderYaml(distributionConfig(spec, role, undefined, `:${LISTEN[role]}`), { header: [`CNCF distribution config of registry ${id} (${role} instance). Secrets come from the environment and mounted Podman secrets. Generated by tlos.`] }) }));
    for (const c of configs) add(`${dirs.dir}/${c.file}`, c.content, "config", "podman");
    const units = registryUnits(spec, this.lattice.userNS).map((u) => fitToPodman(u, this.lattice.podmanVersion).unit);
    const unitFiles = units.map((u) => ({ file: unitFileName(u), content: renderUnit(u) }));
    for (const u of unitFiles) ctx.add({ path: `${dirs.quadlet}/${u.file}`, content: u.content, kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.lattice.podmanVersion });
    const timer = renderIni(gcTimer(spec), [`Timer of registry ${id}'s garbage collection (its machine's bundle installs it). Generated by tlos.`]);
    add(`${dirs.dir}/systemd/${id}-registry-gc.timer`, timer, "systemd-unit", "podman");
    const byo = "a CA of your own (caCertificate): put the registry's certificate and key for its address here";
    const pod = units.find((u) => u.type === "pod");
    const items: HostItem[] = [
      pair ? { kind: "secret", name: names.cert, file: `${id}-registry-cert.pem`, content: pair.cert, public: true } : { kind: "secret", name: names.cert, file: `${id}-registry-cert.pem`, optional: byo },
      pair ? { kind: "secret", name: names.key, file: `${id}-registry-key.pem`, content: pair.key } : { kind: "secret", name: names.key, file: `${id}-registry-key.pem`, optional: byo },
      { kind: "secret", name: names.htpasswd("pull"), file: `${id}-registry-pull.htpasswd`, content: files.pullHtpasswd },
      { kind: "secret", name: names.htpasswd("push"), file: `${id}-registry-push.htpasswd`, content: files.pushHtpasswd },
      { kind: "secret", name: names.httpSecret, file: `${id}-registry-http-secret`, content: files.httpSecret },
      ...(this.credentials ? [
        { kind: "secret", name: names.s3AccessKey, file: `${id}-registry-s3-access-key`, content: this.credentials.accessKeyId },
        { kind: "secret", name: names.s3SecretKey, file: `${id}-registry-s3-secret-key`, content: this.credentials.secretAccessKey },
      ] as HostItem[] : this.r2 ? [
        { kind: "secret", name: names.s3AccessKey, file: `${id}-registry-s3-access-key`, optional: "the S3 access key id of the bucket token, from pulumi stack output (the adapter creates the bucket and the token)" },
        { kind: "secret", name: names.s3SecretKey, file: `${id}-registry-s3-secret-key`, optional: "the S3 secret of the bucket token, from pulumi stack output" },
      ] as HostItem[] : []),
      ...configs.map((c): HostItem => ({ kind: "unit", file: c.file, content: c.content })),
      ...unitFiles.map((u): HostItem => ({ kind: "unit", file: u.file, content: u.content, podmanVersion: this.lattice.podmanVersion })),
      { kind: "user-unit", file: `${id}-registry-gc.timer`, content: timer },
      { kind: "start", unit: pod ? serviceName(pod) : `${id}-registry-pod.service`, order: 15 },
      { kind: "start", unit: `${id}-registry-gc.timer`, enable: true, order: 30 },
      { kind: "check", text: `curl --cacert ca.pem https://${registryEndpoint(spec, "pull")}/v2/ answers 401 (no anonymous pulls); with a machine's identity 200; a push to ${registryEndpoint(spec, "pull")} is refused` },
    ];
    ctx.host(this.host, `OCI registry ${id} of lattice ${this.lattice.name}`, items, PHASE.hubs);
  }

  /** The wasmCloud host container of machine `host` (a Podman node) and its version, for its registry drop-in. */
  private hostUnit(host: string): { file: string; version: "v1" | "v2" } | undefined {
    const node = this.lattice.node.children.find((c) => kindOf(c) === "TlosNode" && c.node.id === host);
    return node ? { file: `${host}-wasmcloud.container`, version: this.lattice.wasmcloud } : undefined;
  }
}
