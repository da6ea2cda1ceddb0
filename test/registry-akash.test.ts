/**
 * Akash leases pulling from the grid registry when it has a `publicEndpoint`: every SDL passes
 * chain-sdk's generateManifest and the mirrored Go rules; digest-pinned images are named at the
 * public endpoint and carry the SDL's credentials with the lease's own pull identity (a secret:
 * the reviewable copy holds a placeholder); tag-only images stay upstream. Without the prop the
 * leases pull upstream and synth says so. (The real registry refusing that identity a push is in
 * test/registry.test.ts.)
 */
import { X509Certificate } from "node:crypto";
import bcrypt from "bcryptjs";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { Registry, type Grid } from "../src/index.js";
import type { Sdl } from "../src/akash/sdl.js";
import { sdlProblems } from "../src/validate/akash.js";
import { SEED } from "./helpers.js";
import { akashGrid } from "./fixtures/akash.js";

const PUBLIC = "oci.grid.example.net:443";

function withRegistry(publicEndpoint?: string): Grid {
  const g = akashGrid();
  const lattice = g.node.findChild("lattice") as never;
  new Registry(lattice, "oci", { host: "hub-1", ...(publicEndpoint ? { publicEndpoint } : {}) });
  return g;
}

describe("Registry with a public endpoint: Akash leases pull through it", () => {
  const r = withRegistry(PUBLIC).synth({ masterSeed: SEED });
  const file = (p: string) => r.files.find((f) => f.path === p)!.content;
  const sdls = r.files.filter((f) => f.kind === "akash-sdl");

  it("every SDL, reviewable and deployable, passes chain-sdk generateManifest and the Go rules", async () => {
    expect(sdls.map((f) => f.path).sort()).toEqual(["lattice/akash/cloud-1/deploy.yaml", "lattice/akash/kimi/deploy.yaml", "secrets/lattice/akash/cloud-1/deploy.yaml", "secrets/lattice/akash/kimi/deploy.yaml"]);
    for (const f of sdls) expect(await sdlProblems(f.content), f.path).toEqual([]);
  });

  it("names digest-pinned images at the public endpoint with the lease's own pull identity; tag-only images stay upstream", () => {
    const pullUsers = new Map(file("secrets/lattice/registry/oci/pull.htpasswd").trim().split("\n").map((l) => l.split(":") as [string, string]));
    const pushHash = file("secrets/lattice/registry/oci/push.htpasswd").trim().split(":")[1]!;
    for (const lease of ["cloud-1", "kimi"]) {
      const sdl = parse(file(`secrets/lattice/akash/${lease}/deploy.yaml`)) as Sdl;
      const review = parse(file(`lattice/akash/${lease}/deploy.yaml`)) as Sdl;
      const through = Object.entries(sdl.services).filter(([, s]) => s.image.startsWith(`${PUBLIC}/`));
      expect(through.length, lease).toBeGreaterThanOrEqual(2);
      for (const [name, s] of Object.entries(sdl.services)) {
        if (s.image.startsWith(`${PUBLIC}/`)) {
          expect(s.image, name).toMatch(/^oci\.grid\.example\.net:443\/(docker\.io|ghcr\.io)\/[a-z0-9/._-]+@sha256:[0-9a-f]{64}$/);
          expect(s.credentials?.host).toBe(PUBLIC);
          expect(s.credentials?.username).toBe(`host-${lease}`);
          // the password is the lease's pull identity: known to the pull instance, unknown to the push one
          expect(bcrypt.compareSync(s.credentials!.password, pullUsers.get(`host-${lease}`)!)).toBe(true);
          expect(bcrypt.compareSync(s.credentials!.password, pushHash)).toBe(false);
          expect(review.services[name]?.credentials).toEqual({ host: PUBLIC, username: `host-${lease}`, password: "<secret:registry-password>" });
        } else {
          expect(s.image, name).not.toContain("@sha256:");
          expect(s.credentials, name).toBeUndefined();
        }
      }
    }
    // the reviewable copies hold no password of any lease
    for (const lease of ["cloud-1", "kimi"]) {
      const pw = (parse(file(`secrets/lattice/akash/${lease}/deploy.yaml`)) as Sdl).services[`${lease}-nats`]!.credentials!.password;
      for (const f of r.files) if (!f.path.startsWith("secrets/")) expect(f.content.includes(pw), f.path).toBe(false);
    }
  });

  it("issues the certificate for the public name too, and warns about the inbound port", () => {
    expect(JSON.stringify(r.warnings)).toMatch(/oci\.grid\.example\.net:443 opens the one inbound port the grid allows on hub-1: forward it to the pull port 5000 only/);
    const cert = file("lattice/registry/oci/tls-cert.pem");
    expect(new X509Certificate(cert).subjectAltName).toContain("DNS:oci.grid.example.net");
  });

  it("without it, the leases pull upstream, have no identity, and synth says so", () => {
    const u = withRegistry().synth({ masterSeed: SEED });
    for (const f of u.files.filter((x) => x.kind === "akash-sdl")) for (const s of Object.values((parse(f.content) as Sdl).services)) expect(s.credentials, f.path).toBeUndefined();
    expect(u.files.find((f) => f.path === "secrets/lattice/registry/oci/pull.htpasswd")!.content).not.toMatch(/host-(kimi|cloud-1)/);
    expect(JSON.stringify(u.warnings)).toMatch(/Akash leases of lattice .* pull from the upstream registries, not through this one: set publicEndpoint/);
  });

  it("refuses a public endpoint that is not host:port", () => {
    const g = akashGrid();
    new Registry(g.node.findChild("lattice") as never, "oci", { host: "hub-1", publicEndpoint: "https://oci.example.net" });
    expect(() => g.synth({ masterSeed: SEED })).toThrow(/\[ak\/lattice\/oci\] publicEndpoint: "https:\/\/oci\.example\.net" is not "host:port"/);
  });
});
