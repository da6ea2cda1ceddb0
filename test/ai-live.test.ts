/**
 * `system:ai` end to end on 127.0.0.1: three hubs from synthesized configs (operator mode, TLS
 * leafnode listener), an edge node's leaf where the requester sits (as a component's host does),
 * and two GPU-pool leaves dialing out with the pool role's creds. In front of stand-in
 * OpenAI-compatible HTTP servers (real HTTP servers in this test: no GPU and no vLLM run here)
 * the pool service runs as `tlos ai serve` (pool gpu-a) and in-process (gpu-b); the router runs
 * with its synthesized creds and xkey and the synthesized routing file, whose gateway endpoint is
 * the one thing rewritten: to a stand-in gateway, since Cloudflare cannot be reached from here.
 * Every process is started and stopped here; every wait is bounded.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, credsAuthenticator, type Msg, type NatsConnection } from "@nats-io/transport-node";
import { AiGateway, AkashGpuPool, Grid, Lattice, TlosNode, writeOutput, type AkashGpuPoolProps } from "../src/index.js";
import { ask, type AskOptions } from "../src/ai/client.js";
import { poolXKey } from "../src/ai/identities.js";
import { startPoolService, type PoolService } from "../src/ai/pool-service.js";
import { recipientsFor, type AiRouting } from "../src/ai/routing.js";
import { startRouter, type Router } from "../src/ai/router.js";
import { xkeySeed } from "../src/ai/seal.js";
import { routerInbox } from "../src/ai/subjects.js";
import { bareLeaf, derivedTls, installHub, installNode, freePorts, realBinary, SEED, settle, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const nats = realBinary("nats-server");
// hubs that check what a leaf sends against the leaf user's permissions (nats-server >= 2.11.16)
const hubNats = realBinary("nats-server-hub");
const openssl = realBinary("openssl");
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HUBS = ["hub-1", "hub-2", "hub-3"];
const LATTICE = "ailab";
const MODEL_A = "tiny/llama-1.5"; // a '.' in the id: percent-encoded in the subject
const MODEL_B = "tiny/other";
const SECRET_WORD = "platypus-7Q";
const IAT = 1_735_689_600;

/** A stand-in OpenAI-compatible server: answers after `delayMs`, counts concurrency, can be turned off. */
class StandIn {
  server: Server | undefined;
  inFlight = 0;
  maxInFlight = 0;
  seen: { path: string; headers: IncomingMessage["headers"]; body: Record<string, unknown> }[] = [];
  status = 200;
  constructor(readonly port: number, readonly name: string, readonly delayMs = 0) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(this.port, "127.0.0.1", () => r()));
  }
  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (s) await new Promise<void>((r) => { s.closeAllConnections(); s.close(() => r()); });
  }
  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.url?.endsWith("/health")) return void res.writeHead(this.status).end();
    let raw = "";
    for await (const c of req) raw += c;
    const body = JSON.parse(raw) as Record<string, unknown>;
    this.seen.push({ path: req.url ?? "", headers: req.headers, body });
    if (this.status !== 200) return void res.writeHead(this.status, { "content-type": "application/json" }).end('{"error":"down"}');
    this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
    await new Promise((r) => setTimeout(r, this.delayMs));
    this.inFlight--;
    const prompt = JSON.stringify(body["messages"] ?? body["prompt"]);
    const text = `${this.name} answers ${prompt}`;
    if (body["stream"] === true) {
      res.writeHead(200, { "content-type": "text/event-stream" });
      for (const part of ["one ", "two ", "three"]) res.write(`data: ${JSON.stringify({ object: "chat.completion.chunk", model: body["model"], choices: [{ index: 0, delta: { content: part } }] })}\n\n`);
      return void res.end("data: [DONE]\n\n");
    }
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ object: "chat.completion", model: body["model"], choices: [{ index: 0, message: { role: "assistant", content: text } }] }));
  }
}

const POOL_PROPS = (model: string): AkashGpuPoolProps => ({ gpu: { model: "h100", units: 1 }, inference: { model }, pricing: { denom: "uact", amount: 1000 } });

describe.skipIf(!nats || !hubNats || !openssl)("system:ai end to end on a live lattice", () => {
  const procs: ChildProcess[] = [];
  const conns: NatsConnection[] = [];
  let root: string;
  let out: string;
  let hubClient: (i: number) => string;
  let edge: NatsConnection;
  let routing: AiRouting;
  let router: Router;
  let poolB: PoolService;
  let leafPorts: Record<string, number>;
  let edgeUrl: string;
  let scope: string;
  let leafUrls: string[];
  let inferA: StandIn;
  let inferB: StandIn;
  let gateway: StandIn;
  let admin: Uint8Array;

  const request = (o: Partial<AskOptions> & { content?: string }) => ask(edge, {
    lattice: LATTICE, op: "chat.completions", model: MODEL_A, body: { messages: [{ role: "user", content: o.content ?? `tell me about the ${SECRET_WORD}` }] },
    recipients: recipientsFor(routing, o.model ?? MODEL_A, true), timeoutMs: 20_000, ...o,
  });

  beforeAll(async () => {
    root = tempDir("tlos-ai-");
    out = join(root, "out");
    const p = await freePorts(HUBS.length * 4 + 2 + 2 + 2 + 3);
    const hubPorts = Object.fromEntries(HUBS.map((id, i) => [id, { client: p[i * 4]!, cluster: p[i * 4 + 1]!, leafnode: p[i * 4 + 2]!, monitor: p[i * 4 + 3]! }]));
    hubClient = (i) => `nats://127.0.0.1:${hubPorts[HUBS[i]!]!.client}`;
    leafPorts = { "gpu-a": p[14]!, "gpu-b": p[15]! };
    const grid = new Grid("ai");
    const lattice = new Lattice(grid, "lattice", {
      name: LATTICE,
      wasmcloud: "v1",
      hubs: HUBS.map((id) => ({ id, host: "127.0.0.1", bind: "127.0.0.1", ports: hubPorts[id], storeDir: join(root, id, "data"), configDir: join(root, id, "etc"), jetstream: { maxMemory: "32Mi", maxFile: "64Mi" } })),
    });
    new TlosNode(lattice, "edge-1", { target: "podman", nats: { clientPort: p[12]!, monitorPort: p[13]!, storeDir: join(root, "edge-1", "data"), configDir: join(root, "edge-1", "etc"), jetstream: { maxMemory: "16Mi", maxFile: "32Mi" } } });
    new AkashGpuPool(lattice, "gpu-a", POOL_PROPS(MODEL_A));
    new AkashGpuPool(lattice, "gpu-b", POOL_PROPS(MODEL_B));
    new AiGateway(lattice, "ai", { accountId: "0123456789abcdef0123456789abcdef", fallbacks: [{ provider: "openai", model: "gpt-4o-mini" }] });
    scope = lattice.path;
    leafUrls = lattice.leafUrls();
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    // the CA and hub certificates derived from the master seed, as the hubs' bundles carry them
    derivedTls(out, join(root, "tls"), HUBS);
    const tls = join(root, "tls");
    for (const id of HUBS) procs.push(startProcess(hubNats!, ["-c", installHub(out, root, id)], join(root, `${id}.log`)));
    procs.push(startProcess(nats!, ["-c", installNode(out, root, "edge-1")], join(root, "edge-1.log")));
    // the GPU pools' leaves: the leaf config the SDL carries (ports and paths local), dialing out
    // with the creds from the deployable SDL (the pool role)
    for (const [i, pool] of ["gpu-a", "gpu-b"].entries()) {
      const sdl = readFileSync(join(out, `secrets/lattice/akash/${pool}/deploy.yaml`), "utf8");
      const creds = Buffer.from(/NATS_CREDS_B64=(\S+)/.exec(sdl)![1]!, "base64").toString();
      const conf = bareLeaf(join(root, pool), { serverName: pool, clientPort: leafPorts[pool]!, monitorPort: p[16 + i]!, hubs: lattice.leafUrls(), creds, caFile: join(tls, "ca.pem") });
      procs.push(startProcess(nats!, ["-c", conf], join(root, `${pool}.log`)));
    }
    inferA = new StandIn(p[18]!, "gpu-a", 300);
    inferB = new StandIn(p[19]!, "gpu-b");
    gateway = new StandIn(p[20]!, "gateway");
    await Promise.all([inferA.start(), inferB.start(), gateway.start()]);
    admin = readFileSync(join(out, "secrets/lattice/admin.creds"));
    await waitFor("3 leaves on the hubs", async () => {
      let n = 0;
      for (const id of HUBS) n += ((await (await fetch(`http://127.0.0.1:${hubPorts[id]!.monitor}/leafz`)).json()) as { leafnodes: number }).leafnodes;
      return n === 3;
    }, 60_000, 300);
    edgeUrl = `nats://127.0.0.1:${p[12]}`;
    edge = await connect({ servers: edgeUrl });
    conns.push(edge);
    // pool gpu-a: the CLI, with the xkey seed the deployable SDL carries
    const sdl = readFileSync(join(out, "secrets/lattice/akash/gpu-a/deploy.yaml"), "utf8");
    const seedA = /TLOS_AI_XKEY_SEED=(SX[A-Z2-7]+)/.exec(sdl)?.[1];
    expect(seedA).toBe(xkeySeed(poolXKey(SEED, lattice.path, "gpu-a")));
    writeFileSync(join(root, "gpu-a.xkey"), `${seedA}\n`, { mode: 0o600 });
    const serve = spawn(process.execPath, [join(ROOT, "bin/tlos.mjs"), "ai", "serve", "--server", `nats://127.0.0.1:${leafPorts["gpu-a"]}`, "--lattice", LATTICE, "--pool", "gpu-a", "--model", MODEL_A, "--upstream", `http://127.0.0.1:${inferA.port}/v1`, "--xkey-seed-file", join(root, "gpu-a.xkey"), "--max-in-flight", "4", "--timeout", "10000", "--health-every", "300"], { stdio: ["ignore", "pipe", "pipe"] });
    procs.push(serve);
    let serveOut = "";
    serve.stdout.on("data", (d) => (serveOut += d));
    serve.stderr.on("data", (d) => (serveOut += d));
    // pool gpu-b: in-process, on its own leaf
    const ncB = await connect({ servers: `127.0.0.1:${leafPorts["gpu-b"]}` });
    conns.push(ncB);
    poolB = await startPoolService({ nc: ncB, lattice: LATTICE, pool: "gpu-b", model: MODEL_B, upstream: `http://127.0.0.1:${inferB.port}/v1`, xkey: poolXKey(SEED, lattice.path, "gpu-b"), maxInFlight: 2, healthEveryMs: 300 });
    await waitFor("tlos ai serve", () => serveOut.includes("system:ai pool gpu-a serving"), 20_000);
    // the router: synthesized routing file (gateway endpoint pointed at the stand-in), creds, xkey
    const synthesized = JSON.parse(readFileSync(join(out, "lattice/ai/ai-routing.json"), "utf8")) as AiRouting;
    routing = { ...synthesized, routes: synthesized.routes.map((r) => (r.kind === "ai-gateway" ? { ...r, endpoint: `http://127.0.0.1:${gateway.port}/v1/acct/gw/${r.provider}` } : r)) };
    const rc = await connect({ servers: hubClient(0), authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/ai/ai-router.creds"))), inboxPrefix: routerInbox(LATTICE) });
    conns.push(rc);
    const { xkeyFromSeed } = await import("../src/ai/seal.js");
    router = await startRouter({ nc: rc, routing, xkey: xkeyFromSeed(readFileSync(join(out, "secrets/lattice/ai/ai-router.xkey"), "utf8")), gateway: { token: "cf-token", providerKeys: { openai: "sk-test" } }, ackTimeoutMs: 3000, discoverEveryMs: 1000 });
    await waitFor("the router to discover both pools", async () => (await router.discover()).length === 2, 30_000, 300);
  }, 150_000);

  afterAll(async () => {
    await router?.close().catch(() => undefined);
    await poolB?.close().catch(() => undefined);
    await Promise.all(conns.map((c) => c.close().catch(() => undefined)));
    await Promise.all(procs.map((p) => stopProcess(p)));
    await Promise.all([inferA?.stop(), inferB?.stop(), gateway?.stop()]);
  });

  /** Every message a hub carries while `f` runs, as seen by an admin subscriber on `>`. */
  async function watchHub<T>(f: () => Promise<T>): Promise<{ result: T; seen: Msg[] }> {
    const spy = await connect({ servers: hubClient(2), authenticator: credsAuthenticator(admin) });
    const seen: Msg[] = [];
    spy.subscribe(">", { callback: (_e, m) => void seen.push(m) });
    await spy.flush();
    try {
      const result = await f();
      await spy.flush();
      return { result, seen };
    } finally {
      await spy.close();
    }
  }

  it("lists every pool service with its model through standard $SRV.PING.system-ai discovery (by the router's identity)", async () => {
    // pools reply only to the router's inbox prefix: discovery is the router's (its creds, its prefix)
    const nc = await connect({ servers: hubClient(1), authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/ai/ai-router.creds"))), inboxPrefix: routerInbox(LATTICE) });
    conns.push(nc);
    const pings: { name: string; id: string; metadata: Record<string, string> }[] = [];
    for await (const m of await nc.requestMany("$SRV.PING.system-ai", "", { strategy: "timer", maxWait: 1500 })) pings.push(m.json());
    const pools = pings.filter((x) => x.metadata["role"] === "pool").map((x) => [x.metadata["pool"], x.metadata["model"]]).sort();
    expect(pools).toEqual([["gpu-a", MODEL_A], ["gpu-b", MODEL_B]]);
    expect(new Set(pings.map((x) => x.name))).toEqual(new Set(["system-ai"]));
    // the same request from anyone else's inbox gets no pool answer
    const other = await connect({ servers: hubClient(1), authenticator: credsAuthenticator(admin) });
    conns.push(other);
    const strangers: unknown[] = [];
    for await (const m of await other.requestMany("$SRV.PING.system-ai", "", { strategy: "timer", maxWait: 1000 })) strangers.push(m);
    expect(strangers).toEqual([]);
    // INFO names each endpoint's subject and queue group (one per model)
    const infos: { metadata: Record<string, string>; endpoints: { subject: string; queue_group: string }[] }[] = [];
    for await (const m of await nc.requestMany("$SRV.INFO.system-ai", "", { strategy: "timer", maxWait: 1500 })) infos.push(m.json());
    const a = infos.find((x) => x.metadata["pool"] === "gpu-a")!;
    expect(a.endpoints.map((e) => [e.subject, e.queue_group])).toEqual([
      [`tlos.ai.${LATTICE}.pool.gpu-a.tiny/llama-1%2E5.chat.completions`, "tiny/llama-1%2E5"],
      [`tlos.ai.${LATTICE}.pool.gpu-a.tiny/llama-1%2E5.completions`, "tiny/llama-1%2E5"],
    ]);
    // the key it advertises is the one the routing file tells requesters to seal to
    expect(recipientsFor(routing, MODEL_A, false)).toEqual([a.metadata["xkey"]]);
  }, 20_000);

  it("answers from the pool, sealed end to end: the hubs carry no plaintext prompt or result", async () => {
    const { result: r, seen } = await watchHub(() => request({ recipients: recipientsFor(routing, MODEL_A, false) }));
    expect(r.error).toBeUndefined();
    expect(r.route).toBe("pool:gpu-a");
    expect(JSON.stringify(r.values[0])).toContain(`gpu-a answers`);
    expect(JSON.stringify(r.values[0])).toContain(SECRET_WORD);
    // the inference server got the prompt in clear, with the pool's model
    expect(inferA.seen.at(-1)?.body).toMatchObject({ model: MODEL_A, stream: false, messages: [{ role: "user", content: `tell me about the ${SECRET_WORD}` }] });
    // the hub saw the request and the answer go by — as ciphertext only
    const subjects = seen.map((m) => m.subject);
    expect(subjects).toContain(`tlos.ai.${LATTICE}.v1.chat.completions`);
    expect(subjects).toContain(`tlos.ai.${LATTICE}.pool.gpu-a.tiny/llama-1%2E5.chat.completions`);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    for (const m of seen) expect(m.string()).not.toMatch(new RegExp(`${SECRET_WORD}|answers`));
  }, 30_000);

  it("streams chunk by chunk, each sealed, ending with the end marker", async () => {
    const chunks: unknown[] = [];
    const r = await ask(edge, { lattice: LATTICE, op: "chat.completions", model: MODEL_A, stream: true, body: { messages: [{ role: "user", content: "count" }] }, recipients: recipientsFor(routing, MODEL_A, false), timeoutMs: 20_000 }, (c) => chunks.push(c));
    expect(r.error).toBeUndefined();
    expect(chunks.map((c) => (c as { choices: { delta: { content: string } }[] }).choices[0]!.delta.content).join("")).toBe("one two three");
    expect(r.wire.map((w) => [w.seq, w.end === true, typeof w.sealed])).toEqual([[0, false, "string"], [1, false, "string"], [2, false, "string"], [undefined, true, "undefined"]]);
    expect(new Set(r.wire.map((w) => w.route))).toEqual(new Set(["pool:gpu-a"]));
    // what went over the wire is what the versioned schema says
    const schema = JSON.parse(readFileSync(join(ROOT, "schemas/system-ai-v1.schema.json"), "utf8")) as { oneOf: unknown };
    const { compile, report } = await import("../src/validate/schemas.js");
    const valid = await compile("system-ai-v1", () => schema);
    for (const w of r.wire) expect(report(valid, w)).toEqual([]);
  }, 30_000);

  it("refuses an unknown model, and a request without a key where the lattice allows no plaintext", async () => {
    const unknown = await request({ model: "nobody/serves-this", recipients: recipientsFor(routing, MODEL_A, false) });
    expect(unknown.error?.code).toBe("unknown-model");
    const plain = await request({ recipients: undefined });
    expect(plain.error).toMatchObject({ code: "plaintext-refused" });
    expect(inferA.seen.some((s) => JSON.stringify(s.body).includes("nobody"))).toBe(false);
  }, 30_000);

  it("answers 50 concurrent requests against a pool limited to 4 in flight: each answered or refused as busy, none lost", async () => {
    inferA.maxInFlight = 0;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => request({ content: `q${i}`, recipients: recipientsFor(routing, MODEL_A, false) })));
    const answered = results.filter((r) => !r.error);
    const busy = results.filter((r) => r.error?.code === "busy");
    expect(answered.length + busy.length, JSON.stringify(results.filter((r) => r.error && r.error.code !== "busy").map((r) => r.error))).toBe(50);
    expect(answered.length).toBeGreaterThanOrEqual(4);
    expect(busy.length).toBeGreaterThan(0);
    expect(inferA.maxInFlight).toBeLessThanOrEqual(4);
    for (const r of answered) expect(r.route).toBe("pool:gpu-a");
    // every answer is the one for its own question
    results.forEach((r, i) => { if (!r.error) expect(JSON.stringify(r.values[0])).toContain(`q${i}`); });
    expect(busy[0]?.error?.message).toMatch(/4 requests in flight/);
  }, 60_000);

  it("falls back to the AI Gateway when the pool's inference server is down, and says so", async () => {
    await inferA.stop();
    const r = await request({});
    expect(r.error).toBeUndefined();
    expect(r.route).toBe("gateway:openai/gpt-4o-mini");
    const call = gateway.seen.at(-1)!;
    expect(call.path).toBe("/v1/acct/gw/compat/chat/completions");
    expect(call.headers["cf-aig-authorization"]).toBe("Bearer cf-token");
    expect(call.headers["authorization"]).toBe("Bearer sk-test");
    expect(call.body).toMatchObject({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: `tell me about the ${SECRET_WORD}` }] });
    expect(JSON.stringify(r.values[0])).toContain("gateway answers");
    // without the router's key in the request there is no hosted fallback
    const noFallback = await request({ recipients: recipientsFor(routing, MODEL_A, false) });
    expect(noFallback.error?.code).toBe("no-route");
    expect(noFallback.error?.message).toMatch(/pool gpu-a: (unavailable|upstream)/);
    expect(noFallback.error?.message).toMatch(/not sealed to the router's key/);
  }, 30_000);

  it("gives a clear error when the pool and the gateway are both down", async () => {
    gateway.status = 503;
    const r = await request({});
    expect(r.error?.code).toBe("no-route");
    expect(r.error?.message).toMatch(/nothing could serve tiny\/llama-1\.5: pool gpu-a: \w+ .*; gateway openai\/gpt-4o-mini: upstream \(HTTP 503/);
    gateway.status = 200;
  }, 30_000);

  it("tlos ai ask answers from the command line and names the route", async () => {
    const routingFile = join(root, "routing.json");
    writeFileSync(routingFile, JSON.stringify(routing));
    // not spawnSync: the router and pool gpu-b run in this process and must keep answering
    const child = spawn(process.execPath, [join(ROOT, "bin/tlos.mjs"), "ai", "ask", "--server", edgeUrl, "--routing", routingFile, "--model", MODEL_B, "--no-fallback", "hello", "there"], { stdio: ["ignore", "pipe", "pipe"] });
    procs.push(child);
    const run = { stdout: "", stderr: "", status: null as number | null };
    child.stdout.on("data", (d) => (run.stdout += d));
    child.stderr.on("data", (d) => (run.stderr += d));
    run.status = await new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('gpu-b answers [{"role":"user","content":"hello there"}]');
    expect(run.stderr).toContain("route: pool:gpu-b, sealed end to end");
  }, 40_000);

  it("gives the pool identity nothing beyond serving: no other publish, no other subscription", async () => {
    // what the pool's service sees: its local leaf, bridged by the pool role's creds
    const pool = await connect({ servers: `127.0.0.1:${leafPorts["gpu-b"]}` });
    conns.push(pool);
    const hub = await connect({ servers: hubClient(0), authenticator: credsAuthenticator(admin) });
    conns.push(hub);
    const atHub: string[] = [];
    for (const s of ["wasmbus.>", `tlos.ai.${LATTICE}.>`, "$SRV.>", "$JS.>", "wadm.>", "elsewhere.>"]) hub.subscribe(s, { callback: (_e, m) => void (m.string() === "forged" && atHub.push(m.subject)) });
    const atPool: string[] = [];
    for (const s of ["wasmbus.>", `tlos.ai.${LATTICE}.v1.>`, "_INBOX.>", "wadm.>"]) pool.subscribe(s, { callback: (_e, m) => void (m.string() === "private" && atPool.push(m.subject)) });
    await Promise.all([hub.flush(), pool.flush()]);
    await settle(500);
    // publishing anywhere but a reply inbox does not leave the pool
    for (const s of [`wasmbus.ctl.v1.${LATTICE}.host.stop.x`, `tlos.ai.${LATTICE}.v1.chat.completions`, `tlos.ai.${LATTICE}.pool.gpu-a.x.chat.completions`, "$SRV.PING.system-ai", "$JS.API.INFO", "wadm.api.ailab.model.list", "elsewhere.x"]) pool.publish(s, "forged");
    // and what others publish on the lattice does not reach it
    for (const s of [`wasmbus.ctl.v1.${LATTICE}.host.ping`, `tlos.ai.${LATTICE}.v1.chat.completions`, "_INBOX.someone.1", "wadm.api.ailab.model.list"]) hub.publish(s, "private");
    await Promise.all([hub.flush(), pool.flush()]);
    await settle(1000);
    expect(atHub, atHub.join(" ")).toEqual([]);
    // (the leaf delivers the pool's own publishes to its own local subscriptions: hence "private" only)
    expect(atPool, atPool.join(" ")).toEqual([]);
    // a JetStream request from the pool gets no answer
    await expect(pool.request("$JS.API.INFO", "", { timeout: 1000 })).rejects.toThrow();
    // the same creds on a client connection to a hub: everything else is a permissions violation
    const direct = await connect({ servers: hubClient(1), authenticator: credsAuthenticator(readFileSync(join(root, "gpu-b", "leaf.creds"))) });
    conns.push(direct);
    const errors: string[] = [];
    (async () => { for await (const s of direct.status()) if (s.type === "error") errors.push(String((s as { error?: unknown }).error)); })();
    direct.publish(`tlos.ai.${LATTICE}.v1.chat.completions`, "x");
    direct.publish("_INBOX.someone.1", "x");
    direct.subscribe("wasmbus.>");
    await waitFor("three permission violations", () => errors.filter((e) => /Permissions Violation/.test(e)).length >= 3, 5000);
  }, 30_000);

  it("needs publish on the router's inbox for a pool behind a leaf: `resp` alone does not cross the leaf connection", async () => {
    // the pool role with `resp` instead of the inbox publish, as a third leaf (nats-server 2.10
    // leaf, hubs as above): requests reach it, its replies never leave it
    const [client, monitor] = await freePorts(2);
    const { userJwt, creds } = await import("../src/nats/jwt.js");
    const { deriveKeyPair } = await import("../src/nats/keys.js");
    const { aiPoolRole } = await import("../src/nats/roles.js");
    const u = deriveKeyPair(SEED, "user", "gpu-c");
    const perms = { pub: [], sub: aiPoolRole(LATTICE).perms!.sub!, resp: { max: 10_000, ttlSeconds: 600 } };
    const conf = bareLeaf(join(root, "gpu-c"), { serverName: "gpu-c", clientPort: client!, monitorPort: monitor!, hubs: leafUrls, creds: creds(userJwt("gpu-c", u, deriveKeyPair(SEED, "account", `${scope}/LATTICE`), ["LEAFNODE"], IAT, perms), u), caFile: join(root, "tls", "ca.pem") });
    const leaf = startProcess(nats!, ["-c", conf], join(root, "gpu-c.log"));
    procs.push(leaf);
    const svc = await waitFor("gpu-c leaf", () => connect({ servers: `127.0.0.1:${client}`, reconnect: false }), 10_000);
    conns.push(svc);
    let received = 0;
    svc.subscribe(`tlos.ai.${LATTICE}.pool.gpu-c.probe`, { callback: (_e, m) => { received++; m.respond("pong"); } });
    await svc.flush();
    const hub = await connect({ servers: hubClient(0), authenticator: credsAuthenticator(admin) });
    conns.push(hub);
    await waitFor("the probe to reach gpu-c", async () => {
      await hub.request(`tlos.ai.${LATTICE}.pool.gpu-c.probe`, "ping", { timeout: 500 }).catch(() => undefined);
      return received > 0;
    }, 15_000, 200);
    await expect(hub.request(`tlos.ai.${LATTICE}.pool.gpu-c.probe`, "ping", { timeout: 1500 })).rejects.toThrow(/timeout|TIMEOUT/i);
    await stopProcess(leaf);
  }, 40_000);

  it("gives the router identity only the router's subjects", async () => {
    const rc = await connect({ servers: hubClient(2), authenticator: credsAuthenticator(readFileSync(join(out, "secrets/lattice/ai/ai-router.creds"))), inboxPrefix: routerInbox(LATTICE) });
    conns.push(rc);
    const errors: string[] = [];
    (async () => { for await (const s of rc.status()) if (s.type === "error") errors.push(String((s as { error?: unknown }).error)); })();
    rc.publish(`wasmbus.ctl.v1.${LATTICE}.host.stop.x`, "x");
    rc.subscribe("_INBOX.>");
    rc.publish(`tlos.ai.${LATTICE}.v1.chat.completions`, "x");
    await waitFor("three permission violations", () => errors.filter((e) => /Permissions Violation/.test(e)).length >= 3, 5000);
    expect(errors.join("\n")).toMatch(/Publish to "wasmbus/);
    expect(errors.join("\n")).toMatch(/Subscription to "_INBOX\.>"/);
  }, 20_000);
});
