/**
 * Machines pull through the grid registry, for real: in the rootless Podman tier's lab (Podman 5
 * from Debian 13, an empty network namespace, no DNS, nothing leaves), a node's bundle is
 * installed with its own install.sh, then its rootless Podman pulls a locally built image by
 * digest — `docker.io/tlos/probe@sha256:…`, a name whose upstream cannot be reached from the lab
 * — through the emitted registries.conf.d mirror drop-in, the CA in certs.d and the machine's
 * own auth file (the one its environment.d file names). The registry is filled the way the plan
 * says: `tlos images mirror <out>` (real skopeo, by digest, with the push identity) from a
 * stand-in "upstream" registry in the lab that the operator's registries.conf puts in place of
 * docker.io. Both grid registry instances are Debian's docker-registry on the emitted configs
 * (listen address and file paths adapted), in the lab at 10.77.0.2. It needs the Podman tier's
 * userland (scripts/podman-tier.sh, which .ci/run and `npm run test:podman` run first).
 */
import { execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Grid, Lattice, Registry, TlosNode, writeOutput } from "../src/index.js";
import { SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";
import { Lab, runArgv } from "./podman/lab.js";
import { copyBundle, runInstall } from "./podman/bringup.js";
import { runRegistry, type RunningRegistry } from "./registry-oci.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const TIER = process.env["TLOS_PODMAN_DIR"] ?? join(REPO, ".validators/podman");
const ROOTFS = join(TIER, "root");
const TLOS = join(REPO, "bin/tlos.mjs");
const BIN = "/usr/bin/docker-registry";

function missing(): string | undefined {
  if (process.getuid?.() !== 0) return "the Podman tier needs root (namespaces)";
  if (!existsSync(join(ROOTFS, ".tlos-tier"))) return "the Podman tier's userland is missing: run scripts/podman-tier.sh";
  if (!existsSync(BIN)) return "docker-registry is missing (apt-get install docker-registry)";
  try {
    execFileSync("skopeo", ["--version"], { stdio: "ignore" });
  } catch {
    return "skopeo is missing (apt-get install skopeo)";
  }
  return undefined;
}
const why = missing();
if (why) {
  if (process.env["CI"] === "true") throw new Error(`CI=true and ${why}`);
  console.warn(`\n!!! ${why} (the registry's Podman pull test is SKIPPED)\n`);
}

const NODE = { name: "home-1", addr: "10.77.0.21", uid: 2101 };
const LABNET = "10.77.0.2";
const PORTS = { pull: 5443, push: 5444, upstream: 5080 };

/** A one-layer image as an OCI layout, built here with tar and gzip -n (same bytes every run); returns its manifest digest. */
function buildProbe(dir: string): string {
  const root = join(dir, "rootfs");
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, "probe.txt"), "tLOS registry probe\n");
  const sh = (s: string) => execFileSync("sh", ["-c", s], { cwd: dir, encoding: "utf8" }).trim();
  sh("tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner -C rootfs -cf layer.tar . && gzip -n -9 -c layer.tar > layer.tgz");
  const digest = (f: string) => `sha256:${sh(`sha256sum ${f} | cut -d' ' -f1`)}`;
  const blob = (name: string, f: string) => {
    const d = digest(f);
    mkdirSync(join(dir, "layout/blobs/sha256"), { recursive: true });
    execFileSync("cp", [join(dir, f), join(dir, "layout/blobs/sha256", d.slice(7))]);
    return { digest: d, size: readFileSync(join(dir, f)).length, name };
  };
  writeFileSync(join(dir, "config.json"), JSON.stringify({ architecture: "amd64", os: "linux", config: { Cmd: ["/probe.txt"] }, rootfs: { type: "layers", diff_ids: [digest("layer.tar")] } }));
  const layer = blob("layer", "layer.tgz");
  const config = blob("config", "config.json");
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json",
    config: { mediaType: "application/vnd.oci.image.config.v1+json", digest: config.digest, size: config.size },
    layers: [{ mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: layer.digest, size: layer.size }],
  }));
  const m = blob("manifest", "manifest.json");
  writeFileSync(join(dir, "layout/oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  writeFileSync(join(dir, "layout/index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", digest: m.digest, size: m.size, annotations: { "org.opencontainers.image.ref.name": "1" } }] }));
  return m.digest;
}

describe.skipIf(why !== undefined)("rootless Podman pulls by digest through the grid registry (emitted mirror config)", () => {
  const dir = tempDir("tlos-registry-podman-");
  const out = join(dir, "out");
  const run = join(dir, "run");
  let lab: Lab;
  let digest = "";
  const procs: RunningRegistry[] = [];
  let ok = false;
  let upstream: ChildProcess | undefined;

  beforeAll(async () => {
    digest = buildProbe(join(dir, "probe"));
    const g = new Grid("g");
    const lat = new Lattice(g, "lattice", { name: "tlos", mode: "single", hubs: [{ id: "hub-1", host: LABNET }] });
    new TlosNode(lat, NODE.name, { target: "podman", images: { host: `docker.io/tlos/probe:1@${digest}` } });
    new Registry(lat, "oci", { host: "hub-1", ports: { pull: PORTS.pull, push: PORTS.push } });
    writeOutput(g.synth({ masterSeed: SEED }), out);
    mkdirSync(run, { recursive: true });
    lab = await Lab.start(ROOTFS, run, [NODE], []);
    const inLab = ["nsenter", "-t", String(lab.pid), "-n", "--"];
    const hub = join(out, "hosts/hub-1");
    const ca = readFileSync(join(out, "lattice/tls/ca.pem"), "utf8");
    const common = { cert: join(hub, "files/oci-registry-cert.pem"), key: join(hub, "secrets/oci-registry-key.pem"), data: join(dir, "data"), httpSecret: readFileSync(join(hub, "secrets/oci-registry-http-secret"), "utf8").trim(), ca, wrap: inLab, ready: "listening on" };
    procs.push(await runRegistry(BIN, join(hub, "units/oci-registry-push.yml"), join(dir, "reg"), { ...common, role: "push", addr: `${LABNET}:${PORTS.push}`, htpasswd: join(hub, "secrets/oci-registry-push.htpasswd") }));
    procs.push(await runRegistry(BIN, join(hub, "units/oci-registry-pull.yml"), join(dir, "reg"), { ...common, role: "pull", addr: `${LABNET}:${PORTS.pull}`, htpasswd: join(hub, "secrets/oci-registry-pull.htpasswd") }));
    // the stand-in upstream: a plain registry in the lab holding the locally built image
    writeFileSync(join(dir, "upstream.yml"), `version: 0.1\nstorage: { filesystem: { rootdirectory: ${join(dir, "upstream")} } }\nhttp: { addr: "${LABNET}:${PORTS.upstream}" }\n`);
    upstream = startProcess(inLab[0]!, [...inLab.slice(1), BIN, "serve", join(dir, "upstream.yml")], join(dir, "upstream.log"));
    await waitFor("the upstream registry", async () => (await runArgv([...inLab, "skopeo", "copy", "--preserve-digests", "--dest-tls-verify=false", `oci:${join(dir, "probe/layout")}:1`, `docker://${LABNET}:${PORTS.upstream}/tlos/probe:1`], { timeoutMs: 30_000 })).code === 0, 30_000, 500);
  }, 240_000);

  afterAll(async () => {
    for (const p of procs) await stopProcess(p.proc);
    if (upstream) await stopProcess(upstream);
    await lab?.stop();
    if (ok) rmSync(dir, { recursive: true, force: true });
    else console.log(`registry Podman test: files kept in ${dir}`);
  });

  it("tlos images mirror copies the grid's pinned images into the registry by digest (skopeo, push identity) and reports each", async () => {
    // the operator's own registries.conf: docker.io is the stand-in upstream here
    writeFileSync(join(dir, "operator-registries.conf"), `[[registry]]\nprefix = "docker.io"\nlocation = "${LABNET}:${PORTS.upstream}"\ninsecure = true\n`);
    const r = await runArgv(["nsenter", "-t", String(lab.pid), "-n", "--", process.execPath, TLOS, "images", "mirror", out, "--registries-conf", join(dir, "operator-registries.conf")], { timeoutMs: 300_000 });
    expect(r.stdout).toContain(`registry oci: pushing to ${LABNET}:${PORTS.push} as ci`);
    expect(r.stdout).toContain(`copied   docker.io/tlos/probe:1@${digest}  ->  ${LABNET}:${PORTS.push}/docker.io/tlos/probe@${digest}`);
    // the default NATS and registry images are pinned too, but the stand-in upstream does not hold them
    expect(r.stdout).toMatch(/FAILED {3}docker\.io\/library\/nats:[^ ]+@sha256:[0-9a-f]{64}: .*manifest unknown/);
    expect(r.stdout).toMatch(/FAILED {3}docker\.io\/library\/registry:2\.8\.3@sha256:[0-9a-f]{64}: /);
    expect(r.stdout).toContain("registry oci: 1 copied, 0 skipped (no digest), 2 failed");
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).not.toContain(readFileSync(join(out, "secrets/lattice/registry/oci/push.password"), "utf8").trim());
  }, 300_000);

  it("the node's bundle makes its rootless Podman pull that image by digest through the registry, with the node's own identity", async () => {
    await copyBundle(lab, NODE, out);
    const inst = await runInstall(lab, NODE);
    expect(inst.code, `${inst.stdout}\n${inst.stderr}`).toBe(0);
    const env = (await lab.exec(NODE.name, ["cat", ".config/environment.d/50-tlos-registry-oci.conf"])).stdout;
    const authFile = /^REGISTRY_AUTH_FILE=\$\{HOME\}\/(.+)$/m.exec(env)?.[1];
    expect(authFile).toBe(".config/tlos/lattice/registry-oci-auth.json");
    const ref = `docker.io/tlos/probe@${digest}`;
    // without the machine's identity the mirror refuses it, and docker.io cannot be reached
    const anon = await lab.exec(NODE.name, ["podman", "pull", "--retry", "0", ref], { timeoutMs: 120_000 });
    expect(anon.code).not.toBe(0);
    const pulled = await lab.exec(NODE.name, ["podman", "--log-level=debug", "pull", "--retry", "0", ref], { env: { REGISTRY_AUTH_FILE: `/home/${NODE.name}/${authFile!}` }, timeoutMs: 120_000 });
    expect(pulled.code, pulled.stderr.slice(-3000)).toBe(0);
    expect(pulled.stderr).toContain(`Trying to access \\"${LABNET}:${PORTS.pull}/docker.io/tlos/probe@${digest}\\"`);
    expect((await lab.podman(NODE.name, ["image", "inspect", "--format", "{{.Digest}}", ref])).trim()).toBe(digest);
    // the pull instance served it to the node, after an authorized request (its log names no user)
    expect(readFileSync(procs[1]!.log, "utf8")).toMatch(new RegExp(`authorized request.*remoteaddr="${NODE.addr.replaceAll(".", "\\.")}:\\d+".*manifests/${digest}`));
    ok = true;
  }, 300_000);
});
