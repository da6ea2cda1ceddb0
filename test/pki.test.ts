/**
 * The lattice PKI derived from the master seed: every certificate checked by openssl against the
 * CA for the hub's host name (server and client purpose), byte-identical across two synths, a new
 * epoch rotates it, the CA certificate reaches every kind of leaf, and a real nats-server serves
 * TLS with a derived certificate that a client verifies by host name.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { connect as tlsConnect } from "node:tls";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { parse as parseYaml } from "yaml";
import { Grid, Lattice, TlosNode } from "../src/index.js";
import type { Artifact } from "../src/synth/artifact.js";
import { freePorts, OTHER_SEED, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const openssl = realBinary("openssl");
const nats = realBinary("nats-server");

async function fullGrid(): Promise<Grid> {
  vi.resetModules();
  return (await import("../examples/full-grid/grid.js")).default as Grid;
}
const byPath = (files: readonly Artifact[]) => new Map(files.map((f) => [f.path, f.content]));

function tlsGrid(epoch?: number): Grid {
  const g = new Grid("pki");
  const l = new Lattice(g, "lattice", { hubs: [...THREE_HUBS.slice(0, 2), { id: "hub-3", host: "192.0.2.3" }], ...(epoch === undefined ? {} : { tls: { epoch } }) });
  new TlosNode(l, "home-1", { target: "podman" });
  return g;
}

describe.skipIf(!openssl)("the seed-derived PKI", () => {
  it("every hub certificate verifies against the CA for its host, as server and as client, and for no other host", async () => {
    const files = byPath((await fullGrid()).synth({ masterSeed: SEED }).files);
    const dir = tempDir("tlos-pki-");
    let checked = 0;
    for (const [lattice, hubs] of [["lattice", ["hub-1", "hub-2", "hub-3"]], ["legacy", ["legacy-hub-1", "legacy-hub-2", "legacy-hub-3"]]] as const) {
      const ca = files.get(`${lattice}/tls/ca.pem`);
      expect(ca, `${lattice} CA`).toBeDefined();
      writeFileSync(join(dir, `${lattice}-ca.pem`), ca!);
      for (const hub of hubs) {
        const cert = files.get(`${lattice}/tls/${hub}.pem`)!;
        const host = /DNS:([^,\s]+)/.exec(spawnSync(openssl!, ["x509", "-noout", "-ext", "subjectAltName"], { input: cert, encoding: "utf8" }).stdout)?.[1];
        expect(host).toMatch(/\.grid\.example\.net$/);
        writeFileSync(join(dir, `${hub}.pem`), cert);
        for (const purpose of ["sslserver", "sslclient"]) {
          const ok = spawnSync(openssl!, ["verify", "-CAfile", join(dir, `${lattice}-ca.pem`), "-verify_hostname", host!, "-purpose", purpose, join(dir, `${hub}.pem`)], { encoding: "utf8" });
          expect(ok.status, ok.stdout + ok.stderr).toBe(0);
          checked++;
        }
        const wrong = spawnSync(openssl!, ["verify", "-CAfile", join(dir, `${lattice}-ca.pem`), "-verify_hostname", "attacker.example.net", join(dir, `${hub}.pem`)], { encoding: "utf8" });
        expect(wrong.status).not.toBe(0);
        // the key in secrets/ is the certificate's key
        const key = files.get(`secrets/${lattice}/tls/${hub}-key.pem`)!;
        const pubFromKey = spawnSync(openssl!, ["pkey", "-pubout"], { input: key, encoding: "utf8" }).stdout;
        const pubFromCert = spawnSync(openssl!, ["x509", "-noout", "-pubkey"], { input: cert, encoding: "utf8" }).stdout;
        expect(pubFromKey).toBe(pubFromCert);
      }
      // a hub certificate of one lattice does not verify against the other lattice's CA
      const other = lattice === "lattice" ? "legacy" : "lattice";
      const cross = spawnSync(openssl!, ["verify", "-CAfile", join(dir, `${other}-ca.pem`), join(dir, `${hubs[0]}.pem`)], { encoding: "utf8" });
      expect(cross.status).not.toBe(0);
      // the CA signs certificates, hub certificates do not (a stolen hub key cannot mint a peer)
      const hubText = spawnSync(openssl!, ["x509", "-noout", "-text"], { input: files.get(`${lattice}/tls/${hubs[0]}.pem`), encoding: "utf8" }).stdout;
      expect(hubText).toMatch(/CA:FALSE/);
      expect(hubText).toMatch(/Signature Algorithm: ED25519/);
    }
    expect(checked).toBe(12);
  });

  it("a hub whose host is an IP address gets an IP SAN", () => {
    const files = byPath(tlsGrid().synth({ masterSeed: SEED }).files);
    const dir = tempDir("tlos-pki-ip-");
    writeFileSync(join(dir, "ca.pem"), files.get("lattice/tls/ca.pem")!);
    writeFileSync(join(dir, "hub-3.pem"), files.get("lattice/tls/hub-3.pem")!);
    const ok = spawnSync(openssl!, ["verify", "-CAfile", join(dir, "ca.pem"), "-verify_ip", "192.0.2.3", "-purpose", "sslserver", join(dir, "hub-3.pem")], { encoding: "utf8" });
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
  });
});

describe("PKI determinism and rotation", () => {
  it("is byte-identical across two synths of the example (fresh modules), and differs for another seed", async () => {
    const a = (await fullGrid()).synth({ masterSeed: SEED }).files.filter((f) => f.kind === "tls-certificate" || f.kind === "tls-key");
    const b = (await fullGrid()).synth({ masterSeed: SEED }).files.filter((f) => f.kind === "tls-certificate" || f.kind === "tls-key");
    expect(a.length).toBe(2 * (1 + 3) + 2 * (1 + 3));
    expect(b.map((f) => [f.path, f.content])).toEqual(a.map((f) => [f.path, f.content]));
    const c = byPath((await fullGrid()).synth({ masterSeed: OTHER_SEED }).files);
    for (const f of a) expect(c.get(f.path), f.path).not.toBe(f.content);
  });

  it("a new tls.epoch rotates the CA and every hub key; epoch 0 is the default", () => {
    const e0 = byPath(tlsGrid().synth({ masterSeed: SEED }).files);
    const e0b = byPath(tlsGrid(0).synth({ masterSeed: SEED }).files);
    const e1 = byPath(tlsGrid(1).synth({ masterSeed: SEED }).files);
    expect(e0b.get("lattice/tls/ca.pem")).toBe(e0.get("lattice/tls/ca.pem"));
    for (const p of ["lattice/tls/ca.pem", "secrets/lattice/tls/ca-key.pem", "lattice/tls/hub-1.pem", "secrets/lattice/tls/hub-1-key.pem"]) {
      expect(e1.get(p), p).toBeDefined();
      expect(e1.get(p), p).not.toBe(e0.get(p));
    }
  });

  it("private keys are secret files, certificates are not", () => {
    const files = tlsGrid().synth({ masterSeed: SEED }).files;
    for (const f of files.filter((x) => x.content.includes("PRIVATE KEY"))) expect(f.secret, f.path).toBe(true);
    for (const f of files.filter((x) => x.kind === "tls-certificate")) expect(f.content).not.toMatch(/PRIVATE KEY/);
  });

  it("the CA certificate reaches every kind of leaf in the same synth: Podman, Kubernetes, Akash", async () => {
    const files = byPath((await fullGrid()).synth({ masterSeed: SEED }).files);
    const ca = files.get("lattice/tls/ca.pem")!;
    // Podman: every node's and hub's bundle carries it, and install.sh makes it the CA secret
    for (const host of ["home-1", "home-2", "edge-1", "hub-1", "hub-2", "hub-3"]) {
      expect(files.get(`hosts/${host}/secrets/ca.pem`), host).toBe(ca);
      expect(files.get(`hosts/${host}/install.sh`), host).toContain("secret 'tlos-lattice-ca' 'ca.pem'");
    }
    // Kubernetes: the in-cluster leaf's ConfigMap holds it and the leaf verifies with it
    const k8s = (files.get("lattice/k8s/k8s/06-wasmcloud.yaml") ?? "").split(/^---$/m).map((d) => parseYaml(d) as { kind?: string; data?: Record<string, string> });
    const cm = k8s.find((d) => d?.kind === "ConfigMap" && d.data?.["ca.pem"]);
    expect(cm?.data?.["ca.pem"]).toBe(ca);
    expect(cm?.data?.["nats-server.conf"]).toMatch(/ca_file: "\/etc\/nats\/ca\/ca\.pem"/);
    // Akash: node and GPU pool leaves get it as NATS_CA_B64, in the reviewable and the deployable SDL
    const b64 = Buffer.from(ca).toString("base64");
    for (const p of ["lattice/akash/cloud-1/deploy.yaml", "secrets/lattice/akash/cloud-1/deploy.yaml", "lattice/akash/kimi/deploy.yaml"]) {
      expect(files.get(p), p).toContain(b64);
    }
  });
});

describe.skipIf(!nats)("a real nats-server with a derived certificate", () => {
  let proc: ChildProcess | undefined;
  afterAll(async () => {
    if (proc) await stopProcess(proc);
  });

  it("serves TLS that a client accepts for the hub's host name and refuses for another name", async () => {
    const files = byPath(tlsGrid().synth({ masterSeed: SEED }).files);
    const dir = tempDir("tlos-pki-live-");
    mkdirSync(join(dir, "tls"));
    writeFileSync(join(dir, "tls/ca.pem"), files.get("lattice/tls/ca.pem")!);
    writeFileSync(join(dir, "tls/server.pem"), files.get("lattice/tls/hub-1.pem")!);
    writeFileSync(join(dir, "tls/server-key.pem"), files.get("secrets/lattice/tls/hub-1-key.pem")!, { mode: 0o600 });
    const [port] = await freePorts(1);
    writeFileSync(join(dir, "server.conf"), `listen: "127.0.0.1:${port}"\ntls { cert_file: "${dir}/tls/server.pem", key_file: "${dir}/tls/server-key.pem", ca_file: "${dir}/tls/ca.pem", handshake_first: true }\n`);
    proc = startProcess(nats!, ["-c", join(dir, "server.conf")], join(dir, "server.log"));
    const handshake = (servername: string) => new Promise<string>((resolve) => {
      const s = tlsConnect({ host: "127.0.0.1", port: port!, servername, ca: files.get("lattice/tls/ca.pem")!, timeout: 3000 }, () => {
        resolve(`ok ${s.getPeerCertificate().subject.CN}`);
        s.destroy();
      });
      s.on("error", (e) => resolve(`error ${e.message}`));
    });
    // handshake_first: the server starts with TLS (not its plain-text INFO), so a bare TLS client can check it
    const first = await waitFor("a TLS answer from nats-server", async () => {
      const r = await handshake("hub-1.example.net");
      return r.startsWith("ok") || /altnames|certificate/i.test(r) ? r : undefined;
    }, 15_000, 250).catch((e: Error) => e.message);
    expect(first).toBe("ok hub-1");
    expect(await handshake("hub-2.example.net")).toMatch(/error .*(altnames|Hostname)/i);
  }, 30_000);
});
