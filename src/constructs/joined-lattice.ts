/**
 * `JoinedLattice`: a lattice another stack (the platform) runs, as a team joins it — built from
 * the platform's {@link LatticeReference} (hub leaf URLs, CA certificate, account public key, the
 * public keys of the roles delegated to the team), never from the master seed. Members created
 * inside it (an `AkashGpuPool`, a `SpinKubeCluster`) render exactly as inside a `Lattice`; their
 * leaf user keys and host seeds derive from the team's own seed, and their user JWTs are signed
 * with the scoped signing key of their role, so the hubs give them that role's rights only.
 * Nothing of the lattice itself (hubs, accounts) is rendered: the platform owns it.
 * @see https://docs.nats.io/running-a-nats-service/nats_admin/security/jwt#scoped-signing-keys
 */
import type { Construct } from "constructs";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { DEFAULT_IMAGES } from "../core/images.js";
import { show, ValidationError, type Problem } from "../core/errors.js";
import { NATS_NAME_PATTERN } from "../core/names.js";
import type { MasterSeed } from "../core/seed.js";
import { deriveKeyPair, nkeyFromSeed, type NKey } from "../nats/keys.js";
import { leafKindsOf, type LeafKind } from "../nats/leaf-roles.js";
import { hostSeed } from "../nats/auth.js";
import { DELEGABLE_ROLES, scopedLeafCreds, type DelegableRole } from "../nats/scoped-keys.js";
import { WASMCLOUD_VERSIONS, type WasmCloudVersion } from "../wasmcloud/host.js";
import { leafSecretsOf, type LeafSecrets } from "./lattice-member.js";
import type { ClusterLeafUser } from "../spinkube/wasmcloud.js";
import type { LatticeReference } from "./lattice-teams.js";

export type { LatticeReference } from "./lattice-teams.js";

/** The delegated role each leaf kind joins with (a node has none: no node role is delegated). */
const ROLE_OF: Readonly<Record<LeafKind, DelegableRole | undefined>> = { "ai-pool": "ai-pool", k8s: "k8s-leaf", node: undefined };

const PUBLIC_KEY = /^A[A-Z2-7]{55}$/;

/** True for a `Lattice` or a `JoinedLattice`: a scope members with a NATS leaf can be created in. */
export function isLatticeScope(x: unknown): boolean {
  const k = kindOf(x);
  return k === "Lattice" || k === "JoinedLattice";
}

export class JoinedLattice extends TlosConstruct {
  /** True for any JoinedLattice, also across two loaded copies of this library. */
  static isJoinedLattice(x: unknown): x is JoinedLattice {
    return kindOf(x) === "JoinedLattice";
  }

  readonly name: string;
  readonly jetstreamDomain: string;
  readonly wasmcloud: WasmCloudVersion;
  readonly natsImage: string;
  /** The lattice CA (public), what members verify the hubs with. */
  readonly caCertificate: string;
  readonly accountPublicKey: string;
  readonly team: string;
  private readonly urls: readonly string[];
  private readonly publicKeys: Readonly<Partial<Record<DelegableRole, string>>>;
  private readonly signers = new WeakMap<MasterSeed, ReadonlyMap<DelegableRole, NKey>>();

  /** @param reference what the platform stack exports for the team (`TlosGrid.teams`) */
  constructor(scope: Construct, reference: LatticeReference) {
    const r = (typeof reference === "object" && reference !== null ? reference : {}) as Partial<LatticeReference>;
    super(scope, typeof r.id === "string" ? r.id : "lattice", "JoinedLattice");
    const str = (field: keyof LatticeReference, ok: (v: string) => boolean, allowed: string): string => {
      const v = r[field];
      if (typeof v === "string" && ok(v)) return v;
      this.problem(`reference.${field}`, `${show(v)} is not allowed: use ${allowed} (from the platform's export)`);
      return "";
    };
    this.name = str("name", (v) => /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(v), "the lattice name");
    this.jetstreamDomain = str("jetstreamDomain", (v) => NATS_NAME_PATTERN.test(v), "the hubs' JetStream domain");
    this.caCertificate = str("caPem", (v) => /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(v), "the lattice CA's PEM certificate");
    this.accountPublicKey = str("accountPublicKey", (v) => PUBLIC_KEY.test(v), "the account public key (A…)");
    this.team = str("team", (v) => /^[a-z][a-z0-9-]{0,39}$/.test(v), "the team id");
    this.natsImage = typeof r.natsImage === "string" ? this.checkedImage("reference.natsImage", r.natsImage, DEFAULT_IMAGES.nats) : DEFAULT_IMAGES.nats;
    this.wasmcloud = (WASMCLOUD_VERSIONS as readonly unknown[]).includes(r.wasmcloud) ? (r.wasmcloud as WasmCloudVersion) : "v2";
    if (this.wasmcloud !== r.wasmcloud) this.problem("reference.wasmcloud", `${show(r.wasmcloud)} is not a wasmCloud version: use "v2" or "v1"`);
    const urls = Array.isArray(r.leafUrls) ? r.leafUrls : [];
    this.urls = urls.filter((u): u is string => typeof u === "string" && /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(u));
    if (urls.length === 0 || this.urls.length !== urls.length) this.problem("reference.leafUrls", `${show(r.leafUrls)} is not allowed: use the hubs' leafnode host:port list`);
    const keys = typeof r.signingKeys === "object" && r.signingKeys !== null ? r.signingKeys : {};
    const pk: Partial<Record<DelegableRole, string>> = {};
    for (const [role, key] of Object.entries(keys)) {
      if (!(DELEGABLE_ROLES as readonly string[]).includes(role)) this.problem(`reference.signingKeys.${role}`, `is not a delegable role; allowed: ${DELEGABLE_ROLES.join(", ")}`);
      else if (typeof key !== "string" || !PUBLIC_KEY.test(key)) this.problem(`reference.signingKeys.${role}`, `${show(key)} is not a signing key's public key (A…)`);
      else pk[role as DelegableRole] = key;
    }
    this.publicKeys = pk;
  }

  /** A joined cluster's leaf carries no extra users: the platform's R2 backups run in the platform's own clusters. */
  clusterLeafUsers(_clusterId: string): ClusterLeafUser[] {
    return [];
  }

  /** `host:port` of every hub's leafnode listener, as leaves dial them. */
  leafUrls(): string[] {
    return [...this.urls];
  }

  /** Subject v1 hosts send policy requests to. */
  policyTopic(): string {
    return `wasmcloud.policy.${this.name}`;
  }

  /** The lattice CA (public; the seed does not enter it). */
  caPem(_seed?: MasterSeed): string {
    return this.caCertificate;
  }

  /** The role a member joins with, from its kind. */
  private roleOf(id: string): DelegableRole | undefined {
    const kind = leafKindsOf(this.node.children).get(id);
    return kind ? ROLE_OF[kind] : undefined;
  }

  /**
   * Uses the scoped signing key seeds (the platform's secret export) for the leaves minted with
   * `seed` (the team's own). Throws a ValidationError if a seed is not the key the reference names.
   */
  useSigningKeys(seed: MasterSeed, seeds: Readonly<Record<string, string>>): void {
    const problems: Problem[] = [];
    const out = new Map<DelegableRole, NKey>();
    for (const [role, pub] of Object.entries(this.publicKeys) as [DelegableRole, string][]) {
      const given = seeds[role];
      let key: NKey | undefined;
      try {
        key = typeof given === "string" ? nkeyFromSeed(given) : undefined;
      } catch {
        key = undefined;
      }
      // the message never repeats the seed
      if (!key || key.getPublicKey() !== pub) problems.push({ path: this.path, field: `signingKeySeeds.${role}`, message: `is ${given === undefined ? "missing" : "not the seed of the signing key"} ${pub} the reference names; allowed: the platform's secret export of team ${this.team}'s keys` });
      else out.set(role, key);
    }
    if (problems.length > 0) throw new ValidationError(problems);
    this.signers.set(seed, out);
  }

  /** A member's leaf creds (its user key from `seed`, signed with its role's scoped key) and host seed. */
  leafSecrets(seed: MasterSeed, issuedAt: number, id: string): LeafSecrets {
    const role = this.roleOf(id);
    const signer = role ? this.signers.get(seed)?.get(role) : undefined;
    if (!signer) throw new Error(`internal: no signing key for ${this.path}/${id} (call useSigningKeys first)`);
    const user = deriveKeyPair(seed, "user", `${this.path}/leaf/${id}`);
    return leafSecretsOf(scopedLeafCreds(`leaf-${id}`, user, signer, this.accountPublicKey, issuedAt), () => hostSeed(seed, this.path, id));
  }

  protected override validateTree(): void {
    for (const [id, kind] of leafKindsOf(this.node.children)) {
      const role = ROLE_OF[kind];
      const delegated = Object.keys(this.publicKeys);
      if (!role) this.problem(id, `a ${kind === "node" ? "TlosNode" : kind} cannot join a lattice through a team's reference (no node role is delegated); allowed: AkashGpuPool, SpinKubeCluster`);
      else if (!this.publicKeys[role]) this.problem(id, `team ${show(this.team)} was delegated no signing key for role "${role}"; allowed: ${delegated.length ? delegated.join(", ") : "(none)"} (the platform lists roles in the lattice's teams prop)`);
    }
  }
}
