/**
 * The shortcuts synth takes in deriving keys give the bytes of the plain derivation (HKDF-SHA256
 * with the grid's salt, checked against `hkdfSync` as a fixed point), an encoded seed without its Ed25519 key
 * against the key pair's own seed, and a leaf's host seed read lazily against the eager one.
 */
import { hkdfSync, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { Grid, Lattice, TlosNode } from "../src/index.js";
import { MasterSeed } from "../src/core/seed.js";
import { deriveKeyPair, deriveSeed, type KeyRole } from "../src/nats/keys.js";
import { hostKeyPair, hostSeed } from "../src/nats/auth.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { SEED } from "./helpers.js";

const dec = new TextDecoder();

describe("the master seed's derivation", () => {
  it("gives hkdfSync's bytes for random seeds, purposes and every length up to four blocks", () => {
    for (let i = 0; i < 40; i++) {
      const bytes = randomBytes(32 + (i % 5) * 8);
      const seed = MasterSeed.parse(bytes.toString("hex"));
      for (const length of [1, 16, 24, 31, 32, 33, 64, 65, 100, 128]) {
        const purpose = `probe/${i}/${randomBytes(i % 7).toString("base64")}/ü`;
        expect(Buffer.from(seed.derive(purpose, length))).toEqual(Buffer.from(hkdfSync("sha256", bytes, "tlos-grid/v1", purpose, length)));
      }
      expect(Buffer.from(seed.derive("default length"))).toEqual(Buffer.from(hkdfSync("sha256", bytes, "tlos-grid/v1", "default length", 32)));
    }
  });

  it("refuses lengths HKDF-SHA256 cannot give", () => {
    expect(() => SEED.derive("x", 0)).toThrow(RangeError);
    expect(() => SEED.derive("x", 255 * 32 + 1)).toThrow(RangeError);
    expect(SEED.derive("x", 255 * 32)).toHaveLength(8160);
  });
});

describe("a seed without its key", () => {
  it("is the seed of the key pair derived for the same role and purpose", () => {
    for (const role of ["operator", "account", "user", "server"] satisfies KeyRole[]) {
      for (let i = 0; i < 20; i++) expect(deriveSeed(SEED, role, `probe-${i}`)).toBe(dec.decode(deriveKeyPair(SEED, role, `probe-${i}`).getSeed()));
    }
    expect(hostSeed(SEED, "g/lattice", "n1")).toBe(dec.decode(hostKeyPair(SEED, "g/lattice", "n1").getSeed()));
    expect(hostSeed(SEED, "g/lattice", "n1")).toMatch(/^SN[A-Z2-7]{56}$/);
  });

  it("is what a node's leaf secrets hand on as its host seed, read any number of times", () => {
    const g = new Grid("g");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v1" });
    new TlosNode(l, "n1", { target: "podman" });
    const s = l.leafSecrets(SEED, 1735689600, "n1");
    expect(s.hostSeed).toBe(dec.decode(hostKeyPair(SEED, l.path, "n1").getSeed()));
    expect({ ...s }.hostSeed).toBe(s.hostSeed);
  });
});
