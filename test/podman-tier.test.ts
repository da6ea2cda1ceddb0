/**
 * The real rootless Podman tier: a 3-hub + 2-node grid, each machine's bundle installed with its
 * own install.sh into its own rootless user's systemd folder, its units started from the
 * `quadlet -dryrun -user` ExecStart lines in real Podman 5 (crun, pasta, userns=auto), each hub
 * and node in its own network namespace on a private bridge inside an otherwise empty network
 * namespace: ports are published exactly as emitted, and nothing can leave the machine.
 *
 * What is not as in production, and why (no systemd PID 1, no registry here):
 *   - the podman command lines are run by hand; flags changed: see ADAPTATIONS in podman/units.ts
 *     (--cgroups=split and --sdnotify=healthy dropped, --pull=never added, the digest of the
 *     image reference dropped);
 *   - images are built locally (scripts/podman-tier.sh): busybox + Debian's nats-server under
 *     the pinned name. Debian has no 2.11 build and npm no nats-server binary package, so the
 *     tier runs twice, with trixie's 2.10.x and with forky's newer line, bracketing the pinned
 *     2.11.16; the version each run holds is printed and asserted (see FLAVOURS);
 *   - the wasmCloud host containers are not started (their images cannot be had here);
 *   - health checks run when the test calls `podman healthcheck run` (no systemd timers).
 * Under CI=true the tier must run; elsewhere it is skipped loudly when its userland is missing.
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { appendFileSync, chmodSync, cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Grid, Lattice, R2Backup, TlosNode, writeOutput } from "../src/index.js";
import { SEED, realBinary, settle, tempDir, waitFor } from "./helpers.js";
import { Lab, runArgv, type LabMachine } from "./podman/lab.js";
import { ADAPTATIONS, splitCommand, startLines, substitute, type DryRunService } from "./podman/units.js";
import { copyBundle, dryRun, homePath, imageOf, importImages, installState, runInstall, startMachine, startService, userOf, type Started } from "./podman/bringup.js";

const REPO = fileURLToPath(new URL("..", import.meta.url));
const TIER = process.env["TLOS_PODMAN_DIR"] ?? join(REPO, ".validators/podman");
const ROOTFS = join(TIER, "root");
/**
 * The nats-server builds the tier runs under the pinned image name, one lab each: Debian trixie's
 * 2.10.x and forky's newer line (2.15.x when this was written, the build the rest of the suite's
 * hubs run). No 2.11 build is to be had here (Debian has none; npm has no nats-server binary
 * package), so the two bracket the pinned 2.11.16. TLOS_TIER_NATS=2.10 or =forky runs one.
 */
const FLAVOURS = (process.env["TLOS_TIER_NATS"] ? [process.env["TLOS_TIER_NATS"]] : ["2.10", "forky"]).filter((f) => f === "2.10" || f === "forky");
const CLIENT = fileURLToPath(new URL("./podman/client.mjs", import.meta.url));
const TLOS = join(REPO, "bin/tlos.mjs");

function tierMissing(): string | undefined {
  if (process.getuid?.() !== 0) return "the Podman tier needs root (namespaces)";
  if (!existsSync(join(ROOTFS, ".tlos-tier"))) return "the Podman tier's userland is missing: run scripts/podman-tier.sh";
  for (const f of FLAVOURS) if (!existsSync(join(TIER, `images/nats-${f}.tar`))) return `images/nats-${f}.tar is missing: run scripts/podman-tier.sh`;
  return undefined;
}
const missing = tierMissing();
if (missing) {
  if (process.env["CI"] === "true") throw new Error(`CI=true and ${missing}`);
  console.warn(`\n!!! ${missing} (the real Podman tier is SKIPPED)\n`);
}
const openssl = realBinary("openssl");

const HUBS = ["hub-1", "hub-2", "hub-3"] as const;
const NODES = ["home-1", "home-2"] as const;
const DOMAIN = "grid.example.net";
const S3_HOST = "s3.lab.test";
const MACHINES: LabMachine[] = [
  ...HUBS.map((name, i) => ({ name, addr: `10.77.0.${11 + i}`, uid: 2001 + i })),
  ...NODES.map((name, i) => ({ name, addr: `10.77.0.${21 + i}`, uid: 2101 + i })),
];
const NATS_IMAGE = "docker.io/library/nats:2.11.16-alpine";
const RESTIC_IMAGE = "docker.io/restic/restic:0.18.0";

/**
 * Waits adapt to the machine: on a loaded shared machine (load average above its core count)
 * every bound grows with the load, up to 3×; each poll is itself bounded.
 */
const PATIENCE = Math.min(3, Math.max(1, (loadavg()[0] ?? 0) / Math.max(1, cpus().length)));
function patiently<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, ms: number, every: number): Promise<T> {
  return waitFor(what, fn, Math.round(ms * PATIENCE), every);
}

function tierGrid(): Grid {
  const grid = new Grid("tier");
  const lattice = new Lattice(grid, "lattice", {
    name: "tier",
    wasmcloud: "v1",
    hubs: HUBS.map((id) => ({ id, host: `${id}.${DOMAIN}`, jetstream: { maxMemory: "64Mi", maxFile: "256Mi" } })),
  });
  for (const id of NODES) new TlosNode(lattice, id, { target: "podman", nats: { jetstream: { maxMemory: "32Mi", maxFile: "128Mi" } } });
  new R2Backup(lattice, "nightly", { accountId: "0123456789abcdef0123456789abcdef", endpoint: `https://${S3_HOST}:9443`, images: { restic: RESTIC_IMAGE } });
  return grid;
}

for (const NATS_FLAVOUR of FLAVOURS) describe.skipIf(!!missing || !openssl)(`real rootless Podman (nats-server ${NATS_FLAVOUR}): a 3-hub + 2-node grid from its bundles`, () => {
  let lab: Lab;
  let out: string;
  let run: string;
  let s3tls: string;
  const started = new Map<string, Started>();
  const firstInstall = new Map<string, string>();
  // later steps need earlier ones: fail at once, naming the missing step, instead of timing out
  const done = new Set<string>();
  const needs = (...steps: string[]) => {
    const missing = steps.filter((x) => !done.has(x));
    if (missing.length) throw new Error(`not run: an earlier step failed (${missing.join(", ")})`);
  };

  const nats = (hub: string) => `tlos-${hub}-nats`;
  const monitor = async (machine: string, ctr: string, path: string) => {
    const r = await lab.exec(machine, ["podman", "exec", ctr, "wget", "-qO-", `http://127.0.0.1:8222${path}`], { timeoutMs: 15_000 });
    if (r.code !== 0) throw new Error(`${machine} ${path}: ${r.stderr}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const logsOf = async (machine: string, ctr: string) => {
    const r = await lab.exec(machine, ["podman", "logs", ctr]);
    return r.stdout + r.stderr;
  };
  const routedToAll = async (h: string) => {
    const r = (await monitor(h, nats(h), "/routez")) as { routes?: { remote_name?: string }[] };
    const peers = new Set((r.routes ?? []).map((x) => x.remote_name));
    return HUBS.filter((o) => o !== h).every((o) => peers.has(o));
  };
  const metaOfThree = async (h: string) => {
    const j = (await monitor(h, nats(h), "/jsz")) as { meta_cluster?: { leader?: string; cluster_size?: number } };
    return !!j.meta_cluster?.leader && j.meta_cluster.cluster_size === 3;
  };
  /** nats-server log lines "[1] 2026/12/01 21:30:00.868496 [ERR] …" at or after `since` (ms). */
  const errorsSince = (log: string, since: number) => log.split("\n").filter((l) => {
    const m = /^\[\d+\] (\d{4})\/(\d\d)\/(\d\d) (\d\d:\d\d:\d\d\.\d+) \[ERR\]/.exec(l);
    return m && Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}Z`) >= since;
  });
  /** Certificate failures (what gossiped-IP route dials against DNS-only SANs produce) at any time. */
  const certErrors = (log: string) => log.split("\n").filter((l) => /\[ERR\]/.test(l) && /x509|certificate|SANs|unknown authority/i.test(l));
  /** Any TLS error after `since`. */
  const tlsErrorsSince = (log: string, since: number) => errorsSince(log, since).filter((l) => /TLS|tls:/i.test(l));
  const skip = (s: DryRunService): string | undefined => {
    const image = imageOf(s);
    if (image && !image.startsWith("docker.io/library/nats:") && !image.startsWith("docker.io/restic/")) return `image ${image} cannot be had here`;
    if (s.name.endsWith("-backup.service")) return "started by its timer (see the backup test)";
    return undefined;
  };
  const client = async (node: string, req: Record<string, unknown>) => {
    const r = await lab.inPod(node, `tlos-${node}-infra`, [process.execPath, CLIENT, JSON.stringify({ server: "127.0.0.1:4222", domain: "hub", ...req })], { timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`client on ${node}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout) as Record<string, unknown>;
  };
  const startUnits = async (m: string) => {
    started.set(m, await startMachine(lab, lab.machine(m), skip));
  };

  beforeAll(async () => {
    console.log(`Podman tier: waits ×${PATIENCE.toFixed(2)} (load); command lines adapted as follows:\n  - ${ADAPTATIONS.join("\n  - ")}`);
    const dir = tempDir("tlos-podman-tier-");
    chmodSync(dir, 0o755); // the machines' users reach their homes below it
    out = join(dir, "out");
    run = join(dir, "run");
    writeOutput(tierGrid().synth({ masterSeed: SEED }), out);
    execFileSync("mkdir", ["-p", run]);
    // the S3 stand-in's certificate, issued by a lab CA the restic image trusts
    s3tls = join(dir, "s3tls");
    execFileSync("sh", ["-c", [
      `mkdir -p ${s3tls} && cd ${s3tls}`,
      `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj "/CN=lab CA" -keyout ca-key.pem -out ca.pem 2>/dev/null`,
      `openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=${S3_HOST}" -keyout key.pem -out s3.csr 2>/dev/null`,
      `printf 'subjectAltName=DNS:${S3_HOST}\\n' > ext`,
      `openssl x509 -req -in s3.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile ext -out cert.pem 2>/dev/null`,
    ].join(" && ")]);
    cpSync(join(TIER, "images"), join(run, "images"), { recursive: true });
    // the restic image's CA bundle: the lab CA (replaced in a copy of the tarball)
    execFileSync("sh", ["-c", `mkdir -p ${dir}/ca/etc/ssl/certs && cp ${s3tls}/ca.pem ${dir}/ca/etc/ssl/certs/ca-certificates.crt && tar --delete -f ${run}/images/restic.tar ./etc/ssl/certs/ca-certificates.crt && tar -C ${dir}/ca -rf ${run}/images/restic.tar ./etc/ssl/certs/ca-certificates.crt && chmod -R a+rX ${run}/images`]);
    lab = await Lab.start(ROOTFS, run, MACHINES, [
      ...MACHINES.filter((m) => m.name.startsWith("hub-")).map((m) => `${m.addr} ${m.name}.${DOMAIN}`),
      `10.77.0.2 ${S3_HOST}`,
    ]);
    for (const m of MACHINES) {
      await importImages(lab, m, {
        "localhost/tlos-pause:lab": { tar: "/lab/images/pause.tar", changes: ['ENTRYPOINT ["/catatonit","-P"]'] },
        [NATS_IMAGE]: { tar: `/lab/images/nats-${NATS_FLAVOUR}.tar`, changes: ["ENV PATH=/usr/local/bin:/usr/bin:/bin", 'CMD ["nats-server"]'] },
        ...(m.name === "hub-1" ? { [RESTIC_IMAGE]: { tar: "/lab/images/restic.tar", changes: ["ENV PATH=/usr/bin:/bin", 'ENTRYPOINT ["/usr/bin/restic"]'] } } : {}),
      });
    }
  }, 240_000);

  afterAll(async () => {
    await lab?.stop();
    // a run that got to its end leaves nothing behind; otherwise its logs and homes stay for a look
    if (run && existsSync(join(run, "done"))) rmSync(dirname(run), { recursive: true, force: true });
    else if (run) console.log(`Podman tier: lab files kept in ${run}`);
  });

  it("installs every machine's bundle with its own install.sh (umask 077, TLOS_NO_SYSTEMD=1)", async () => {
    for (const m of MACHINES) {
      // hub-1's backup S3 key: the stand-in's (in production: the Pulumi outputs of the bucket
      // token), put where install.sh asks for it
      await copyBundle(lab, m, out, m.name === "hub-1" ? { "nightly-s3-access-key-id": "S3RVER", "nightly-s3-secret-access-key": "S3RVER" } : {});
      const r = await runInstall(lab, m);
      expect(r.code, `${m.name} install: ${r.stdout}\n${r.stderr}`).toBe(0);
      expect(r.stdout, `${m.name} install`).toMatch(/change\(s\)/);
      firstInstall.set(m.name, await installState(lab, m));
      const services = await dryRun(lab, m);
      expect(services.map((s) => s.name)).toContain(`${m.name}-nats.service`);
    }
    // the order this tier brings machines up in is PLAN.md's: hubs, the operator's claims push, nodes
    const plan = readFileSync(join(out, "PLAN.md"), "utf8");
    const steps = [...plan.matchAll(/^## \d+\. ([a-z0-9-]+): (.*)$/gm)].map((x) => `${x[1]}: ${x[2]}`);
    const order = steps.map((x) => x.split(":")[0] as string).filter((x) => MACHINES.some((m) => m.name === x));
    expect([...new Set(order)], `PLAN.md steps:\n${steps.join("\n")}`).toEqual(MACHINES.map((m) => m.name));
    const push = steps.findIndex((x) => x.startsWith("operator:"));
    expect(push, "the operator step (lattice-init, claims push) after the hubs, before the nodes").toBeGreaterThan(steps.findIndex((x) => x.startsWith("hub-3")));
    expect(push).toBeLessThan(steps.findIndex((x) => x.startsWith("home-1")));
    done.add("installed");
  }, 300_000);

  it("runs the nats-server build it says it runs", async () => {
    const r = await lab.exec("hub-1", ["podman", "run", "--rm", "--pull=never", "--network=none", NATS_IMAGE, "nats-server", "--version"]);
    const versions = readFileSync(join(TIER, "VERSIONS"), "utf8");
    console.log(`Podman tier: ${NATS_IMAGE} holds ${r.stdout.trim()} (${NATS_FLAVOUR}); ${versions.split("\n")[0]}`);
    expect(versions).toContain(`nats-${NATS_FLAVOUR}: ${r.stdout.trim()}`);
  });

  it("keeps a lone hub up: its health check passes before any other hub exists", async () => {
    needs("installed");
    await startUnits("hub-1");
    await patiently("hub-1 monitor", () => monitor("hub-1", nats("hub-1"), "/varz"), 30_000, 500);
    // more consecutive checks than HealthRetries: with HealthOnFailure=kill a failing check would kill it
    for (let i = 0; i < 4; i++) {
      const r = await lab.exec("hub-1", ["podman", "healthcheck", "run", nats("hub-1")], { timeoutMs: 30_000 });
      expect(r.code, `health check ${i + 1} of a lone hub: ${r.stdout}${r.stderr}`).toBe(0);
    }
    expect((await lab.podman("hub-1", ["inspect", "--format", "{{.State.Running}}", nats("hub-1")])).trim()).toBe("true");
    done.add("lone");
  }, 120_000);

  it("forms routes and a JetStream meta leader with no TLS error in any hub log", async () => {
    needs("installed");
    if (!started.has("hub-1")) await startUnits("hub-1");
    for (const h of ["hub-2", "hub-3"]) await startUnits(h);
    for (const h of HUBS) await patiently(`${h} routes to both other hubs`, () => routedToAll(h), 60_000, 500);
    const formed = Date.now();
    for (const h of HUBS) await patiently(`${h} in a 3-peer meta group with a leader`, () => metaOfThree(h), 90_000, 500);
    done.add("hubs");
    // gossip goes on after the routes form (~20 failed dials a second per hub when it dialed IPs
    // against DNS-only certificates): give it a few seconds to show
    await settle(5000);
    // While a hub's pod is up but its nats-server not yet listening, pasta accepts the published
    // port and resets the connection: a peer's dial at that moment logs "TLS route handshake
    // error: … connection reset by peer". That is start-up ordering, not TLS: such errors are
    // allowed only before the routes formed; certificate errors are allowed never.
    for (const h of HUBS) {
      const log = await logsOf(h, nats(h));
      expect(certErrors(log), `${h}: certificate errors`).toEqual([]);
      expect(tlsErrorsSince(log, formed), `${h}: TLS errors after the routes formed`).toEqual([]);
    }
  }, 240_000);

  it("pushes the account JWT to every hub as PLAN.md's operator step says", async () => {
    needs("hubs");
    // the plan tunnels to hub-1's loopback-only client port; here the command runs in hub-1's
    // machine namespace, where that port is published
    const r = await lab.onMachine("hub-1", [process.execPath, TLOS, "claims", "push", join(out, "lattice/account.jwt"), "--server", "nats://127.0.0.1:4222", "--creds", join(out, "secrets/lattice/sys.creds")], { timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    for (const h of HUBS) expect(r.stdout + r.stderr, `claims push answer of ${h}`).toContain(h);
  }, 90_000);

  it("connects both leaves over TLS to hubs whose certificates are checked by hostname", async () => {
    needs("hubs");
    for (const n of NODES) await startUnits(n);
    for (const n of NODES) {
      expect(Object.keys(started.get(n)?.skipped ?? {}).some((s) => s.includes("wasmcloud")), `${n}: wasmCloud host skipped`).toBe(true);
      await patiently(`${n} leaf connected`, async () => {
        const l = (await monitor(n, `tlos-${n}-nats`, "/leafz")) as { leafnodes?: number };
        return (l.leafnodes ?? 0) >= 1;
      }, 60_000, 500);
    }
    const onHubs: { name?: string; account?: string }[] = [];
    for (const h of HUBS) onHubs.push(...(((await monitor(h, nats(h), "/leafz")) as { leafs?: { name?: string; account?: string }[] }).leafs ?? []));
    expect(onHubs.map((l) => l.name).sort()).toEqual([...NODES]);
    done.add("leaves");
    // the hub certificates as installed: derived from the master seed (a second synth gives the
    // same bytes), verified as the leaves verify them: by the dialed name
    const again = tierGrid().synth({ masterSeed: SEED }).files;
    for (const h of HUBS) {
      const cert = await lab.exec(h, ["podman", "secret", "inspect", "--showsecret", "--format", "{{.SecretData}}", `tlos-lattice-${h}-tls-cert`]);
      const ca = await lab.exec(h, ["podman", "secret", "inspect", "--showsecret", "--format", "{{.SecretData}}", "tlos-lattice-ca"]);
      const dir = tempDir("tlos-tier-cert-");
      // (podman prints the secret's bytes and a newline)
      expect(cert.stdout.trimEnd(), `${h}: the installed certificate is the synthesized one`).toBe(again.find((f) => f.path === `hosts/${h}/files/tls-cert.pem`)?.content.trimEnd());
      writeFileSync(join(dir, "cert.pem"), cert.stdout);
      writeFileSync(join(dir, "ca.pem"), ca.stdout);
      const ok = await runArgv([openssl as string, "verify", "-CAfile", join(dir, "ca.pem"), "-verify_hostname", `${h}.${DOMAIN}`, "-purpose", "sslserver", join(dir, "cert.pem")]);
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
      const other = HUBS.find((o) => o !== h) as string;
      const wrong = await runArgv([openssl as string, "verify", "-CAfile", join(dir, "ca.pem"), "-verify_hostname", `${other}.${DOMAIN}`, join(dir, "cert.pem")]);
      expect(wrong.code, `${h}'s certificate must not pass as ${other}`).not.toBe(0);
    }
  }, 180_000);

  let killed = "";
  it("keeps an R3 stream written from a leaf through `podman pod kill` of one hub", async () => {
    needs("leaves");
    // the operator step of PLAN.md: the lattice's buckets at R3 (a leaf may write them, never create one)
    const init = await lab.onMachine("hub-1", [process.execPath, TLOS, "lattice-init", join(out, "lattice/jetstream.json"), "--server", "nats://127.0.0.1:4222", "--creds", join(out, "secrets/lattice/admin.creds")], { timeoutMs: 90_000 });
    expect(init.code, init.stdout + init.stderr).toBe(0);
    const refused = await client("home-1", { op: "create", stream: "TIER", subject: "tier.>", replicas: 3 }).then(() => "created", (e: Error) => e.message);
    expect(refused, "a leaf cannot create a stream").not.toBe("created");
    // through the hub domain, as the host's KV client writes it (see podman/client.mjs)
    await patiently("KV puts from home-1", () => client("home-1", { op: "kvput", bucket: "LATTICEDATA_tier", key: "k", from: 1, count: 50 }), 60_000, 1000);
    const before = await client("home-1", { op: "info", stream: "KV_LATTICEDATA_tier" });
    expect(before["replicas"]).toHaveLength(2);
    expect(before["messages"]).toBe(50);
    killed = String(before["leader"]);
    expect(HUBS as readonly string[]).toContain(killed);
    await lab.podman(killed, ["pod", "kill", `tlos-${killed}`]);
    // a new leader among the two survivors; writes and reads go on from the other leaf too
    const after = await patiently("stream leader on a surviving hub", async () => {
      const i = await client("home-2", { op: "info", stream: "KV_LATTICEDATA_tier" });
      return i["leader"] && i["leader"] !== killed ? i : undefined;
    }, 60_000, 1000);
    expect(after["messages"]).toBe(50);
    await patiently("KV puts after the kill", () => client("home-2", { op: "kvput", bucket: "LATTICEDATA_tier", key: "k", from: 51, count: 10 }), 30_000, 1000);
    expect((await client("home-2", { op: "info", stream: "KV_LATTICEDATA_tier" }))["messages"]).toBe(60);
    // (one value per key: a retried put replaces its key, so the count and the values hold either way)
    expect((await client("home-1", { op: "kvget", bucket: "LATTICEDATA_tier", key: "k1" }))["data"]).toBe("msg-1");
    expect((await client("home-1", { op: "kvget", bucket: "LATTICEDATA_tier", key: "k60" }))["data"]).toBe("msg-60");
    done.add("stream");
  }, 240_000);

  it("keeps the last hub up when the two others are down (its health check does not kill it)", async () => {
    needs("stream");
    const survivors = HUBS.filter((h) => h !== killed);
    const [down, last] = survivors as [string, string];
    await lab.podman(down, ["pod", "kill", `tlos-${down}`]);
    // until it has noticed: no route and no meta leader (the state a /healthz check fails in)
    await patiently(`${last} alone, without a meta leader`, async () => {
      const routes = ((await monitor(last, nats(last), "/routez")) as { num_routes?: number }).num_routes;
      const jsz = (await monitor(last, nats(last), "/jsz")) as { meta_cluster?: { leader?: string } };
      return routes === 0 && !jsz.meta_cluster?.leader;
    }, 60_000, 500);
    for (let i = 0; i < 4; i++) {
      const r = await lab.exec(last, ["podman", "healthcheck", "run", nats(last)], { timeoutMs: 30_000 });
      expect(r.code, `health check ${i + 1} of the last hub: ${r.stdout}${r.stderr}`).toBe(0);
    }
    // bring both back the way systemd's Restart=always would: the same start lines again
    for (const h of [killed, down]) await startUnits(h);
    for (const h of HUBS) await patiently(`${h} routes again`, () => routedToAll(h), 90_000, 500);
    for (const h of HUBS) await patiently(`${h} in a 3-peer meta group again`, () => metaOfThree(h), 90_000, 500);
    done.add("survivor");
  }, 240_000);

  it("backs up: the backup container reads a snapshot written by `tlos jetstream backup`", async () => {
    needs("hubs");
    const m = lab.machine("hub-1");
    const services = await dryRun(lab, m);
    const backup = services.find((s) => s.name === "nightly-backup.service");
    expect(backup, "hub-1 has the backup unit").toBeDefined();
    // the S3 stand-in (s3rver, HTTPS like R2) on the lab bridge
    const s3 = await lab.startS3(join(run, "s3"), { key: join(s3tls, "key.pem"), cert: join(s3tls, "cert.pem") }, "tlos-lattice-nightly");
    try {
      // the unit's start lines in order, as the hub's user; `tlos` (on the hub's PATH in
      // production) is node with this repository's CLI, run in the hub machine's network namespace
      const creds = homePath(lab, m, ".config/tlos/lattice/backup.creds");
      expect(existsSync(creds), "the backup creds are where the unit reads them").toBe(true);
      const hostUser = { ...userOf(m), home: homePath(lab, m) };
      for (const line of startLines(backup!)) {
        console.log(`Podman tier: backup step: ${line.slice(0, 160)}`);
        const { argv } = splitCommand(line);
        if (argv[0] === "/usr/bin/env" && argv[1] === "tlos") {
          const args = argv.slice(2).map((a) => substitute(a, backup!.name, hostUser));
          const r = await lab.onMachine("hub-1", ["sh", "-c", 'umask 077; exec "$0" "$@"', process.execPath, TLOS, ...args], { uid: m.uid, timeoutMs: 60_000 });
          expect(r.code, `${line}\n${r.stdout}${r.stderr}`).toBe(0);
          console.log(`Podman tier: ${r.stdout.trim()}`);
          expect(readdirSync(homePath(lab, m, ".local/share/tlos/lattice/nightly/snapshot")), "snapshot files").toContain("KV_LATTICEDATA_tier.snapshot");
        } else {
          await startService(lab, m, { name: backup!.name, entries: [["Service", "ExecStart", line]] });
        }
      }
      const keys = s3.objects();
      expect(keys.some((k) => k.includes("/snapshots/")), `restic wrote a snapshot: ${keys.join(", ")}`).toBe(true);
      done.add("backup");
    } finally {
      await s3.stop();
    }
  }, 240_000);

  it("changes nothing when install.sh runs a second time", async () => {
    needs("installed");
    for (const m of MACHINES) {
      const r = await runInstall(lab, m);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout, `${m.name}: what the second install says`).toContain(`${m.name}: nothing changed`);
      expect(await installState(lab, m), `${m.name}: state after the second install`).toBe(firstInstall.get(m.name));
    }
    done.add("reinstall");
  }, 300_000);

  it("sent nothing towards a non-lab address", async () => {
    expect(await lab.offLabPackets()).toBe(0);
    if (done.size === 8) appendFileSync(join(run, "done"), "ok\n");
  });

  it("ends every process of the run with it (PID namespace under catatonit)", async () => {
    const pids = lab.processes();
    expect(pids.length, "nats-servers, conmon, pasta… were running").toBeGreaterThan(10);
    const startOf = (p: number) => { try { return readFileSync(`/proc/${p}/stat`, "utf8").split(" ")[21]; } catch { return undefined; } };
    const before = new Map(pids.map((p) => [p, startOf(p)]));
    await lab.stop();
    await patiently("every lab process gone", () => [...before].every(([p, t]) => startOf(p) === undefined || startOf(p) !== t), 10_000, 200);
  });
});
