/**
 * The grid registry for real: the emitted CNCF distribution configs run by Debian's
 * `docker-registry` (distribution 2.8) on 127.0.0.1, TLS from the seed-derived lattice CA, the
 * seed-derived bcrypt htpasswd files. A `.wasm` component artifact is pushed by digest with the
 * pipeline identity and pulled by digest with a machine's identity; an anonymous client and a
 * machine identity that tries to push are refused. Only the listen addresses and file paths are
 * adapted (they are container paths in the emitted config).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { Grid, Lattice, Registry, SpinKubeCluster, TlosNode, writeOutput } from "../src/index.js";
import type { Sdl } from "../src/akash/sdl.js";
import { COSIGN_KEY } from "./fixtures/spinkube.js";
import { NODE } from "./fixtures/akash.js";
import { SEED, freePorts, stopProcess, tempDir } from "./helpers.js";
import { call, pushArtifact, pushBlob, runRegistry, sha256, WASM, wasmArtifact, type RunningRegistry } from "./registry-oci.js";

const BIN = "/usr/bin/docker-registry";
const OCI = "application/vnd.oci.image.manifest.v1+json";
const have = existsSync(BIN);
if (!have) {
  if (process.env["CI"] === "true") throw new Error("CI=true and docker-registry is missing: apt-get install docker-registry (.ci/run does)");
  console.warn("\n!!! docker-registry is missing (apt-get install docker-registry): the real registry test is SKIPPED\n");
}

function grid(pull: number, push: number): Grid {
  const g = new Grid("g");
  const lat = new Lattice(g, "lattice", { name: "tlos", mode: "single", hubs: [{ id: "hub-1", host: "127.0.0.1" }] });
  new TlosNode(lat, "home-1", { target: "podman" });
  // a cluster's pull Secret and an Akash lease's SDL credentials hold pull identities too
  new SpinKubeCluster(lat, "k8s", { cosignPublicKeys: [COSIGN_KEY], wasmcloud: {} });
  new TlosNode(lat, "cloud-1", { target: "akash", akash: NODE });
  new Registry(lat, "oci", { host: "hub-1", ports: { pull, push }, publicEndpoint: `127.0.0.1:${pull}` });
  return g;
}

describe.skipIf(!have)("grid registry on Debian's docker-registry (distribution 2.8)", () => {
  const dir = tempDir("tlos-registry-");
  const out = join(dir, "out");
  let pull: RunningRegistry;
  let push: RunningRegistry;
  let ca = "";
  let hostAuth = "";
  let pushAuth = "";
  let clusterAuth = "";
  let leaseAuth = "";

  beforeAll(async () => {
    const [pp, sp] = await freePorts(2);
    writeOutput(grid(pp!, sp!).synth({ masterSeed: SEED }), out);
    const bundle = join(out, "hosts/hub-1");
    ca = readFileSync(join(out, "lattice/tls/ca.pem"), "utf8");
    // the files the Podman secrets would mount, where the adapted config names them
    const run = join(dir, "run");
    mkdirSync(run, { recursive: true });
    const httpSecret = readFileSync(join(bundle, "secrets/oci-registry-http-secret"), "utf8").trim();
    const common = { cert: join(bundle, "files/oci-registry-cert.pem"), key: join(bundle, "secrets/oci-registry-key.pem"), data: join(dir, "data"), httpSecret, ca };
    push = await runRegistry(BIN, join(bundle, "units/oci-registry-push.yml"), run, { ...common, role: "push", addr: `127.0.0.1:${sp}`, htpasswd: join(bundle, "secrets/oci-registry-push.htpasswd") });
    pull = await runRegistry(BIN, join(bundle, "units/oci-registry-pull.yml"), run, { ...common, role: "pull", addr: `127.0.0.1:${pp}`, htpasswd: join(bundle, "secrets/oci-registry-pull.htpasswd") });
    const hostAuthFile = JSON.parse(readFileSync(join(out, "hosts/home-1/secrets/oci-registry-auth.json"), "utf8")) as { auths: Record<string, { auth: string }> };
    hostAuth = Buffer.from(hostAuthFile.auths[`127.0.0.1:${pp}`]!.auth, "base64").toString();
    pushAuth = `ci:${readFileSync(join(out, "secrets/lattice/registry/oci/push.password"), "utf8").trim()}`;
    const pullSecret = parseAllDocuments(readFileSync(join(out, "secrets/lattice/k8s/k8s/04b-registry-oci-secrets.yaml"), "utf8")).map((d) => d.toJS() as { type: string; stringData: Record<string, string> }).find((d) => d.type === "kubernetes.io/dockerconfigjson")!;
    const dockerConfig = JSON.parse(pullSecret.stringData[".dockerconfigjson"]!) as { auths: Record<string, { username: string; password: string }> };
    clusterAuth = `${dockerConfig.auths[`127.0.0.1:${pp}`]!.username}:${dockerConfig.auths[`127.0.0.1:${pp}`]!.password}`;
    const cred = (parse(readFileSync(join(out, "secrets/lattice/akash/cloud-1/deploy.yaml"), "utf8")) as Sdl).services["cloud-1-nats"]!.credentials!;
    expect(cred.host).toBe(`127.0.0.1:${pp}`);
    leaseAuth = `${cred.username}:${cred.password}`;
  }, 60_000);

  afterAll(async () => {
    if (pull) await stopProcess(pull.proc);
    if (push) await stopProcess(push.proc);
  });

  it("pushes a .wasm component by digest with the pipeline identity and pulls it by digest with a machine's identity", async () => {
    const r = await pushArtifact(ca, push.base, "tlos/components/adder", pushAuth);
    expect(r.statuses).toEqual([201, 201, 201]);
    const m = await call(ca, pull.base, "GET", `/v2/tlos/components/adder/manifests/${r.digest}`, { auth: hostAuth, accept: "application/vnd.oci.image.manifest.v1+json" });
    expect(m.status).toBe(200);
    expect(sha256(m.body)).toBe(r.digest);
    expect(m.headers["docker-content-digest"]).toBe(r.digest);
    const layer = (JSON.parse(m.body.toString()) as { layers: { digest: string }[] }).layers[0]!.digest;
    const b = await call(ca, pull.base, "GET", `/v2/tlos/components/adder/blobs/${layer}`, { auth: hostAuth });
    expect(b.status).toBe(200);
    expect(b.body.equals(WASM)).toBe(true);
    expect(WebAssembly.validate(new Uint8Array(b.body))).toBe(true);
  });

  it("refuses an anonymous client on both instances, even to read", async () => {
    const { digest } = wasmArtifact();
    for (const base of [pull.base, push.base]) {
      expect((await call(ca, base, "GET", "/v2/")).status).toBe(401);
      expect((await call(ca, base, "GET", `/v2/tlos/components/adder/manifests/${digest}`, { accept: OCI })).status).toBe(401);
      expect(await pushBlob(ca, base, "tlos/evil", Buffer.from("evil"))).toBe(401);
    }
  });

  it("refuses a machine identity that tries to push: unknown to the push instance, read-only on the pull one", async () => {
    // the push instance does not know the machine's user
    expect((await call(ca, push.base, "GET", "/v2/", { auth: hostAuth })).status).toBe(401);
    const onPush = await pushArtifact(ca, push.base, "tlos/components/adder", hostAuth, Buffer.from("0061736d01000000", "hex"));
    expect(onPush.statuses[0]).toBe(401);
    // the pull instance authenticates it, then refuses every write (maintenance.readonly)
    const start = await call(ca, pull.base, "POST", "/v2/tlos/components/evil/blobs/uploads/", { auth: hostAuth });
    // read-only mode does not even route the write methods
    expect(start.status).toBe(405);
    const { manifest, digest } = wasmArtifact(Buffer.from("0061736d01000000", "hex"));
    const put = await call(ca, pull.base, "PUT", `/v2/tlos/components/adder/manifests/${digest}`, { auth: hostAuth, body: manifest, type: "application/vnd.oci.image.manifest.v1+json" });
    expect(put.status).toBe(405);
    expect((await call(ca, pull.base, "GET", `/v2/tlos/components/adder/manifests/${digest}`, { auth: hostAuth, accept: OCI })).status).toBe(404);
    // nor can it delete what is there
    const del = await call(ca, pull.base, "DELETE", `/v2/tlos/components/adder/manifests/${wasmArtifact().digest}`, { auth: hostAuth });
    expect(del.status).toBe(405);
    // (distribution 2.8 answers 404 for an OCI manifest unless the client accepts OCI)
    expect((await call(ca, pull.base, "GET", `/v2/tlos/components/adder/manifests/${wasmArtifact().digest}`, { auth: hostAuth, accept: OCI })).status).toBe(200);
  });

  it("the cluster's pull Secret and the Akash lease's SDL credentials pull by digest and cannot push", async () => {
    const { digest } = wasmArtifact();
    expect(clusterAuth).toMatch(/^host-k8s:/);
    expect(leaseAuth).toMatch(/^host-cloud-1:/);
    for (const auth of [clusterAuth, leaseAuth]) {
      expect((await call(ca, pull.base, "GET", `/v2/tlos/components/adder/manifests/${digest}`, { auth, accept: OCI })).status).toBe(200);
      // unknown to the push instance
      expect((await call(ca, push.base, "GET", "/v2/", { auth })).status).toBe(401);
      expect((await pushArtifact(ca, push.base, "tlos/components/evil", auth)).statuses[0]).toBe(401);
      // read-only on the pull instance: no upload, no manifest, no delete
      expect((await call(ca, pull.base, "POST", "/v2/tlos/components/evil/blobs/uploads/", { auth })).status).toBe(405);
      const other = wasmArtifact(Buffer.from("0061736d01000000", "hex"));
      expect((await call(ca, pull.base, "PUT", `/v2/tlos/components/adder/manifests/${other.digest}`, { auth, body: other.manifest, type: OCI })).status).toBe(405);
      expect((await call(ca, pull.base, "DELETE", `/v2/tlos/components/adder/manifests/${digest}`, { auth })).status).toBe(405);
    }
  });

  it("refuses the pipeline identity on the pull instance, a wrong password, and another lattice's CA", async () => {
    expect((await call(ca, pull.base, "GET", "/v2/", { auth: pushAuth })).status).toBe(401);
    expect((await call(ca, pull.base, "GET", "/v2/", { auth: `${hostAuth.split(":")[0]}:wrong` })).status).toBe(401);
    const other = join(dir, "other");
    const g = new Grid("g");
    const lat = new Lattice(g, "lattice", { name: "tlos", mode: "single", hubs: [{ id: "hub-1", host: "127.0.0.1" }], tls: { epoch: 1 } });
    new Registry(lat, "oci", { host: "hub-1" });
    writeOutput(g.synth({ masterSeed: SEED }), other);
    const wrongCa = readFileSync(join(other, "lattice/tls/ca.pem"), "utf8");
    await expect(call(wrongCa, pull.base, "GET", "/v2/", { auth: hostAuth })).rejects.toThrow(/certificate|self.signed|verify/i);
  });

  it("writes the same htpasswd, passwords and certificate for the same seed", () => {
    const again = join(dir, "again");
    const m = /:(\d+)$/.exec(pull.base)![1]!;
    const n = /:(\d+)$/.exec(push.base)![1]!;
    writeOutput(grid(Number(m), Number(n)).synth({ masterSeed: SEED }), again);
    for (const f of ["hosts/hub-1/secrets/oci-registry-pull.htpasswd", "hosts/hub-1/files/oci-registry-cert.pem", "hosts/home-1/secrets/oci-registry-auth.json"]) {
      expect(readFileSync(join(again, f), "utf8")).toBe(readFileSync(join(out, f), "utf8"));
    }
    writeFileSync(join(dir, "done"), "");
  });
});
