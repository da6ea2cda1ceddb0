/**
 * TurnRelay with coturn (Debian package) started from the generated config on 127.0.0.1 — only
 * listen address, ports, TLS files and a loopback allowance are overridden for the test.
 * turnutils_uclient allocates with credentials minted by our `turnRestCredentials`.
 */
import { spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Grid, TurnRelay, turnRestCredentials, mintCloudflareIceServers } from "../src/index.js";
import { makeTestTls } from "../src/validate/nats.js";
import { freePorts, problemsOf, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

// coturn from .validators/bin (npm test fetches it) or PATH; under CI=true a missing one fails
const turnserver = realBinary("turnserver");
const uclient = turnserver ? realBinary("turnutils_uclient") ?? "" : "";
const peerBin = turnserver ? realBinary("turnutils_peer") ?? "" : "";

const grid = () => {
  const g = new Grid("net");
  new TurnRelay(g, "turn", { provider: "coturn", realm: "turn.grid.example.net", externalIp: "203.0.113.7", host: "relay-1" });
  new TurnRelay(g, "cf-turn", { provider: "cloudflare", accountId: "0123456789abcdef0123456789abcdef" });
  return g;
};

describe("TurnRelay output", () => {
  it("keeps the shared secret out of every non-secret file and denies private ranges", () => {
    const files = grid().synth({ masterSeed: SEED }).files;
    const secret = files.find((f) => f.path === "secrets/turn/turn/shared-secret")!.content.trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    for (const f of files.filter((x) => !x.secret)) expect(f.content).not.toContain(secret);
    const conf = files.find((f) => f.path === "turn/turn/turnserver.conf")!.content;
    expect(conf).toContain("static-auth-secret=<secret:turn-shared-secret>");
    for (const r of ["10.0.0.0-10.255.255.255", "172.16.0.0-172.31.255.255", "192.168.0.0-192.168.255.255", "127.0.0.0-127.255.255.255", "fc00::-fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"]) expect(conf).toContain(`denied-peer-ip=${r}`);
    expect(conf).toMatch(/min-port=49152\nmax-port=49407/);
    expect(files.find((f) => f.path === "cloudflare/turn-cf-turn.json")!.content).toContain('"resource": "cloudflare:index/callsTurnApp:CallsTurnApp"');
  });

  it("refuses bad props with path and field", () => {
    const p = problemsOf(() => {
      const g = new Grid("net");
      new TurnRelay(g, "a", { provider: "coturn", realm: "10.0.0.1", relayPorts: { min: 1000, max: 70000 } });
      new TurnRelay(g, "b", { provider: "coturn", realm: "turn.example.net", relayPorts: { min: 20000, max: 60000 } });
      new TurnRelay(g, "c", { provider: "cloudflare", accountId: "nope" });
      new TurnRelay(g, "d", { provider: "stun" } as never);
      new TurnRelay(g, "e", { provider: "coturn", realm: "turn.example.net", host: "hub-1" });
      new TurnRelay(g, "f", { provider: "coturn", realm: "turn.example.net", host: "Not A Host" });
      new TurnRelay(g, "h", { provider: "coturn", target: "kubernetes", realm: "turn.example.net", host: "relay-1" });
      return g.synth({ masterSeed: SEED });
    });
    expect(p).toEqual(expect.arrayContaining([
      expect.stringMatching(/^\[net\/a\] realm: "10\.0\.0\.1" is not a host name/),
      expect.stringMatching(/^\[net\/a\] relayPorts: .* is not a port range/),
      expect.stringMatching(/^\[net\/b\] relayPorts: 40001 relay ports is too many/),
      expect.stringMatching(/^\[net\/c\] accountId: "nope" is not a Cloudflare account id/),
      expect.stringMatching(/^\[net\/d\] provider: "stun" is not a TURN provider/),
      expect.stringMatching(/^\[net\/a\] host: name the machine that runs the relay/),
      expect.stringMatching(/^\[net\/f\] host: "Not A Host" is not a valid id/),
      expect.stringMatching(/^\[net\/h\] host: only a "podman" relay runs on a named host/),
    ]));
    expect(p.some((x) => x.startsWith("[net/e]"))).toBe(false);
  });
});

describe.skipIf(!turnserver || !realBinary("openssl"))("coturn from the generated config", () => {
  const procs: ChildProcess[] = [];
  let port = 0, peerPort = 0, secret = "", dir = "";
  beforeAll(async () => {
    dir = tempDir("tlos-turn-");
    const files = grid().synth({ masterSeed: SEED }).files;
    secret = files.find((f) => f.path === "secrets/turn/turn/shared-secret")!.content.trim();
    const p = await freePorts(3);
    [port, peerPort] = [p[0]!, p[2]!];
    expect(makeTestTls(realBinary("openssl")!, join(dir, "tls"))).toBe(true);
    // overrides: loopback listener and relay, free ports, test TLS files; loopback peers allowed
    // only for 127.0.0.1 (the test peer) — 127/8 stays denied otherwise, like every private range
    const conf = files.find((f) => f.path === "secrets/turn/turn/turnserver.conf")!.content
      .replace(/^listening-ip=.*$/m, "listening-ip=127.0.0.1\nrelay-ip=127.0.0.1")
      .replace(/^external-ip=.*\n/m, "")
      .replace(/^listening-port=.*$/m, `listening-port=${port}`)
      .replace(/^tls-listening-port=.*$/m, `tls-listening-port=${p[1]}`)
      .replace(/^min-port=.*$/m, "min-port=50200").replace(/^max-port=.*$/m, "max-port=50300")
      .replace(/^cert=.*$/m, `cert=${join(dir, "tls/server.pem")}`).replace(/^pkey=.*$/m, `pkey=${join(dir, "tls/server-key.pem")}`)
      + `allow-loopback-peers\nallowed-peer-ip=127.0.0.1\npidfile=${join(dir, "turn.pid")}\n`;
    writeFileSync(join(dir, "turnserver.conf"), conf);
    procs.push(startProcess(turnserver!, ["-c", join(dir, "turnserver.conf")], join(dir, "turn.log")));
    procs.push(startProcess(peerBin, ["-L", "127.0.0.1", "-p", String(peerPort)], join(dir, "peer.log")));
    await waitFor("coturn listening", () => /Total General servers|Relay ports initialization done/.test(readFileSync(join(dir, "turn.log"), "utf8")), 15_000);
  }, 30_000);
  afterAll(async () => { for (const p of procs) await stopProcess(p); });

  const allocate = (user: string, pass: string, peer = "127.0.0.1") =>
    spawnSync(uclient, ["-p", String(port), "-u", user, "-w", pass, "-e", peer, "-r", String(peerPort), "-n", "5", "127.0.0.1"], { encoding: "utf8", timeout: 20_000 });

  it("allocates and relays with credentials minted from the shared secret", () => {
    const c = turnRestCredentials(secret, "alice", 600);
    const r = allocate(c.username, c.credential);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Total lost packets 0 /);
    expect(readFileSync(join(dir, "turn.log"), "utf8")).not.toMatch(/Bad configuration|CONFIG ERROR/i);
  });

  it("refuses wrong and expired credentials", () => {
    const c = turnRestCredentials(secret, "alice", 600);
    const wrong = allocate(c.username, turnRestCredentials("another-secret", "alice", 600).credential);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/Cannot complete Allocation/);
    const expired = turnRestCredentials(secret, "alice", -10);
    expect(allocate(expired.username, expired.credential).stdout).toMatch(/Cannot complete Allocation/);
  });

  it("refuses to relay to a denied address (the private-range rule, shown on loopback so no packet leaves)", () => {
    const c = turnRestCredentials(secret, "alice", 600);
    const r = allocate(c.username, c.credential, "127.0.0.2");
    expect(r.status).not.toBe(0);
    expect(r.stdout).toMatch(/403 \(Forbidden IP\)/);
    expect(readFileSync(join(dir, "turn.log"), "utf8")).toMatch(/peer IP 127\.0\.0\.2 denied in the range: 127\.0\.0\.0-127\.255\.255\.255/);
  });
});

describe("Cloudflare ICE credentials", () => {
  it("are minted with the key against the generate-ice-servers endpoint (a local stand-in of Cloudflare's API)", async () => {
    let seen: { url?: string; auth?: string; body?: string } = {};
    const srv = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen = { url: req.url, auth: req.headers.authorization, body };
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ iceServers: [{ urls: ["turn:turn.cloudflare.com:3478?transport=udp"], username: "u", credential: "c" }] }));
      });
    });
    await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
    const base = `http://127.0.0.1:${(srv.address() as import("node:net").AddressInfo).port}/v1/turn/keys`;
    const ice = await mintCloudflareIceServers("key-id", "key-secret", 3600, base);
    srv.close();
    expect(seen).toEqual({ url: "/v1/turn/keys/key-id/credentials/generate-ice-servers", auth: "Bearer key-secret", body: '{"ttl":3600}' });
    expect(ice.iceServers[0]?.username).toBe("u");
  });
});

describe.skipIf(!realBinary("quadlet"))("the coturn Quadlet unit", () => {
  it("passes quadlet -dryrun", async () => {
    const { writeOutput } = await import("../src/index.js");
    const { quadletDryRun } = await import("../src/validate/quadlet.js");
    const out = join(tempDir(), "out");
    writeOutput(grid().synth({ masterSeed: SEED }), out);
    const r = await quadletDryRun(realBinary("quadlet")!, join(out, "turn/turn/quadlet"));
    expect(r.ok, r.output).toBe(true);
    expect(r.output).toMatch(/--publish 49152-49407:49152-49407\/udp/);
  });
});

describe("coturn on Kubernetes and on Akash", () => {
  const make = () => {
    const g = new Grid("net");
    new TurnRelay(g, "kturn", { provider: "coturn", target: "kubernetes", realm: "turn.grid.example.net" });
    new TurnRelay(g, "aturn", { provider: "coturn", target: "akash", realm: "turn2.grid.example.net", relayPorts: { min: 50000, max: 50031 }, akash: { pricing: { denom: "uact", amount: 1000 } } });
    return g.synth({ masterSeed: SEED }).files;
  };

  it("emits Kubernetes objects that pass kubernetes-models, the config only in a Secret under secrets/", async () => {
    const { k8sChecks } = await import("../src/validate/k8s.js");
    const files = make();
    const objs = files.find((f) => f.path === "turn/kturn/k8s/turn.yaml")!;
    const checks = [...(await k8sChecks(objs.content)), ...(await k8sChecks(files.find((f) => f.path === "secrets/turn/kturn/k8s/turn-secret.yaml")!.content))];
    expect(checks.map((c) => [c.name, c.checkedBy, c.problems])).toEqual([["Namespace/turn", "kubernetes-models", []], ["Deployment/tlos-kturn", "kubernetes-models", []], ["Secret/tlos-kturn-config", "kubernetes-models", []]]);
    expect(objs.content).toMatch(/hostNetwork: true/);
    expect(objs.content).not.toMatch(/static-auth-secret/);
  });

  it("emits an Akash SDL on a leased IP that chain-sdk and the Go rules accept, each relay port exposed", async () => {
    const { sdlProblems } = await import("../src/validate/akash.js");
    const files = make();
    for (const f of files.filter((x) => x.path.endsWith("aturn/akash/deploy.yaml"))) expect(await sdlProblems(f.content), f.path).toEqual([]);
    const sdl = (await import("yaml")).parse(files.find((f) => f.path === "turn/aturn/akash/deploy.yaml")!.content);
    expect(sdl.endpoints).toEqual({ turnip: { kind: "ip" } });
    expect(sdl.services.aturn.expose.length).toBe(3 + 32);
    expect(sdl.services.aturn.expose.every((e: { to: { global: boolean; ip: string }[] }) => e.to[0]!.global && e.to[0]!.ip === "turnip")).toBe(true);
    // the IP endpoint rules of Akash's Go parser catch a broken copy
    const { goRuleProblems } = await import("../src/akash/go-rules.js");
    const broken = structuredClone(sdl);
    broken.services.aturn.expose[0].to[0].global = false;
    broken.endpoints.spare = { kind: "ip" };
    expect(goRuleProblems(broken).map((x) => x.message)).toEqual(expect.arrayContaining([expect.stringMatching(/if an IP is declared the directive must be declared as global/), expect.stringMatching(/endpoint "spare" declared but never used/)]));
  });

  it("refuses more than 64 relay ports on Akash", () => {
    const p = problemsOf(() => {
      const g = new Grid("net");
      new TurnRelay(g, "aturn", { provider: "coturn", target: "akash", realm: "turn.example.net", relayPorts: { min: 50000, max: 50200 }, akash: { pricing: { denom: "uact", amount: 1000 } } });
      return g.synth({ masterSeed: SEED });
    });
    expect(p).toContainEqual(expect.stringMatching(/^\[net\/aturn\] relayPorts: 201 relay ports cannot be exposed on Akash/));
  });
});

describe("TurnRelay on an old Podman", () => {
  const problems = (podmanVersion: string) => problemsOf(() => {
    const g = new Grid("t");
    new TurnRelay(g, "turn", { provider: "coturn", realm: "turn.example.net", podmanVersion, host: "relay-1" });
    return g.synth({ masterSeed: SEED });
  });

  it("refuses every key it cannot emit, never drops one silently (UserNS= and Secret= need Podman 4.5)", () => {
    expect(problems("4.4")).toEqual([
      "[t/turn] podmanVersion: Quadlet key 'UserNS' in [Container] needs Podman 4.5 or newer; the target is Podman 4.4 (set podman.version to '4.5' or drop the key)",
      ...Array.from({ length: 3 }, () => "[t/turn] podmanVersion: Quadlet key 'Secret' in [Container] needs Podman 4.5 or newer; the target is Podman 4.4 (set podman.version to '4.5' or drop the key)"),
    ]);
    expect(problems("4.5")).toEqual([]);
  });
});

describe("coturn never relays to its own host or the grid's", () => {
  it("denies its external-ip and every address the grid's hubs and published ports listen on", async () => {
    const { Lattice, TlosNode } = await import("../src/index.js");
    const g = new Grid("net");
    const lattice = new Lattice(g, "lattice", { hubs: [1, 2, 3].map((i) => ({ id: `hub-${i}`, host: `198.51.${i}.10` })) });
    new TlosNode(lattice, "home-1", { target: "podman", publishPorts: [{ host: 9000, container: 9000, hostIp: "192.0.2.44" }] });
    new TurnRelay(g, "turn", { provider: "coturn", realm: "turn.grid.example.net", externalIp: "203.0.113.7", host: "relay-1" });
    const conf = g.synth({ masterSeed: SEED }).files.find((f) => f.path.endsWith("turn/turn/turnserver.conf") && !f.secret)?.content ?? "";
    const denied = conf.split("\n").filter((l) => l.startsWith("denied-peer-ip=")).map((l) => l.slice("denied-peer-ip=".length));
    for (const a of ["203.0.113.7", "198.51.1.10", "198.51.2.10", "198.51.3.10", "192.0.2.44"]) expect(denied).toContain(a);
  });
});
