/**
 * A team joins the lattice without the master seed, on a live hub on 127.0.0.1
 * (`nats-server-hub`, 2.15.1; the cluster leaf on nats-server 2.10): the platform's account JWT
 * carries one scoped signing key per role it delegates to team `ml`; the team mints its members'
 * user JWTs with those keys and its own seed. Attacks: a team user gets exactly the role's
 * subjects; a user JWT that claims `pub/sub >` through the scoped key is refused; a user signed by
 * a key the account JWT does not list is refused; the pool's key cannot make a cluster leaf's
 * rights, the cluster role's creds cannot connect as a client. The user JWTs of the attacks are
 * made with `@nats-io/jwt` (not with the library's own encoder). Last, the team is removed from
 * `teams` and the new account JWT pushed (`$SYS.REQ.CLAIMS.UPDATE`, what `tlos claims push` sends):
 * the team's creds are refused from then on and its connected members dropped.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { encodeUser, fmtCreds } from "@nats-io/jwt";
import { createAccount, createUser, fromSeed } from "@nats-io/nkeys";
import { deriveKeyPair, nkeyFromSeed } from "../src/nats/keys.js";
import { scopedLeafCreds } from "../src/nats/scoped-keys.js";
import { OTHER_SEED, realBinary, tempDir, waitFor } from "./helpers.js";
import { connectWith, delivered, LAB, leafWith, PLATFORM_SEED, platformGrid, received, startTeamHub, type TeamHub } from "./fixtures/team-hub.js";
import { pushAccountJwt } from "../src/cli/claims-push.js";
import type { Lattice } from "../src/index.js";

const hubBin = realBinary("nats-server-hub");
const leafBin = realBinary("nats-server");

/** A team member's creds: its user key from the team's own seed, signed with the scoped key of `role`. */
function teamCreds(hub: TeamHub, role: "ai-pool" | "k8s-leaf", id: string): string {
  const user = deriveKeyPair(OTHER_SEED, "user", `team/${id}`);
  return scopedLeafCreds(`leaf-${id}`, user, nkeyFromSeed(hub.signingKeySeeds[role]!), hub.reference.accountPublicKey, hub.grid.issuedAt);
}

describe.skipIf(!hubBin || !leafBin)("scoped signing keys on a live hub", () => {
  let hub: TeamHub;
  let spy: NatsConnection;
  const conns: NatsConnection[] = [];
  const open = async (creds: string | Uint8Array) => {
    const nc = await connectWith(hub.client, creds);
    if (typeof nc !== "string") conns.push(nc);
    return nc;
  };

  beforeAll(async () => {
    hub = await startTeamHub(hubBin!, tempDir("tlos-scoped-"));
    spy = (await open(hub.admin)) as NatsConnection;
  }, 60_000);

  afterAll(async () => {
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await hub?.stop();
  });

  it("exports only public facts and the team's key seeds; the account JWT lists exactly the delegated scopes", () => {
    const r = hub.reference;
    expect(r).toMatchObject({ id: "lattice", name: LAB, team: "ml", leafUrls: hub.leafUrls, accountPublicKey: expect.stringMatching(/^A[A-Z2-7]{55}$/) });
    expect(r.caPem).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(Object.keys(r.signingKeys).sort()).toEqual(["ai-pool", "k8s-leaf"]);
    for (const [role, seed] of Object.entries(hub.signingKeySeeds)) {
      expect(seed).toMatch(/^SA[A-Z2-7]{56}$/);
      expect(fromSeed(new TextEncoder().encode(seed)).getPublicKey()).toBe(r.signingKeys[role as "ai-pool"]);
    }
    expect(JSON.stringify(r)).not.toMatch(/S[OAU][A-Z2-7]{56}/);
  });

  it("a pool member the team signs with the ai-pool key has exactly the pool role's subjects", async () => {
    const pool = await open(teamCreds(hub, "ai-pool", "kimi"));
    expect(typeof pool, String(pool)).toBe("object");
    const nc = pool as NatsConnection;
    const marker = `_TLOS_AI.${LAB}.marker`;
    expect(await delivered(spy, nc, [`_TLOS_AI.${LAB}.reply`, `tlos.ai.${LAB}.v1.chat`, `wasmbus.ctl.v1.${LAB}.host.ping`, "runtime.host.h1.start", "$JS.API.INFO", "anything"], marker)).toEqual([`_TLOS_AI.${LAB}.reply`]);
    expect(await received(spy, nc, [`tlos.ai.${LAB}.pool.kimi`, `wasmbus.evt.${LAB}.x`, "runtime.operator.heartbeat.h1", "_INBOX.other"], `tlos.ai.${LAB}.pool.marker`)).toEqual([`tlos.ai.${LAB}.pool.kimi`]);
  }, 60_000);

  it("refuses a user JWT that claims pub/sub > through the scoped key (the scope alone decides)", async () => {
    const signer = fromSeed(new TextEncoder().encode(hub.signingKeySeeds["ai-pool"]!));
    const u = createUser();
    const jwt = await encodeUser("greedy", u, hub.reference.accountPublicKey, { pub: { allow: [">"] }, sub: { allow: [">"] } }, { signer });
    expect(await open(fmtCreds(jwt, u))).toMatch(/authorization violation/i);
    // the same key, claiming nothing: accepted (so the refusal is the claim, not the key)
    const plain = await encodeUser("plain", u, hub.reference.accountPublicKey, {}, { signer, scopedUser: true });
    expect(typeof (await open(fmtCreds(plain, u)))).toBe("object");
  }, 30_000);

  it("refuses a user signed by a key the account JWT does not list, and one claiming to be signed by the account", async () => {
    const u = createUser();
    const stranger = await encodeUser("stranger", u, hub.reference.accountPublicKey, {}, { signer: createAccount(), scopedUser: true });
    expect(await open(fmtCreds(stranger, u))).toMatch(/authorization violation/i);
    // a scoped key of another team of another lattice (the team's own seed): not listed either
    const own = scopedLeafCreds("own", deriveKeyPair(OTHER_SEED, "user", "x"), deriveKeyPair(OTHER_SEED, "account", "x"), hub.reference.accountPublicKey, 1735689600);
    expect(await open(own)).toMatch(/authorization violation/i);
  }, 30_000);

  it("cluster-leaf creds attach only as a leaf, and carry the cluster role: not the pool's subjects", async () => {
    const creds = teamCreds(hub, "k8s-leaf", "k8s");
    // the role is LEAFNODE only: as a client it is refused
    expect(await open(creds)).toMatch(/authorization violation/i);
    const leaf = await leafWith(leafBin!, hub, "ml-k8s", creds);
    try {
      expect(leaf.attached, leaf.log).toBe(true);
      const nc = await connect({ servers: leaf.url, reconnect: false });
      conns.push(nc);
      expect(await delivered(spy, nc, [`tlos.ai.${LAB}.pool.kimi`, `_TLOS_AI.${LAB}.reply`, `wasmbus.ctl.v1.${LAB}.host.ping`, "runtime.host.h1.start"], "runtime.operator.heartbeat")).toEqual(["runtime.host.h1.start"]);
    } finally {
      await leaf.stop();
    }
  }, 60_000);

  it("drops a removed team: after the account JWT without it is pushed, its creds are refused and its connections closed", async () => {
    const member = await open(teamCreds(hub, "ai-pool", "kimi"));
    expect(typeof member).toBe("object");
    const ports = (hub.grid.node.findChild("lattice") as Lattice).hubs[0]!.ports;
    const jwt = platformGrid(hub.root, ports, {}).synth({ masterSeed: PLATFORM_SEED }).files.find((f) => f.path === "lattice/account.jwt")!.content;
    expect(jwt).not.toBe(readFileSync(join(hub.out, "lattice/account.jwt"), "utf8"));
    const sys = (await open(readFileSync(join(hub.out, "secrets/lattice/sys.creds")))) as NatsConnection;
    expect((await pushAccountJwt(sys, jwt)).map((a) => a.ok)).toEqual([true]);
    await waitFor("the team's creds refused", async () => {
      const nc = await open(teamCreds(hub, "ai-pool", "kimi"));
      return typeof nc === "string" && /authorization violation/i.test(nc);
    }, 15_000, 200);
    // and the member already connected is closed
    await waitFor("the member's connection closed", () => (member as NatsConnection).isClosed(), 10_000, 200);
  }, 40_000);
});
