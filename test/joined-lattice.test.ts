/**
 * Lattice `teams` and `JoinedLattice`, without a server: the account JWT's scoped signing keys
 * (one per team and role, the role's permissions as template; none without teams, so existing
 * account JWTs keep their bytes), what a team's member renders inside a JoinedLattice (the
 * platform's hubs and CA, a user JWT signed by the scoped key that claims no permission), and bad
 * input (all problems at once, a wrong key seed refused without repeating it). The live hub's
 * verdict on these JWTs is in scoped-keys-live.test.ts.
 */
import { describe, expect, it } from "vitest";
import { AkashGpuPool, Grid, JoinedLattice, Lattice, SpinKubeCluster, TlosNode } from "../src/index.js";
import { ValidationError } from "../src/core/errors.js";
import { aiPoolRole, kubeLeafRole } from "../src/nats/roles.js";
import { OTHER_SEED, problemsOf, SEED } from "./helpers.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString()) as { iss: string; sub: string; nats: Record<string, unknown> };
const COSIGN = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";
const POOL = { gpu: { model: "h100", units: 1 }, inference: { model: "Qwen/Qwen3-8B", weights: { parameters: 8, precision: "bf16" } }, pricing: { denom: "uact", amount: 10_000 } } as const;

function platform(teams?: Record<string, ("ai-pool" | "k8s-leaf")[]>) {
  const grid = new Grid("platform");
  const lattice = new Lattice(grid, "lattice", { name: "lab", hubs: THREE_HUBS, ...(teams ? { teams } : {}) });
  new TlosNode(lattice, "home-1", { target: "podman" });
  return { grid, lattice };
}

describe("Lattice teams", () => {
  it("lists one user_scope signing key per team and role, its template the role's permissions; no teams, no signing_keys", () => {
    const bare = platform();
    expect(claims(bare.lattice.credentials(SEED, bare.grid.issuedAt).account.jwt).nats["signing_keys"]).toBeUndefined();
    const p = platform({ ml: ["k8s-leaf", "ai-pool"], web: ["k8s-leaf"] });
    const creds = p.lattice.credentials(SEED, p.grid.issuedAt);
    const keys = claims(creds.account.jwt).nats["signing_keys"] as { kind: string; key: string; role: string; template: { pub: { allow: string[] }; sub: { allow: string[] }; allowed_connection_types: string[] } }[];
    expect(keys.map((k) => k.role).sort()).toEqual(["ml:ai-pool", "ml:k8s-leaf", "web:k8s-leaf"]);
    expect(new Set(keys.map((k) => k.key)).size).toBe(3);
    for (const k of keys) expect(k.kind).toBe("user_scope");
    const pool = keys.find((k) => k.role === "ml:ai-pool")!;
    expect(pool.template.pub.allow).toEqual(aiPoolRole("lab").perms!.pub);
    expect(pool.template.sub.allow).toEqual(aiPoolRole("lab").perms!.sub);
    expect(pool.template.allowed_connection_types).toEqual(["LEAFNODE", "STANDARD"]);
    expect(keys.find((k) => k.role === "web:k8s-leaf")!.template.allowed_connection_types).toEqual(["LEAFNODE"]);
    expect(keys.find((k) => k.role === "web:k8s-leaf")!.template.pub.allow).toEqual(kubeLeafRole("lab").perms!.pub);
    // the keys are the team's alone: another team's or another seed's differ
    expect(p.lattice.teamExport(SEED, p.grid.issuedAt, "web").reference.signingKeys["k8s-leaf"]).not.toBe(p.lattice.teamExport(SEED, p.grid.issuedAt, "ml").reference.signingKeys["k8s-leaf"]);
  });

  it("refuses a bad team id, an unknown role and an empty list, all at once", () => {
    expect(problemsOf(() => platform({ "ML team": ["ai-pool"], ml: ["ai-pool", "admin" as "ai-pool"], web: [] }).grid.synth({ masterSeed: SEED }))).toEqual([
      expect.stringMatching(/^\[platform\/lattice\] teams\.ML team: "ML team" is not a valid id/),
      expect.stringMatching(/^\[platform\/lattice\] teams\.ml\[1\]: "admin" is not a role a team can be given; allowed: ai-pool, k8s-leaf/),
      expect.stringMatching(/^\[platform\/lattice\] teams\.web: \[\] is not allowed: use a non-empty list of ai-pool, k8s-leaf/),
    ]);
  });
});

describe("JoinedLattice", () => {
  const p = platform({ ml: ["ai-pool", "k8s-leaf"] });
  const exported = p.lattice.teamExport(SEED, p.grid.issuedAt, "ml");

  function team(reference = exported.reference) {
    const grid = new Grid("ml");
    const lattice = new JoinedLattice(grid, reference);
    return { grid, lattice };
  }

  it("renders a pool with the platform's hubs and CA; its user JWT is signed by the scoped key and claims nothing", () => {
    const t = team();
    new AkashGpuPool(t.lattice, "qwen", POOL);
    t.lattice.useSigningKeys(OTHER_SEED, exported.signingKeySeeds);
    const files = t.grid.synth({ masterSeed: OTHER_SEED }).files;
    const sdl = files.find((f) => f.path === "secrets/lattice/akash/qwen/deploy.yaml")!.content;
    const conf = Buffer.from(/NATS_CONFIG_B64=(\S+)/.exec(sdl)![1]!, "base64").toString();
    for (const u of p.lattice.leafUrls()) expect(conf).toContain(`tls://${u}`);
    expect(Buffer.from(/NATS_CA_B64=(\S+)/.exec(sdl)![1]!, "base64").toString()).toBe(p.lattice.caPem(SEED));
    const creds = Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sdl)![1]!, "base64").toString();
    const c = claims(/-----BEGIN NATS USER JWT-----\n(\S+)/.exec(creds)![1]!);
    expect(c.iss).toBe(exported.reference.signingKeys["ai-pool"]);
    expect(c.nats).toEqual({ type: "user", version: 2, issuer_account: exported.reference.accountPublicKey });
    // nothing of the platform's lattice itself is rendered by the team
    expect(files.filter((f) => f.construct === "ml/lattice")).toEqual([]);
    // deterministic: the same team seed gives the same bytes
    const again = team();
    new AkashGpuPool(again.lattice, "qwen", POOL);
    again.lattice.useSigningKeys(OTHER_SEED, exported.signingKeySeeds);
    expect(again.grid.synth({ masterSeed: OTHER_SEED }).files.map((f) => f.content)).toEqual(files.map((f) => f.content));
  });

  it("refuses a bad reference, a node, and a role the team was not delegated — all at once", () => {
    const t = team({ ...exported.reference, leafUrls: [], accountPublicKey: "nope", signingKeys: { "ai-pool": exported.reference.signingKeys["ai-pool"]! } });
    new TlosNode(t.lattice as unknown as Lattice, "home-9", { target: "podman" });
    new SpinKubeCluster(t.lattice, "k8s", { cosignPublicKeys: [COSIGN], wasmcloud: {} });
    const problems = problemsOf(() => t.grid.synth({ masterSeed: OTHER_SEED }));
    expect(problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[ml\/lattice\] reference\.leafUrls: \[\] is not allowed: use the hubs' leafnode host:port list/),
      expect.stringMatching(/^\[ml\/lattice\] reference\.accountPublicKey: "nope" is not allowed/),
      expect.stringMatching(/^\[ml\/lattice\] home-9: a TlosNode cannot join a lattice through a team's reference/),
      expect.stringMatching(/^\[ml\/lattice\] k8s: team "ml" was delegated no signing key for role "k8s-leaf"; allowed: ai-pool/),
    ]));
  });

  it("refuses key seeds that are not the reference's keys, without repeating them", () => {
    const other = platform({ ml: ["ai-pool", "k8s-leaf"] });
    const wrong = other.lattice.teamExport(OTHER_SEED, other.grid.issuedAt, "ml").signingKeySeeds;
    const t = team();
    let err: unknown;
    try {
      t.lattice.useSigningKeys(OTHER_SEED, { ...wrong, "k8s-leaf": "SAnot-a-seed" });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/signingKeySeeds\.ai-pool: is not the seed of the signing key A[A-Z2-7]{55} the reference names/);
    expect(msg).toMatch(/signingKeySeeds\.k8s-leaf: is not the seed/);
    for (const s of Object.values(wrong)) expect(msg).not.toContain(s);
    expect(msg).not.toContain("SAnot-a-seed");
  });
});
