/**
 * `Lattice`: a NATS lattice for wasmCloud. A hub cluster of an odd number (≥ 3) of nats-servers
 * in operator mode (JetStream domain, TLS routes, TLS leafnode listener) that tLOS nodes dial out
 * to; one account for the lattice, one leaf user per node, all derived from the master seed.
 */
import { hubDirs, latticeFiles, tlsFiles } from "../core/layout.js";
import type { Construct } from "constructs";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { show } from "../core/errors.js";
import { hostPort } from "../core/names.js";
import type { MasterSeed } from "../core/seed.js";
import { renderNatsConf } from "../core/natsconf.js";
import { hostKeyPair, hostSeed, issuerKey, latticeClientCreds, latticeCredentials, type LatticeCredentials } from "../nats/auth.js";
import { leafKindsOf, leafRoles, type LeafKind } from "../nats/leaf-roles.js";
import { adminRole, policyRole, wadmRole } from "../nats/roles.js";
import type { ClusterLeafUser } from "../spinkube/wasmcloud.js";
import { policyServiceUnit } from "../systemd/policy-service.js";
import { v1JetStreamPlan } from "../wasmcloud/jetstream-plan.js";
import { hubConfig } from "../nats/config.js";
import { hubUnits } from "../quadlet/nats-hub.js";
import { fitToPodman } from "../quadlet/compat.js";
import { serviceName, unitFileName, type QuadletUnit } from "../quadlet/model.js";
import { renderUnit } from "../quadlet/render.js";
import { hubHostItems, latticeInitStep } from "./lattice-hosts.js";
import type { ResolvedHub } from "./lattice-hubs.js";
import { PHASE } from "../core/host-items.js";
import type { WasmCloudVersion } from "../wasmcloud/host.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { resolveLattice, type LatticeProps } from "./lattice-props.js";
import { latticePki, type LatticePki } from "../tls/pki.js";
import { emitLocalLatticeFiles } from "./local-lattice.js";
import { LeafUsers } from "./lattice-leaf-users.js";
import { leafSecretsOf, type LatticeMember, type LeafSecrets } from "./lattice-member.js";
import { GridRoot } from "./grid.js";
import { LATTICE_KEYS } from "./prop-keys.js";
import { latticeExpectation } from "./lattice-expect.js";
import type { DelegableRole } from "../nats/scoped-keys.js";
import type { LatticeReference } from "./lattice-teams.js";

export type { HubProps, LatticeProps } from "./lattice-props.js";
export type { ResolvedHub } from "./lattice-hubs.js";

/** Kinds that dial the hubs with their own leaf credentials. */
const LEAF_KINDS: ReadonlySet<string> = new Set(["TlosNode", "AkashGpuPool", "SpinKubeCluster"]);

export class Lattice extends TlosConstruct {
  /** True for any Lattice, also across two loaded copies of this library. */
  static isLattice(x: unknown): x is Lattice {
    return kindOf(x) === "Lattice";
  }

  /** Lattice name (v1 lattice, v2 host group, NATS account name). */
  readonly name: string;
  /** JetStream domain of the hubs. */
  readonly jetstreamDomain: string;
  /** wasmCloud major version of every host. */
  readonly wasmcloud: WasmCloudVersion;
  /** `"cluster"`: 3+ hubs with routes and JetStream R3; `"single"`: one hub, standalone JetStream (R1). */
  readonly mode: "cluster" | "single";
  /** Hubs with defaults filled. */
  readonly hubs: readonly ResolvedHub[];
  readonly natsImage: string;
  readonly wadmImage: string;
  /** Issuers whose signed components may start (the grid's own comes first at synth). */
  readonly trustedIssuers: readonly string[];
  /** PEM of the lattice CA for members that cannot get it as a Podman secret (Akash). */
  readonly caCertificate: string | undefined;
  readonly podmanVersion: string;
  readonly userNS: string;
  readonly autoUpdate: "registry" | "local" | undefined;
  /** TLS rotation counter and certificate validity. */
  readonly tlsEpoch: number;
  readonly tlsValidityDays: number;
  private readonly limits: LatticeProps["limits"];
  /** Revoked node id → revocation time, seconds since the epoch. */
  readonly revokedNodes: Readonly<Record<string, number>>;
  /** Days the JWTs of renewable roles stay valid after the grid's issuedAt; undefined: no expiry. */
  readonly credentialLifetimeDays: number | undefined;
  /** Team → the roles delegated to it through scoped signing keys. */
  readonly teams: Readonly<Record<string, readonly DelegableRole[]>>;
  private credsCache?: { seed: MasterSeed; creds: LatticeCredentials };
  /** The leaf users handed to the members' synths, and their public keys for the expectation. */
  private readonly leafUsers = new LeafUsers();
  private readonly clusterUsers = new Map<string, Map<string, ClusterLeafUser>>();
  private pkiCache?: { seed: MasterSeed; pki: LatticePki };

  constructor(scope: Construct, id: string, props: LatticeProps) {
    super(scope, id, "Lattice");
    const p = (this.plain(props) ?? {}) as Partial<LatticeProps>;
    this.knownKeys(p, LATTICE_KEYS);
    ({
      name: this.name, jetstreamDomain: this.jetstreamDomain, wasmcloud: this.wasmcloud, mode: this.mode, hubs: this.hubs, limits: this.limits,
      revokedNodes: this.revokedNodes, credentialLifetimeDays: this.credentialLifetimeDays, teams: this.teams, natsImage: this.natsImage, wadmImage: this.wadmImage,
      caCertificate: this.caCertificate, trustedIssuers: this.trustedIssuers, podmanVersion: this.podmanVersion, userNS: this.userNS,
      autoUpdate: this.autoUpdate, tlsEpoch: this.tlsEpoch, tlsValidityDays: this.tlsValidityDays,
    } = resolveLattice(p, this.node.id, (f, m) => this.problem(f, m), (f, m) => this.warn(f, m)));
  }

  /** The nodes of this lattice, in id order. */
  members(): LatticeMember[] {
    return this.node.children
      // a TlosNode (by kind, not by import: tlos-node.ts imports this file)
      .filter((c): c is TlosConstruct & LatticeMember => kindOf(c) === "TlosNode")
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /** Ids of everything that dials in with its own leaf credentials (nodes and GPU pools). */
  leafIds(): string[] {
    return this.node.children
      .filter((c) => LEAF_KINDS.has(kindOf(c) ?? ""))
      .map((c) => c.node.id)
      .sort();
  }

  /** What each leaf user is: a node, a GPU pool or a Kubernetes cluster (its role follows). */
  leafKinds(): Map<string, LeafKind> {
    return leafKindsOf(this.node.children);
  }

  /**
   * Adds a user to a SpinKubeCluster's in-cluster leaf (an R2Backup's CronJob, from its
   * `prepare`): the leaf's config admits it, and the cluster's leaf JWT carries its rights.
   * Adding the same role id again replaces it.
   */
  addClusterLeafUser(clusterId: string, user: ClusterLeafUser): void {
    const users = this.clusterUsers.get(clusterId) ?? new Map<string, ClusterLeafUser>();
    if (!users.has(user.role.id)) this.credsCache = undefined;
    users.set(user.role.id, user);
    this.clusterUsers.set(clusterId, users);
  }

  /** The users {@link addClusterLeafUser} added to a cluster's leaf, by role id. */
  clusterLeafUsers(clusterId: string): ClusterLeafUser[] {
    return [...(this.clusterUsers.get(clusterId)?.values() ?? [])].sort((a, b) => a.role.id.localeCompare(b.role.id));
  }

  /** Lifetime of renewable roles' JWTs in seconds, if they expire. */
  renewableLifetime(): number | undefined {
    return this.credentialLifetimeDays === undefined ? undefined : this.credentialLifetimeDays * 86_400;
  }

  /** Every credential of the lattice (secret), derived from `seed`; computed once per seed. */
  credentials(seed: MasterSeed, issuedAt: number): LatticeCredentials {
    if (this.credsCache?.seed !== seed) {
      this.leafUsers.clear();
      const leaves = leafRoles(this.leafKinds(), {
        lattice: this.name, domain: this.jetstreamDomain, wasmcloud: this.wasmcloud, policyTopic: this.policyTopic(),
        hostId: (id) => hostKeyPair(seed, this.path, id).getPublicKey(),
        clusterUsers: (id) => this.clusterLeafUsers(id).map((u) => u.role),
      });
      const creds = latticeCredentials(seed, {
        scope: this.path,
        name: this.name,
        leaves,
        renewableLifetime: this.renewableLifetime(),
        limits: this.limits ?? {},
        issuedAt,
        revokedNodes: this.revokedNodes,
        teams: this.teams,
      });
      this.credsCache = { seed, creds };
    }
    return this.credsCache.creds;
  }

  /**
   * What one leaf-holding member (`id`) carries into its deployment: its leaf credentials and its
   * wasmCloud host seed, both derived from `seed`. Throws for an id that holds no leaf.
   */
  leafSecrets(seed: MasterSeed, issuedAt: number, id: string): LeafSecrets {
    const user = this.leafUsers.take(this.credentials(seed, issuedAt), () => this.node.children.map((c) => c.node.id), id);
    if (!user) throw new Error(`internal: no leaf credentials for ${this.path}/${id}`);
    return leafSecretsOf(user.creds, () => hostSeed(seed, this.path, id));
  }

  /**
   * What the platform hands `team` so it joins this lattice from its own stack: the public
   * reference and, secret, the seeds of the scoped signing keys of the roles delegated to it.
   */
  teamExport(seed: MasterSeed, issuedAt: number, team: string): { reference: LatticeReference; signingKeySeeds: Record<string, string> } {
    const creds = this.credentials(seed, issuedAt);
    const keys = [...(creds.teams.get(team) ?? new Map()).entries()];
    return {
      reference: {
        id: this.node.id, name: this.name, jetstreamDomain: this.jetstreamDomain, wasmcloud: this.wasmcloud, natsImage: this.natsImage,
        leafUrls: this.leafUrls(), caPem: this.caPem(seed), accountPublicKey: creds.account.publicKey, team,
        signingKeys: Object.fromEntries(keys.map(([r, k]) => [r, k.publicKey])),
      },
      signingKeySeeds: Object.fromEntries(keys.map(([r, k]) => [r, k.seed])),
    };
  }

  /**
   * The seed-derived PKI (CA and hub certificates); undefined when the grid brings its own CA
   * (`caCertificate`). Computed once per seed.
   */
  pki(seed: MasterSeed): LatticePki | undefined {
    if (this.caCertificate !== undefined) return undefined;
    if (this.pkiCache?.seed !== seed) {
      const root = this.node.root;
      const issuedAt = GridRoot.isGrid(root) ? root.issuedAt : 1735689600;
      const pki = latticePki(seed, {
        scope: this.path, lattice: this.name, epoch: this.tlsEpoch, notBefore: new Date(issuedAt * 1000),
        validityDays: this.tlsValidityDays, hubs: this.hubs.map((h) => ({ id: h.id, host: h.host })),
      });
      this.pkiCache = { seed, pki };
    }
    return this.pkiCache.pki;
  }

  /** PEM of the CA every member verifies the hubs with: the one given, or the seed-derived one. */
  caPem(seed: MasterSeed): string {
    return this.caCertificate ?? (this.pki(seed) as LatticePki).ca.cert;
  }

  /** `host:port` of every hub's leafnode listener, as leaves dial them. */
  leafUrls(): string[] {
    return this.hubs.map((h) => hostPort(h.host, h.ports.leafnode));
  }

  /** Podman secret names of the lattice's shared TLS material. */
  secretNames(hub?: string): { ca: string; cert: string; key: string } {
    const base = `tlos-${this.node.id}`;
    return { ca: `${base}-ca`, cert: `${base}-${hub}-tls-cert`, key: `${base}-${hub}-tls-key` };
  }

  /** Subject v1 hosts send policy requests to. */
  policyTopic(): string {
    return `wasmcloud.policy.${this.name}`;
  }

  /** Every trusted issuer: the grid's own (derived from the seed) first, then `trustedIssuers`. */
  issuers(ctx: { seed: MasterSeed }): string[] {
    return [...new Set([issuerKey(ctx.seed, this.path).publicKey, ...this.trustedIssuers])];
  }

  /** @internal The Quadlet units of each hub, fitted to the target Podman version. */
  hubUnitSets(): { hub: ResolvedHub; units: QuadletUnit[]; errors: string[] }[] {
    return this.hubs.map((hub) => {
      const raw = hubUnits({
        hub: hub.id,
        lattice: this.name,
        image: this.natsImage,
        natsConfFile: `${hub.id}-nats.conf`,
        operatorJwtFile: `${hub.id}-operator.jwt`,
        configDir: hub.configDir,
        storeDir: hub.storeDir,
        clientPort: hub.ports.client,
        monitorPort: hub.ports.monitor,
        ...(this.wasmcloud === "v1" ? { wadm: { image: this.wadmImage, credsSecret: `tlos-${this.node.id}-wadm-creds` } } : {}),
        publish: this.mode === "single" ? [hub.ports.leafnode] : [hub.ports.cluster, hub.ports.leafnode],
        userNS: this.userNS,
        autoUpdate: this.autoUpdate,
        secrets: this.secretNames(hub.id),
        labels: { "tlos.grid/lattice": this.name, "tlos.grid/hub": hub.id },
      });
      const fitted = raw.map((u) => fitToPodman(u, this.podmanVersion));
      return { hub, units: fitted.map((f) => f.unit), errors: fitted.flatMap((f) => f.errors.map((e) => e.message)) };
    });
  }

  protected override validateTree(): void {
    const members = this.members();
    if (members.length === 0) this.warn("nodes", `lattice ${this.name} has no nodes: add a TlosNode inside it`);
    const hubIds = new Set(this.hubs.map((h) => h.id));
    for (const m of members) {
      if (hubIds.has(m.id)) this.problem("hubs", `hub id ${show(m.id)} is also the id of node ${m.path}: unit and server names would clash`);
      if (m.id === this.jetstreamDomain) {
        this.problem("jetstreamDomain", `${show(this.jetstreamDomain)} is also the id of node ${m.path}, whose leaf uses its id as its own JetStream domain: pick another domain`);
      }
    }
    const leaves = new Set(this.leafIds());
    const root = this.node.root;
    const issuedAt = GridRoot.isGrid(root) ? root.issuedAt : 0;
    for (const [id, at] of Object.entries(this.revokedNodes)) {
      if (leaves.has(id)) this.problem(`revokedNodes.${id}`, `node ${show(id)} is revoked but still in the lattice: remove the node, or give the replacement a new id`);
      if (at < issuedAt) {
        this.problem(`revokedNodes.${id}`, `${new Date(at * 1000).toISOString()} is before the grid's issuedAt ${new Date(issuedAt * 1000).toISOString()}: the node's credentials would stay valid; revoke at a later time`);
      }
    }
    if (!this.hasProblems()) {
      for (const set of this.hubUnitSets()) for (const e of set.errors) this.problem("podman.version", e, "quadlet-key-version");
    }
  }

  /** The v1 policy responder's creds: subscribe to the policy topic, answer on inboxes. */
  private policyCreds(ctx: SynthContext): string {
    return latticeClientCreds(ctx.seed, this.path, "policy", ctx.issuedAt, policyRole(this.policyTopic()), this.renewableLifetime());
  }

  /** The v1 wadm creds (its role from nats/roles.ts), in the operator tree and the hubs' bundles. */
  private wadmCreds(ctx: SynthContext): string {
    return latticeClientCreds(ctx.seed, this.path, "wadm", ctx.issuedAt, wadmRole(this.name), this.renewableLifetime());
  }

  _synthesize(ctx: SynthContext): void {
    const creds = this.credentials(ctx.seed, ctx.issuedAt);
    const base = this.node.id;
    const add = fileAdder(ctx);
    // a single hub runs standalone JetStream: a cluster block without routes makes nats-server refuse to start
    const routes = this.mode === "single" ? [] : this.hubs.map((h) => hostPort(h.host, h.ports.cluster));
    const pki = this.pki(ctx.seed);
    for (const { hub, units } of this.hubUnitSets()) {
      const dir = hubDirs(base, hub.id).quadlet;
      const conf = hubConfig({
        serverName: hub.id,
        bind: hub.bind,
        ports: hub.ports,
        clusterName: this.name,
        routes,
        domain: this.jetstreamDomain,
        storeDir: hub.storeDir,
        maxMemory: hub.maxMemory.toNats(),
        maxFile: hub.maxFile.toNats(),
        operatorJwtFile: `${hub.configDir}/operator.jwt`,
        systemAccount: creds.system.publicKey,
        preload: { [creds.system.publicKey]: creds.system.jwt, [creds.account.publicKey]: creds.account.jwt },
        tls: { ca: `${hub.configDir}/tls/ca.pem`, cert: `${hub.configDir}/tls/server.pem`, key: `${hub.configDir}/tls/server-key.pem` },
        advertise: { cluster: hostPort(hub.host, hub.ports.cluster), leafnode: hostPort(hub.host, hub.ports.leafnode) },
      });
      const confText = renderNatsConf(conf, [`nats-server config of hub ${hub.id}, lattice ${this.name}. Generated by tlos; do not edit.`]);
      const jwt = `${creds.operator.jwt}\n`;
      add(`${dir}/${hub.id}-nats.conf`, confText, "nats-config", "nats");
      add(`${dir}/${hub.id}-operator.jwt`, jwt, "nats-jwt", "nats");
      const rendered = units.map((u) => ({ file: unitFileName(u), content: renderUnit(u) }));
      for (const r of rendered) ctx.add({ path: `${dir}/${r.file}`, content: r.content, kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.podmanVersion });
      const policy = this.wasmcloud === "v1"
        ? { file: `tlos-policy-${hub.id}.service`, content: policyServiceUnit({
          hub: hub.id, lattice: this.name, clientPort: hub.ports.client, topic: this.policyTopic(),
          trusted: this.issuers(ctx), credsPath: `%h/.config/tlos/${base}/policy.creds`, after: `${hub.id}-nats.service`,
        }) }
        : undefined;
      if (policy) add(`${hubDirs(base, hub.id).systemd}/${policy.file}`, policy.content, "systemd-unit", "podman");
      const pod = units.find((u) => u.type === "pod");
      ctx.host(hub.id, `hub ${hub.id} of lattice ${this.name}`, hubHostItems({
        hub: hub.id, host: hub.host, monitorPort: hub.ports.monitor, base, podmanVersion: this.podmanVersion, caPem: this.caPem(ctx.seed), pki,
        unitFiles: [
          ...rendered.map((r) => ({ ...r, unit: true })),
          { file: `${hub.id}-nats.conf`, content: confText, unit: false },
          { file: `${hub.id}-operator.jwt`, content: jwt, unit: false },
        ],
        podService: pod ? serviceName(pod) : `${hub.id}-pod.service`,
        secretNames: this.secretNames(hub.id),
        ...(policy ? { v1: { wadmSecret: `tlos-${base}-wadm-creds`, wadmCreds: this.wadmCreds(ctx), policyUnit: policy, policyCreds: this.policyCreds(ctx) } } : {}),
      }), PHASE.hubs);
    }
    const tls = tlsFiles(base);
    add(tls.ca, this.caPem(ctx.seed), "tls-certificate", "tls");
    if (pki) {
      add(tls.caKey, pki.ca.key, "tls-key", "tls", true);
      for (const [id, pair] of pki.hubs) {
        add(tls.cert(id), pair.cert, "tls-certificate", "tls");
        add(tls.key(id), pair.key, "tls-key", "tls", true);
      }
    }
    const files = latticeFiles(base);
    add(files.sysCreds, creds.system.creds, "nats-creds", "nats", true);
    // public (a JWT holds no seed): what `tlos claims push` hands to running hubs after a change
    add(files.accountJwt, `${creds.account.jwt}\n`, "nats-jwt", "nats");
    const life = this.renewableLifetime();
    add(files.adminCreds, latticeClientCreds(ctx.seed, this.path, "admin", ctx.issuedAt, adminRole(), life), "nats-creds", "nats", true);
    add(files.issuerSeed, `${issuerKey(ctx.seed, this.path).seed}\n`, "signing-key", "wasmcloud", true);
    if (this.wasmcloud === "v1") {
      add(files.wadmCreds, this.wadmCreds(ctx), "nats-creds", "nats", true);
      add(files.policyCreds, this.policyCreds(ctx), "nats-creds", "nats", true);
      const plan = v1JetStreamPlan(this.name, Math.min(3, this.hubs.length));
      add(files.jetstreamPlan, `${JSON.stringify(plan, null, 2)}\n`, "jetstream-plan", "nats");
    }
    emitLocalLatticeFiles(this, creds, this.issuers(ctx), ctx.seed, (f) => ctx.add(f));
    ctx.step(latticeInitStep(this.name, base, this.hubs[0], this.wasmcloud === "v1"));
  }

  /** The expectation `tlos status` checks, with the public key of every leaf user the members' synths made. */
  _synthesizeLast(ctx: SynthContext): void {
    const creds = this.credentials(ctx.seed, ctx.issuedAt);
    const users = this.leafUsers.publicKeys(creds);
    const base = this.node.id;
    ctx.add({ path: latticeFiles(base).expected, content: `${JSON.stringify(latticeExpectation(this, ctx.seed, creds.account.publicKey, base, users), null, 2)}\n`, kind: "config", target: "nats", secret: false });
  }
}
