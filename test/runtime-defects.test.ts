/**
 * Defects a real rootless Podman run found that no dry run sees, each pinned here: gossip with
 * advertised host names, a hub health check that does not need a JetStream quorum (a real lone
 * nats-server), snapshot files readable by the backup container's user, one backup job per
 * repository, no cluster-wide node labelling, a named host for a Podman TURN relay, and one image
 * update policy (no AutoUpdate on digest pins).
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { Grid, Lattice, R2Backup, SpinKubeCluster, TlosNode, writeOutput } from "../src/index.js";
import type { Artifact } from "../src/synth/artifact.js";
import { freePorts, problemsOf, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const nats = realBinary("nats-server");
const ROOT = new URL("..", import.meta.url).pathname;
const ACCOUNT = "0123456789abcdef0123456789abcdef";
const KEY = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEPLACEHOLDER\n-----END PUBLIC KEY-----\n";

const EXAMPLES = { "home-node": () => import("../examples/home-node/grid.js"), "full-grid": () => import("../examples/full-grid/grid.js") };

async function example(name: keyof typeof EXAMPLES): Promise<readonly Artifact[]> {
  vi.resetModules();
  const grid = (await EXAMPLES[name]()).default as Grid;
  return grid.synth({ masterSeed: SEED }).files;
}

describe("gossip, health and image updates in the emitted units", () => {
  it("every hub advertises its host for cluster and leafnode gossip", async () => {
    const files = await example("full-grid");
    const hubs = files.filter((f) => /\/hubs\/[^/]+\/quadlet\/[^/]+-nats\.conf$/.test(f.path));
    expect(hubs.length).toBe(6);
    for (const f of hubs) {
      const id = /hubs\/([^/]+)\//.exec(f.path)![1]!;
      const host = id.startsWith("legacy") ? `legacy-${id.slice(-1)}.grid.example.net` : `${id}.grid.example.net`;
      expect(f.content, f.path).toContain(`advertise: "${host}:6222"`);
      expect(f.content, f.path).toContain(`advertise: "${host}:7422"`);
    }
  });

  it("no unit sets AutoUpdate by default: images are digest pins, moved with tlos images", async () => {
    for (const name of ["home-node", "full-grid"] as const) {
      for (const f of (await example(name)).filter((x) => x.kind === "quadlet-unit")) expect(f.content, f.path).not.toMatch(/^AutoUpdate=/m);
    }
  });

  it("the hub health check asks only for a running JetStream, not for a meta leader", async () => {
    const files = await example("home-node");
    const unit = files.find((f) => f.path.endsWith("hub-1-nats.container"))!.content;
    expect(unit).toMatch(/^HealthCmd=wget -q --spider http:\/\/127\.0\.0\.1:8222\/healthz\?js-enabled-only=true$/m);
    expect(unit).toMatch(/^Notify=healthy$/m);
  });
});

describe.skipIf(!nats)("a lone hub of a 3-hub lattice (real nats-server)", () => {
  let proc: ChildProcess | undefined;
  afterAll(async () => {
    if (proc) await stopProcess(proc);
  });

  it("answers the emitted health check with 200 while plain /healthz says 503 for want of a quorum", async () => {
    const root = tempDir("tlos-lone-");
    const p = await freePorts(12);
    const hubs = THREE_HUBS.map((h, i) => ({ id: h.id, host: "127.0.0.1", bind: "127.0.0.1", ports: { client: p[i * 4]!, cluster: p[i * 4 + 1]!, leafnode: p[i * 4 + 2]!, monitor: p[i * 4 + 3]! }, storeDir: join(root, h.id, "data"), configDir: join(root, h.id, "etc") }));
    const g = new Grid("lone");
    const l = new Lattice(g, "lattice", { hubs });
    new TlosNode(l, "home-1", { target: "podman" });
    const out = join(root, "out");
    writeOutput(g.synth({ masterSeed: SEED }), out);
    const etc = join(root, "hub-1", "etc");
    mkdirSync(join(etc, "tls"), { recursive: true });
    copyFileSync(join(out, "lattice/hubs/hub-1/quadlet/hub-1-operator.jwt"), join(etc, "operator.jwt"));
    copyFileSync(join(out, "lattice/tls/ca.pem"), join(etc, "tls/ca.pem"));
    copyFileSync(join(out, "lattice/tls/hub-1.pem"), join(etc, "tls/server.pem"));
    copyFileSync(join(out, "secrets/lattice/tls/hub-1-key.pem"), join(etc, "tls/server-key.pem"));
    proc = startProcess(nats!, ["-c", join(out, "lattice/hubs/hub-1/quadlet/hub-1-nats.conf")], join(root, "hub-1.log"));
    const unit = readFileSync(join(out, "lattice/hubs/hub-1/quadlet/hub-1-nats.container"), "utf8");
    const url = /HealthCmd=wget -q --spider (\S+)/.exec(unit)![1]!.replace(":8222", `:${hubs[0]!.ports.monitor}`);
    const status = (u: string) => fetch(u, { signal: AbortSignal.timeout(2000) }).then((r) => r.status);
    expect(await waitFor("the hub's monitoring port", () => status(url).then((s) => s === 200), 20_000)).toBe(true);
    // the plain endpoint the unit used to poll: 503 (no meta leader) — HealthOnFailure=kill would kill it
    expect(await status(url.replace("?js-enabled-only=true", ""))).toBe(503);
    // and it stays healthy by the emitted check for longer than HealthRetries × HealthInterval would allow a failure
    for (let i = 0; i < 3; i++) {
      expect(await status(url)).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
    }
    expect(readFileSync(join(root, "hub-1.log"), "utf8")).not.toMatch(/no IP SANs|certificate is valid for/);
  }, 40_000);
});

describe("backups: one job per repository, readable snapshots, the Kubernetes Secret", () => {
  const withCluster = (runOn?: "hub" | "kubernetes") => {
    const g = new Grid("bk");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
    new TlosNode(l, "home-1", { target: "podman" });
    new SpinKubeCluster(l, "k8s", { cosignPublicKeys: [KEY], wasmcloud: { hostGroups: [{ name: "default", replicas: 1 }] } });
    new R2Backup(l, "nightly", { accountId: ACCOUNT, ...(runOn ? { runOn, streams: ["KV_app-data"] } : {}) });
    return g.synth({ masterSeed: SEED }).files;
  };
  const repo = (text: string) => /RESTIC_REPOSITORY(?:=|\s+value:\s*)"?([^"\s]+)/.exec(text)?.[1];

  it("with a SpinKube cluster the job runs on the hub only, by default; on Kubernetes only when asked", () => {
    const hub = withCluster();
    expect(hub.some((f) => f.path.endsWith("nightly-backup.container"))).toBe(true);
    expect(hub.some((f) => /08-backup-/.test(f.path))).toBe(false);
    const k8s = withCluster("kubernetes");
    expect(k8s.some((f) => f.path.endsWith("nightly-backup.container") || f.path.endsWith(".timer"))).toBe(false);
    const cron = k8s.find((f) => f.path === "lattice/k8s/k8s/08-backup-nightly.yaml")!;
    expect(cron.content).toMatch(/kind: CronJob/);
    // each output has exactly one scheduled job writing the repository (bundles hold copies of it)
    const jobs = (files: readonly Artifact[]) => files.filter((f) => !f.path.startsWith("hosts/")).filter((f) => f.path.endsWith("nightly-backup.container") || f.path.endsWith("08-backup-nightly.yaml")).map((f) => repo(f.content));
    expect(jobs(hub)).toEqual(["s3:https://0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com/tlos-lattice-nightly/lattice"]);
    expect(jobs(k8s)).toEqual(jobs(hub));
    // its Secret is emitted (restic password), the S3 keys come from a second Secret the plan names
    const secret = k8s.find((f) => f.path === "secrets/lattice/k8s/k8s/08-backup-nightly-secret.yaml")!;
    expect(secret.secret).toBe(true);
    expect(secret.content).toMatch(/kind: Secret[\s\S]*name: nightly-backup[\s\S]*restic-password:/);
    expect(cron.content).toContain("name: nightly-backup-s3");
    expect(problemsOf(() => {
      const g = new Grid("bk");
      const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
      new TlosNode(l, "home-1", { target: "podman" });
      new R2Backup(l, "nightly", { accountId: ACCOUNT, runOn: "kubernetes", streams: ["KV_app-data"] });
      return g.synth({ masterSeed: SEED });
    })).toEqual([expect.stringMatching(/^\[bk\/lattice\/nightly\] runOn: "kubernetes" needs a SpinKubeCluster/)]);
  });

  it.skipIf(!nats || process.getuid?.() !== 0)("the unit's steps leave a snapshot another uid can read (the container's, under UserNS=auto), inside a folder only the user can enter", async () => {
    const files = withCluster();
    const unit = files.find((f) => f.path.endsWith("nightly-backup.container"))!.content;
    const pre = [...unit.matchAll(/^ExecStartPre=(.*)$/gm)].map((m) => m[1]!);
    expect(pre[0]).toMatch(/^\/usr\/bin\/install -d -m 0700 %h\/\.local\/share\/tlos\/lattice\/nightly$/);
    expect(pre[3]).toMatch(/^\/bin\/chmod -R u=rwX,go=rX %h\/\.local\/share\/tlos\/lattice\/nightly\/snapshot$/);
    // run the steps for real against a nats-server with a stream (tlos writes its files 0600)
    const dir = tempDir("tlos-snap-");
    chmodSync(dir, 0o755);
    const [port] = await freePorts(1);
    const server = startProcess(nats!, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", join(dir, "js")], join(dir, "n.log"));
    try {
      const { connect } = await import("@nats-io/transport-node");
      const { jetstreamManager } = await import("@nats-io/jetstream");
      const nc = await waitFor("nats-server", () => connect({ servers: `127.0.0.1:${port}` }), 10_000);
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "EVENTS", subjects: ["events.>"] });
      await jsm.jetstream().publish("events.1", "x");
      await nc.close();
      const bin = join(dir, "bin");
      mkdirSync(bin);
      writeFileSync(join(bin, "tlos"), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "bin/tlos.mjs")}" "$@"\n`, { mode: 0o755 });
      const home = join(dir, "home");
      mkdirSync(join(home, ".config/tlos/lattice"), { recursive: true });
      writeFileSync(join(home, ".config/tlos/lattice/backup.creds"), "");
      for (const step of pre) {
        const cmd = step.replaceAll("%h", home).replace("nats://127.0.0.1:4222", `nats://127.0.0.1:${port}`).replace(/--creds \S+ /, "");
        const r = spawnSync("sh", ["-c", cmd], { encoding: "utf8", env: { ...process.env, PATH: `${bin}:${process.env["PATH"]}` }, timeout: 60_000 });
        expect(r.status, `${cmd}\n${r.stderr}`).toBe(0);
      }
      const snap = join(home, ".local/share/tlos/lattice/nightly/snapshot");
      expect(statSync(join(home, ".local/share/tlos/lattice/nightly")).mode & 0o777).toBe(0o700);
      expect(statSync(join(snap, "EVENTS.snapshot")).mode & 0o777).toBe(0o644);
      // as the bind mount shows it to uid 65534: the mount root itself, then its files
      const asNobody = spawnSync("unshare", ["-m", "sh", "-c", `mount --bind ${snap} /mnt && setpriv --reuid=65534 --regid=65534 --clear-groups cat /mnt/EVENTS.snapshot >/dev/null`], { encoding: "utf8" });
      expect(asNobody.status, asNobody.stderr).toBe(0);
    } finally {
      await stopProcess(server);
    }
  }, 60_000);
});

describe("Kubernetes node labels and TURN placement", () => {
  it("02-install.sh never labels every node; it labels only what runtime.labelNodes selects", () => {
    const build = (labelNodes?: string) => {
      const g = new Grid("k");
      const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
      new TlosNode(l, "home-1", { target: "podman" });
      new SpinKubeCluster(l, "k8s", { cosignPublicKeys: [KEY], ...(labelNodes ? { runtime: { labelNodes } } : {}) });
      return g.synth({ masterSeed: SEED }).files.find((f) => f.path.endsWith("02-install.sh"))!.content;
    };
    const plain = build();
    expect(plain).not.toMatch(/label node(s)? --all|label node .*--all/);
    expect(plain).toMatch(/kubectl get nodes -l spin=true -o name/);
    expect(plain).toMatch(/exit 1/);
    const picked = build("pool=wasm");
    expect(picked).toContain("kubectl label node -l pool=wasm spin=true --overwrite");
    expect(spawnSync("bash", ["-n"], { input: picked }).status).toBe(0);
    expect(spawnSync("bash", ["-n"], { input: plain }).status).toBe(0);
    expect(problemsOf(() => {
      const g = new Grid("k");
      const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
      new TlosNode(l, "home-1", { target: "podman" });
      new SpinKubeCluster(l, "k8s", { cosignPublicKeys: [KEY], runtime: { labelNodes: "a'; rm -rf /" } });
      return g.synth({ masterSeed: SEED });
    })).toEqual([expect.stringMatching(/^\[k\/lattice\/k8s\] runtime\.labelNodes: .* is not a label selector/)]);
  });
});
