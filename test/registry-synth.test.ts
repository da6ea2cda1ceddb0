/**
 * What a Registry adds to a synth, checked by the real consumers that run here (quadlet -dryrun,
 * systemd-analyze, the workflow checks of `tlos validate`): its units on its machine, the mirror
 * drop-in, CA, auth file and (v1) the host's WASMCLOUD_OCI_* drop-in on every Podman machine of
 * the lattice, each machine with its own identity only, and the CI copy to the grid registry.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { App, Grid, Lattice, Registry, TlosNode, writeOutput } from "../src/index.js";
import { runValidators } from "../src/validate/run.js";
import { SEED, tempDir } from "./helpers.js";
import { HTTP_APP } from "./fixtures/apps.js";

function grid(): Grid {
  const g = new Grid("g");
  const lat = new Lattice(g, "lattice", { name: "tlos", wasmcloud: "v1", hubs: ["hub-1", "hub-2", "hub-3"].map((id) => ({ id, host: `${id}.grid.example.net` })) });
  new TlosNode(lat, "home-1", { target: "podman", labels: { zone: "home" } });
  new TlosNode(lat, "edge-1", { target: "podman", labels: { zone: "edge" } });
  new Registry(lat, "oci", { host: "hub-1" });
  new App(lat, "hello", HTTP_APP);
  return g;
}

describe("Registry synth", () => {
  const out = tempDir("tlos-registry-synth-");
  const r = grid().synth({ masterSeed: SEED });
  writeOutput(r, out);
  const file = (p: string) => readFileSync(join(out, p), "utf8");

  it("passes the real validators (quadlet -dryrun over every bundle, systemd-analyze, workflows)", async () => {
    const v = await runValidators(out, { requireAll: process.env["CI"] === "true" });
    expect(v.ok, v.lines.join("\n")).toBe(true);
    expect(v.lines.join("\n")).toMatch(/quadlet -dryrun -user: ok {3}hosts\/hub-1\/units \(.*oci-registry-pull\.service.*oci-registry-push\.service/);
  }, 120_000);

  it("gives every Podman machine its own pull identity and nothing more", () => {
    const users = new Map<string, string>();
    for (const h of ["hub-1", "hub-2", "hub-3", "home-1", "edge-1"]) {
      const auth = JSON.parse(file(`hosts/${h}/secrets/oci-registry-auth.json`)) as { auths: Record<string, { auth: string }> };
      expect(Object.keys(auth.auths)).toEqual(["hub-1.grid.example.net:5000"]);
      const [user, pw] = Buffer.from(auth.auths["hub-1.grid.example.net:5000"]!.auth, "base64").toString().split(":");
      expect(user).toBe(`host-${h}`);
      users.set(h, pw!);
      expect(file(`hosts/${h}/files/oci-registries.conf`)).toContain('location = "hub-1.grid.example.net:5000/docker.io"');
      expect(file(`hosts/${h}/files/oci-registry-ca.crt`)).toBe(file("lattice/tls/ca.pem"));
    }
    expect(new Set(users.values()).size).toBe(5);
    // only the registry's machine holds the htpasswd files, the TLS key and the push password nowhere but the operator's secrets/
    const paths = r.files.map((f) => f.path);
    expect(paths.filter((p) => /htpasswd|registry-key|http-secret/.test(p) && p.startsWith("hosts/"))).toEqual(paths.filter((p) => /htpasswd|registry-key|http-secret/.test(p) && p.startsWith("hosts/hub-1/")));
    const push = file("secrets/lattice/registry/oci/push.password").trim();
    for (const f of r.files) if (f.path !== "secrets/lattice/registry/oci/push.password") expect(f.content.includes(push), f.path).toBe(false);
    // the pull htpasswd lists exactly the machines, the push one only the pipeline
    expect(file("secrets/lattice/registry/oci/pull.htpasswd").split("\n").filter(Boolean).map((l) => l.split(":")[0])).toEqual(["host-edge-1", "host-home-1", "host-hub-1", "host-hub-2", "host-hub-3"]);
    expect(file("secrets/lattice/registry/oci/push.htpasswd")).toMatch(/^ci:\$2b\$10\$[./A-Za-z0-9]{53}\n$/);
  });

  it("wires the v1 hosts' WASMCLOUD_OCI_* settings to the registry with the machine's identity", () => {
    const d = file("hosts/home-1/units/home-1-wasmcloud.container.d/50-tlos-registry-oci.conf");
    expect(d).toContain("Environment=WASMCLOUD_OCI_REGISTRY=hub-1.grid.example.net:5000");
    expect(d).toContain("Environment=WASMCLOUD_OCI_REGISTRY_USER=host-home-1");
    expect(d).toContain("Secret=tlos-oci-registry-pull-password,type=env,target=WASMCLOUD_OCI_REGISTRY_PASSWORD");
    expect(d).toContain("Environment=WASMCLOUD_TLS_CA_PATH=/etc/tlos/registry-ca.pem");
  });

  it("the component's CI copies it to the grid registry by digest and prints the reference", () => {
    const wf = file("lattice/apps/hello/ci/hello.yml");
    expect(wf).toContain("Copy to the grid registry by digest");
    expect(wf).toContain('oras cp --to-ca-file "$RUNNER_TEMP/tlos-registry-ca.pem" "ghcr.io/tlos/hello@${{ steps.digest.outputs.digest }}" "hub-1.grid.example.net:5001/ghcr.io/tlos/hello@${{ steps.digest.outputs.digest }}"');
    expect(wf).toContain("grid registry: hub-1.grid.example.net:5001/ghcr.io/tlos/hello@");
  });
});

describe("Registry synth, wasmCloud v2 hosts", () => {
  const out = tempDir("tlos-registry-synth-v2-");
  const g = new Grid("g");
  const lat = new Lattice(g, "lattice", { name: "tlos", wasmcloud: "v2", hubs: ["hub-1", "hub-2", "hub-3"].map((id) => ({ id, host: `${id}.grid.example.net` })) });
  new TlosNode(lat, "home-1", { target: "podman" });
  new Registry(lat, "oci", { host: "hub-1" });
  const r = g.synth({ masterSeed: SEED });
  writeOutput(r, out);
  const file = (p: string) => readFileSync(join(out, p), "utf8");

  it("gives the v2 host the CA (WASH_OCI_CA_PATHS) and its own identity in a Docker config (DOCKER_CONFIG), as wash host 2.7.0 reads them; quadlet -dryrun accepts it", async () => {
    const d = file("hosts/home-1/units/home-1-wasmcloud.container.d/50-tlos-registry-oci.conf");
    expect(d).toContain("Secret=tlos-oci-registry-docker-config,type=mount,target=/etc/tlos/registry-docker/config.json,mode=0444");
    expect(d).toContain("Environment=DOCKER_CONFIG=/etc/tlos/registry-docker");
    expect(d).toContain("Secret=tlos-oci-registry-ca,type=mount,target=/etc/tlos/registry-ca.pem,mode=0444");
    expect(d).toContain("Environment=WASH_OCI_CA_PATHS=/etc/tlos/registry-ca.pem");
    expect(d).not.toContain("WASMCLOUD_OCI");
    const cfg = JSON.parse(file("hosts/home-1/secrets/oci-registry-docker-config.json")) as { auths: Record<string, { auth: string }> };
    expect(Object.keys(cfg.auths)).toEqual(["hub-1.grid.example.net:5000"]);
    expect(Buffer.from(cfg.auths["hub-1.grid.example.net:5000"]!.auth, "base64").toString()).toMatch(/^host-home-1:[\w-]{32}$/);
    expect(file("hosts/home-1/install.sh")).toContain("tlos-oci-registry-docker-config");
    const v = await runValidators(out, { requireAll: process.env["CI"] === "true" });
    expect(v.ok, v.lines.join("\n")).toBe(true);
    expect(v.lines.join("\n")).toMatch(/quadlet -dryrun -user: ok {3}hosts\/home-1\/units/);
  }, 120_000);
});
