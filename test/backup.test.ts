/**
 * R2Backup end to end with real programs on 127.0.0.1: a running nats-server with a real
 * JetStream store, `tlos jetstream backup` (stream snapshots through the snapshot API), the
 * generated restic script (Debian's restic) against s3rver (an S3-compatible server from npm,
 * standing in for R2), then the generated restore.sh into a fresh nats-server.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Grid, Lattice, R2Backup, writeOutput } from "../src/index.js";
import { makeTestTls } from "../src/validate/nats.js";
import { freePorts, problemsOf, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const restic = spawnSync("which", ["restic"], { encoding: "utf8" }).stdout.trim();
const nats = realBinary("nats-server");
if (!restic) {
  if (process.env["CI"] === "true") throw new Error("CI=true and restic is not installed (apt-get install restic)");
  console.warn("\n!!! restic not installed: backup tests SKIPPED\n");
}
const ACCOUNT = "0123456789abcdef0123456789abcdef";

/** Runs a command without blocking the event loop (s3rver answers from this process). */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(cmd, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    p.stdout.on("data", (d) => (stdout += d));
    p.stderr.on("data", (d) => (stderr += d));
    const t = setTimeout(() => p.kill("SIGKILL"), timeoutMs);
    p.on("close", (status) => {
      clearTimeout(t);
      resolve({ status, stdout, stderr });
    });
  });
}
const MARKER = "PLAINTEXT-MARKER-7c1e";

function backupGrid(endpoint?: string) {
  const g = new Grid("bk");
  const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
  new R2Backup(l, "nightly", { accountId: ACCOUNT, bucket: { jurisdiction: "eu", location: "weur" }, retentionDays: 30, ...(endpoint ? { endpoint } : {}) });
  return g;
}

describe("R2Backup output", () => {
  it("describes bucket, lifecycle and a bucket-scoped token without credentials", () => {
    const files = backupGrid().synth({ masterSeed: SEED }).files;
    const cf = JSON.parse(files.find((f) => f.path === "cloudflare/r2-nightly.json")!.content);
    expect(cf.bucket.args).toEqual({ accountId: ACCOUNT, name: "tlos-lattice-nightly", jurisdiction: "eu", storageClass: "Standard", location: "weur" });
    expect(cf.lifecycle.args.rules.map((r: { id: string }) => r.id)).toEqual(["expire-old-backups", "abort-incomplete-multipart"]);
    expect(Object.keys(cf.token.args.policies[0].resources)).toEqual([`com.cloudflare.edge.r2.bucket.${ACCOUNT}_eu_tlos-lattice-nightly`]);
    expect(cf.token.s3.endpoint).toBe(`https://${ACCOUNT}.eu.r2.cloudflarestorage.com`);
    const unit = files.find((f) => f.path.endsWith("quadlet/nightly-backup.container"))!.content;
    expect(unit).toMatch(/ExecStartPre=\/usr\/bin\/env tlos jetstream backup --server nats:\/\/127\.0\.0\.1:4222/);
    expect(unit).toMatch(/Secret=tlos-nightly-s3-secret,type=env,target=AWS_SECRET_ACCESS_KEY/);
    expect(files.find((f) => f.path.endsWith("nightly-backup.timer"))!.content).toMatch(/OnCalendar=\*-\*-\* 03:17:00 UTC/);
    const password = files.find((f) => f.path.endsWith("restic-password"))!;
    expect(password.secret).toBe(true);
    for (const f of files.filter((x) => !x.secret)) expect(f.content).not.toContain(password.content.trim());
  });

  it("refuses bad props with path and field", () => {
    const p = problemsOf(() => {
      const g = new Grid("bk");
      const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
      new R2Backup(l, "b", { accountId: "x", bucket: { jurisdiction: "mars" as "eu" }, at: "25:00", keep: { daily: -1 }, retentionDays: 3 });
      return g.synth({ masterSeed: SEED });
    });
    for (const f of ["accountId", "bucket.jurisdiction", "at", "keep.daily"]) expect(p.some((x) => x.startsWith(`[bk/lattice/b] ${f}: `)), `${f}\n${p.join("\n")}`).toBe(true);
  });
});

const compose = realBinary("docker-compose");

describe.skipIf(!compose)("compose.backup.yaml with the real Compose CLI", () => {
  it("docker compose -f compose.yaml -f compose.backup.yaml --profile backup config resolves every secret to a file that exists", () => {
    const out = join(tempDir("tlos-compose-"), "out");
    writeOutput(backupGrid().synth({ masterSeed: SEED }), out);
    // the local lattice's own secrets (leaf creds) and the backup's: all under secrets/
    const r = spawnSync(compose!, ["-f", "lattice/compose/compose.yaml", "-f", "lattice/backup/nightly/compose.backup.yaml", "--profile", "backup", "config", "--format", "json"], {
      cwd: out,
      encoding: "utf8",
      env: { PATH: process.env["PATH"], HOME: out, TLOS_R2_ACCESS_KEY_ID: "id", TLOS_R2_SECRET_ACCESS_KEY: "secret" },
    });
    expect(r.status, r.stderr).toBe(0);
    const config = JSON.parse(r.stdout) as { secrets: Record<string, { file: string }>; services: Record<string, unknown> };
    expect(Object.keys(config.services)).toEqual(expect.arrayContaining(["backup", "backup-snapshot", "hub"]));
    const files = Object.entries(config.secrets).map(([name, s]) => [name, s.file] as const);
    expect(files.map(([n]) => n)).toEqual(expect.arrayContaining(["backup-creds", "restic-password"]));
    for (const [name, file] of files) {
      expect(file.startsWith(`${out}/secrets/`), `${name}: ${file}`).toBe(true);
      expect(statSync(file).isFile(), `${name}: ${file}`).toBe(true);
    }
  });
});

describe.skipIf(!restic || !nats || !realBinary("openssl"))("a backup and restore with restic, s3rver and nats-server", () => {
  const procs: ChildProcess[] = [];
  let s3: { close(): Promise<void> } | undefined;
  let dir = "", s3dir = "", out = "", url = "", fresh = 0;
  let env: NodeJS.ProcessEnv = {};
  beforeAll(async () => {
    dir = tempDir("tlos-backup-");
    s3dir = join(dir, "s3");
    const [natsPort, s3Port, freshPort] = await freePorts(3);
    fresh = freshPort!;
    url = `nats://127.0.0.1:${natsPort}`;
    procs.push(startProcess(nats!, ["-js", "-a", "127.0.0.1", "-p", String(natsPort), "-sd", join(dir, "js-a")], join(dir, "a.log")));
    const { default: S3rver } = (await import("s3rver")) as unknown as { default: new (o: object) => { run(): Promise<unknown>; close(): Promise<void> } };
    // HTTPS like R2 (over plain HTTP restic's S3 client sends aws-chunked bodies, which s3rver stores undecoded)
    expect(makeTestTls(realBinary("openssl")!, join(dir, "tls"))).toBe(true);
    const server = new S3rver({ address: "127.0.0.1", port: s3Port, silent: true, directory: s3dir, configureBuckets: [{ name: "tlos-lattice-nightly" }], key: readFileSync(join(dir, "tls/server-key.pem")), cert: readFileSync(join(dir, "tls/server.pem")) });
    await server.run();
    s3 = server;
    out = join(dir, "out");
    writeOutput(backupGrid(`https://127.0.0.1:${s3Port}`).synth({ masterSeed: SEED }), out);
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "tlos"), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, "bin/tlos.mjs")}" "$@"\n`);
    chmodSync(join(bin, "tlos"), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env["PATH"]}`, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", RESTIC_PASSWORD_FILE: join(out, "secrets/lattice/backup/nightly/restic-password"), TLOS_NATS_CREDS: join(dir, "none"), SSL_CERT_FILE: join(dir, "tls/ca.pem") };
    await waitFor("nats-server", () => connect({ servers: url }).then((c) => c.close().then(() => true)), 10_000);
  }, 60_000);
  afterAll(async () => {
    for (const p of procs) await stopProcess(p);
    await s3?.close();
  });

  it("snapshots the streams, encrypts and uploads them, and restores them into a fresh server", async () => {
    // a real JetStream store: a KV bucket and a stream with messages
    const nc = await connect({ servers: url });
    const kv = await new Kvm(nc).create("LATTICEDATA_lattice", { history: 1 });
    for (let i = 0; i < 40; i++) await kv.put(`key-${i}`, `${MARKER}-${i}`);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "EVENTS", subjects: ["events.>"] });
    for (let i = 0; i < 25; i++) await jsm.jetstream().publish(`events.${i}`, `${MARKER} event ${i}`);
    await nc.close();

    // the job: tlos jetstream backup, then the generated restic script
    const snap = join(dir, "snapshot");
    const b = spawnSync("tlos", ["jetstream", "backup", "--server", url, "--out", snap], { env, encoding: "utf8", timeout: 60_000 });
    expect(b.status, b.stderr).toBe(0);
    expect(b.stdout).toMatch(/snapshotted 2 stream\(s\): EVENTS, KV_LATTICEDATA_lattice/);
    const compose = parse(readFileSync(join(out, "lattice/backup/nightly/compose.backup.yaml"), "utf8"));
    const script = String(compose.services.backup.entrypoint[2]).replaceAll("/snapshot", snap);
    const repo = compose.services.backup.environment.RESTIC_REPOSITORY;
    expect(repo).toMatch(/^s3:https:\/\/127\.0\.0\.1:\d+\/tlos-lattice-nightly\/lattice$/);
    const renv = { ...env, RESTIC_REPOSITORY: repo, RESTIC_CACHE_DIR: join(dir, "cache") };
    const r = await run("sh", ["-c", script], renv);
    expect(r.status, r.stderr + r.stdout).toBe(0);

    // the bucket holds restic's encrypted repository and no plaintext
    const walk = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f)) : [join(d, f)]));
    const objects = walk(s3dir);
    expect(objects.some((f) => f.includes("data"))).toBe(true);
    for (const f of objects) expect(readFileSync(f).includes(MARKER), f).toBe(false);
    const snaps = await run(restic, ["snapshots", "--json"], renv);
    expect(JSON.parse(snaps.stdout).map((s: { hostname: string; tags: string[] }) => [s.hostname, s.tags])).toEqual([["tlos-lattice", ["jetstream"]]]);

    // restore with the generated restore.sh into a fresh server
    procs.push(startProcess(nats!, ["-js", "-a", "127.0.0.1", "-p", String(fresh), "-sd", join(dir, "js-b")], join(dir, "b.log")));
    const freshUrl = `nats://127.0.0.1:${fresh}`;
    await waitFor("fresh nats-server", () => connect({ servers: freshUrl }).then((c) => c.close().then(() => true)), 10_000);
    const rs = await run("bash", [join(out, "lattice/backup/nightly/restore.sh"), freshUrl], { ...env, RESTIC_CACHE_DIR: join(dir, "cache2") });
    expect(rs.status, rs.stderr + rs.stdout).toBe(0);
    const nc2 = await connect({ servers: freshUrl });
    const kv2 = await new Kvm(nc2).open("LATTICEDATA_lattice");
    expect((await kv2.get("key-33"))?.string()).toBe(`${MARKER}-33`);
    const info = await (await jetstreamManager(nc2)).streams.info("EVENTS");
    expect(info.state.messages).toBe(25);
    await nc2.close();
  }, 180_000);
});
