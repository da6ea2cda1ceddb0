/**
 * What a `Lattice` takes ({@link LatticeProps}, {@link HubProps}) and what it resolves them to
 * ({@link ResolvedLattice}), in the akash-checks style: problems go to `report`, a bad prop
 * resolves to a safe fallback.
 * @see https://docs.nats.io/running-a-nats-service/configuration/leafnodes
 */
import { attempt, show } from "../core/errors.js";
import { resolveImage } from "../core/image.js";
import { DEFAULT_IMAGES } from "../core/images.js";
import { idProblem, NATS_NAME_PATTERN } from "../core/names.js";
import { UNLIMITED_ACCOUNT, type AccountLimits } from "../nats/jwt.js";
import { enforcesLeafPermissions } from "../nats/roles.js";
import { WASMCLOUD_VERSIONS, type WasmCloudVersion } from "../wasmcloud/host.js";
import { resolveHubs, type ResolvedHub } from "./lattice-hubs.js";
import { resolvePodman } from "./podman-checks.js";
import type { Report } from "./validate.js";
import type { DelegableRole } from "../nats/scoped-keys.js";
import { resolveTeams } from "./lattice-teams.js";

/** One member of the hub cluster: a nats-server that leaves dial out to. */
export interface HubProps {
  /** Hub id, used in server names, unit names and certificate names; a lowercase DNS label. */
  readonly id: string;
  /**
   * DNS name or IP address leaf nodes and the other hubs dial; the hub's TLS certificate is
   * issued for it.
   */
  readonly host: string;
  /**
   * Address the client, cluster and leafnode listeners bind inside the hub's container.
   * @default "0.0.0.0"
   */
  readonly bind?: string;
  /**
   * Listener ports. Monitoring always binds 127.0.0.1.
   * @default { client: 4222, cluster: 6222, leafnode: 7422, monitor: 8222 }
   * @see https://docs.nats.io/running-a-nats-service/configuration#connectivity
   */
  readonly ports?: {
    readonly client?: number;
    readonly cluster?: number;
    readonly leafnode?: number;
    readonly monitor?: number;
  };
  /**
   * Where the hub keeps JetStream and resolver state (a volume in the container).
   * @default "/data"
   */
  readonly storeDir?: string;
  /**
   * Where the hub finds its config, operator JWT and TLS files.
   * @default "/etc/nats"
   */
  readonly configDir?: string;
  /**
   * JetStream resource limits of this server.
   * @default { maxMemory: "1Gi", maxFile: "10Gi" }
   * @see https://docs.nats.io/running-a-nats-service/configuration#jetstream
   */
  readonly jetstream?: { readonly maxMemory?: string; readonly maxFile?: string };
}

/** Props of a {@link Lattice}. */
export interface LatticeProps {
  /**
   * Lattice name: the wasmCloud v1 lattice (`WASMCLOUD_LATTICE`), the v2 host group and the
   * NATS account name.
   * @default the construct id
   */
  readonly name?: string;
  /**
   * JetStream domain of the hub cluster; hosts keep the lattice's KV buckets there.
   * @default "hub"
   * @see https://docs.nats.io/running-a-nats-service/configuration/leafnodes/jetstream_leafnodes
   */
  readonly jetstreamDomain?: string;
  /**
   * `"cluster"`: an odd number of at least 3 hubs with TLS routes, JetStream R3. `"single"`: one
   * hub for a home lab — the same operator-mode auth, TLS leafnodes and node units, standalone
   * JetStream (R1), and no fault tolerance (synth warns). Moving to `"cluster"` with 3 hubs later
   * keeps every credential (they derive from the master seed and the ids, not the hub count); move
   * JetStream data across with `tlos jetstream backup` / `restore`.
   * @default "cluster"
   * @see https://docs.nats.io/running-a-nats-service/configuration/clustering/jetstream_clustering
   */
  readonly mode?: "cluster" | "single";
  /**
   * The hub cluster: an odd number of at least 3 servers, so JetStream R3 streams keep a quorum
   * when one hub is down (exactly one in mode `"single"`).
   */
  readonly hubs: readonly HubProps[];
  /**
   * wasmCloud major version of every host in the lattice.
   * @default "v2"
   * @see https://wasmcloud.com/docs/
   */
  readonly wasmcloud?: WasmCloudVersion;
  /**
   * JWT limits of the lattice account; unset fields are unlimited (-1). Every field is always
   * written: a JWT without `subs` breaks leaf connections.
   * @default unlimited
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
   */
  readonly limits?: Partial<AccountLimits>;
  /**
   * Nodes taken out of the lattice for good (a lost or stolen machine): node id → revocation time.
   * Their leaf user keys are listed in the account JWT's `revocations`, so every credential issued
   * to them up to that time is refused — push the new account JWT to running hubs with
   * `tlos claims push`. A revoked id can never be a node of this lattice again; use a new id.
   * @default none
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt#revocations
   */
  readonly revokedNodes?: Readonly<Record<string, Date>>;
  /**
   * Days the user JWTs of renewable roles (wadm, policy responder, backup, admin, system user, AI
   * router — identities on machines the operator re-deploys) stay valid after the grid's
   * `issuedAt`. Renew by synthesizing with a later `issuedAt` and re-installing their creds.
   * Node, GPU-pool and cluster leaves never expire (they cannot renew themselves); revoke them.
   * @default undefined (no expiry)
   * @see https://docs.nats.io/running-a-nats-service/configuration/securing_nats/jwt
   */
  readonly credentialLifetimeDays?: number;
  /**
   * Teams that join the lattice from their own Pulumi stacks, without the master seed: team id →
   * the roles delegated to it (`ai-pool`: GPU pools, `k8s-leaf`: SpinKube clusters). Each role
   * gets its own scoped signing key on the account JWT (push it with `tlos claims push`); a user
   * the team signs with it has exactly the role's permissions. The Pulumi adapter exports, per
   * team, the lattice reference (public) and the keys' seeds (secret): `TlosGrid.teams`.
   * @default none
   * @see https://docs.nats.io/running-a-nats-service/nats_admin/security/jwt#scoped-signing-keys
   */
  readonly teams?: Readonly<Record<string, readonly ("ai-pool" | "k8s-leaf")[]>>;
  /**
   * Images of the hubs (and of wadm on v1 lattices).
   * @default { nats: DEFAULT_IMAGES.nats, wadm: DEFAULT_IMAGES.wadm }
   */
  readonly images?: { readonly nats?: string; readonly wadm?: string };
  /**
   * Issuers (account public keys, `A…`) whose signed components may start, besides the grid's own
   * issuer (derived from the master seed; its seed is written to `secrets/<lattice>/issuer.nk` for
   * the signing pipeline). v1: enforced by `tlos policy-responder` on `WASMCLOUD_POLICY_TOPIC`.
   * @default only the grid's own issuer
   * @see https://wasmcloud.com/docs/v1/deployment/security/policy-service
   */
  readonly trustedIssuers?: readonly string[];
  /**
   * The lattice's TLS PKI, derived from the master seed: an Ed25519 CA and one certificate per hub
   * (subject alternative name: the hub's `host`; server and client use). Same program and seed →
   * the same certificate bytes. The CA certificate reaches every member (Podman nodes, Kubernetes
   * leaves, Akash leaves) in the same synth; its key stays in the operator bundle.
   * @default { epoch: 0, validityDays: 3650 }
   * @see https://www.rfc-editor.org/rfc/rfc5280
   */
  readonly tls?: {
    /**
     * Rotation counter: raise it to derive a new CA and new hub keys (then re-install every bundle).
     * @default 0
     */
    readonly epoch?: number;
    /**
     * Validity of the CA and hub certificates, counted from the grid's `issuedAt`.
     * @default 3650
     */
    readonly validityDays?: number;
  };
  /**
   * Bring your own CA: the PEM of a CA you run yourself. Synth then derives no PKI; it hands this
   * certificate to every member and each hub's bundle expects its certificate and key from you
   * (`install.sh` names the files). Without it the seed-derived CA is used.
   * @default none (the seed-derived CA)
   */
  readonly caCertificate?: string;
  /**
   * Podman settings of the hub units; `autoUpdate` as on a node (refused on digest pins).
   * @default { version: "5.0", userNS: "auto", autoUpdate: false }
   */
  readonly podman?: { readonly version?: string; readonly userNS?: string; readonly autoUpdate?: "registry" | "local" | false };
}

/** A Lattice's props with every default filled and every bad value replaced by its fallback. */
export interface ResolvedLattice {
  readonly name: string;
  readonly jetstreamDomain: string;
  readonly wasmcloud: WasmCloudVersion;
  readonly mode: "cluster" | "single";
  readonly hubs: readonly ResolvedHub[];
  readonly limits: LatticeProps["limits"];
  /** Revoked node id → revocation time, seconds since the epoch. */
  readonly revokedNodes: Readonly<Record<string, number>>;
  readonly credentialLifetimeDays: number | undefined;
  readonly teams: Readonly<Record<string, readonly DelegableRole[]>>;
  readonly natsImage: string;
  readonly wadmImage: string;
  readonly caCertificate: string | undefined;
  readonly trustedIssuers: readonly string[];
  readonly podmanVersion: string;
  readonly userNS: string;
  readonly autoUpdate: "registry" | "local" | undefined;
  readonly tlsEpoch: number;
  readonly tlsValidityDays: number;
}

/**
 * Resolves a Lattice's props (a plain copy): problems to `report`, warnings (image tags, a single
 * hub) to `warn`. `id` is the construct id, the lattice name by default.
 */
export function resolveLattice(p: Partial<LatticeProps>, id: string, report: Report, warn: Report): ResolvedLattice {
  const given = p.name ?? id;
  const name = typeof given === "string" && /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/.test(given) ? given : id;
  if (name !== given) {
    report("name", `${show(p.name)} is not a lattice name: use letters, digits, '_' and '-' (wadm requires ^[-\\w]+$), at most 63 characters`);
  }
  const domain = p.jetstreamDomain ?? "hub";
  const jetstreamDomain = typeof domain === "string" && NATS_NAME_PATTERN.test(domain) ? domain : "hub";
  if (jetstreamDomain !== domain) {
    report("jetstreamDomain", `${show(p.jetstreamDomain)} is not a JetStream domain: use letters, digits, '_' and '-', starting with a letter`);
  }
  const wc = p.wasmcloud ?? "v2";
  const wasmcloud = WASMCLOUD_VERSIONS.includes(wc) ? wc : "v2";
  if (wasmcloud !== wc) {
    report("wasmcloud", `${show(p.wasmcloud)} is not a wasmCloud version: use "v2" (default) or "v1"`);
  }
  const givenMode = p.mode ?? "cluster";
  const mode = givenMode === "single" ? "single" : "cluster";
  if (givenMode !== "cluster" && givenMode !== "single") report("mode", `${show(p.mode)} is not a lattice mode: use "cluster" (default, 3 or more hubs) or "single" (one hub, no fault tolerance)`);
  const hubs = resolveHubs(p.hubs, mode, report, (f, fn, fb) => attempt(report, f, fn, fb));
  if (mode === "single" && hubs.length === 1) {
    warn("mode", `a single-hub lattice has no fault tolerance: when ${hubs[0]?.id} is down every leaf is cut off and JetStream (R1) is unavailable; grow to 3 hubs (mode "cluster") later with the same credentials`);
  }
  checkLimits(p.limits, report);
  const revokedNodes = resolveRevocations(p.revokedNodes, report);
  const cl = p.credentialLifetimeDays;
  if (cl !== undefined && !(Number.isInteger(cl) && cl >= 1 && cl <= 3650)) report("credentialLifetimeDays", `${show(cl)} is not allowed: use a whole number of days from 1 to 3650`);
  const credentialLifetimeDays = typeof cl === "number" && Number.isInteger(cl) && cl >= 1 && cl <= 3650 ? cl : undefined;
  const natsImage = resolveImage(report, warn, "images.nats", p.images?.nats ?? DEFAULT_IMAGES.nats, DEFAULT_IMAGES.nats);
  const natsTag = /:(v?\d+\.\d+\.\d+)[^@]*(@|$)/.exec(natsImage)?.[1];
  if (natsTag && !enforcesLeafPermissions(natsTag)) {
    report("images.nats", `${show(natsImage)}: hubs before nats-server 2.11.16 (2.12.7 on 2.12) do not check what a leaf sends against its permissions, so stolen leaf creds could publish anything: use nats 2.11.16+ or 2.12.7+`);
  }
  const wadmImage = wasmcloud === "v1" ? resolveImage(report, warn, "images.wadm", p.images?.wadm ?? DEFAULT_IMAGES.wadm, DEFAULT_IMAGES.wadm) : DEFAULT_IMAGES.wadm;
  const caCertificate = typeof p.caCertificate === "string" ? p.caCertificate : undefined;
  if (p.caCertificate !== undefined && !(typeof p.caCertificate === "string" && /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----\s*$/.test(p.caCertificate))) {
    report("caCertificate", "must be one PEM certificate (-----BEGIN CERTIFICATE----- …)");
  }
  const ti = p.trustedIssuers ?? [];
  const trustedIssuers = Array.isArray(ti) ? ti.filter((k) => typeof k === "string" && /^A[A-Z2-7]{55}$/.test(k)) : [];
  if (!Array.isArray(ti)) report("trustedIssuers", `must be a list of account public keys (A…), got ${show(ti)}`);
  else ti.forEach((k, n) => {
    if (!(typeof k === "string" && /^A[A-Z2-7]{55}$/.test(k))) report(`trustedIssuers[${n}]`, `${show(k)} is not an account public key: use the 56-character key starting with "A" (wash keys gen account)`);
  });
  const { podmanVersion, userNS, autoUpdate } = resolvePodman(report, p.podman, "auto:size=65536", [natsImage, ...(wasmcloud === "v1" ? [wadmImage] : [])]);
  const t = p.tls ?? {};
  const tlsEpoch = Number.isInteger(t.epoch ?? 0) && (t.epoch ?? 0) >= 0 ? (t.epoch ?? 0) : 0;
  if (tlsEpoch !== (t.epoch ?? 0)) report("tls.epoch", `${show(t.epoch)} is not an epoch: use an integer ≥ 0 (raise it to rotate the CA and hub keys)`);
  const vd = t.validityDays ?? 3650;
  const tlsValidityDays = Number.isInteger(vd) && vd >= 1 && vd <= 36500 ? vd : 3650;
  if (tlsValidityDays !== vd) report("tls.validityDays", `${show(t.validityDays)} is not a validity: use a whole number of days from 1 to 36500`);
  return {
    name, jetstreamDomain, wasmcloud, mode, hubs, limits: p.limits, revokedNodes, credentialLifetimeDays, teams: resolveTeams(p.teams, report), natsImage, wadmImage, caCertificate,
    trustedIssuers, podmanVersion, userNS, autoUpdate, tlsEpoch, tlsValidityDays,
  };
}

function resolveRevocations(revoked: unknown, report: Report): Record<string, number> {
  if (revoked === undefined) return {};
  if (typeof revoked !== "object" || revoked === null || Array.isArray(revoked)) {
    report("revokedNodes", `must map node ids to revocation Dates, e.g. { "home-2": new Date("2026-11-27") }, got ${show(revoked)}`);
    return {};
  }
  const out: Record<string, number> = {};
  for (const [id, at] of Object.entries(revoked)) {
    const why = idProblem(id);
    if (why) report(`revokedNodes.${id}`, why);
    else if (!(at instanceof Date) || Number.isNaN(at.getTime())) report(`revokedNodes.${id}`, `${show(at)} is not a valid Date: give the time from which the node's credentials are refused`);
    else out[id] = Math.floor(at.getTime() / 1000);
  }
  return out;
}

function checkLimits(limits: unknown, report: Report): void {
  if (limits === undefined) return;
  if (typeof limits !== "object" || limits === null) {
    report("limits", `must be an object of JWT account limits, got ${show(limits)}`);
    return;
  }
  for (const [k, v] of Object.entries(limits)) {
    const def = new Map<string, unknown>(Object.entries(UNLIMITED_ACCOUNT)).get(k);
    if (def === undefined) report(`limits.${k}`, `unknown account limit: use one of ${Object.keys(UNLIMITED_ACCOUNT).join(", ")}`);
    else if (typeof def === "boolean" ? typeof v !== "boolean" : !(Number.isInteger(v) && (v as number) >= -1)) {
      report(`limits.${k}`, `${show(v)} is not allowed: use ${typeof def === "boolean" ? "true or false" : "an integer ≥ 0, or -1 for unlimited"}`);
    }
  }
}
