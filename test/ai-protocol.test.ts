/** The system:ai message schema, sealing, subjects and roles, without a server. */
import { readFileSync } from "node:fs";
import { createCurve } from "@nats-io/nkeys";
import { describe, expect, it } from "vitest";
import { gatewayUrl } from "../src/ai/gateway-call.js";
import { poolXKey, routerCreds, routerXKey } from "../src/ai/identities.js";
import { errorReply, parseRequest } from "../src/ai/protocol.js";
import { gatewayCompatEndpoint, recipientsFor, type AiRouting } from "../src/ai/routing.js";
import { openJson, sealJson } from "../src/ai/seal.js";
import { modelToken, poolSubject, publicSubject, routerInbox } from "../src/ai/subjects.js";
import { aiPoolRole } from "../src/nats/roles.js";
import { compile } from "../src/validate/schemas.js";
import { SEED } from "./helpers.js";
import { cloudflareGrid } from "./fixtures/cloudflare.js";

const schema = JSON.parse(readFileSync(new URL("../schemas/system-ai-v1.schema.json", import.meta.url), "utf8")) as object;
const { oneOf: _both, ...defs } = schema as { oneOf: unknown };
const validRequest = await compile("system-ai-request", () => ({ ...defs, $ref: "#/definitions/request" }));
const validReply = await compile("system-ai-reply", () => ({ ...defs, $ref: "#/definitions/reply" }));
const te = new TextEncoder();

describe("system:ai messages", () => {
  const me = createCurve();
  const pool = createCurve();
  const sealed = { v: 1, model: "m", stream: false, from: me.getPublicKey(), sealed: sealJson(me, [pool.getPublicKey()], { messages: [] }) };

  it("match the versioned JSON schema: a sealed request, a plaintext one, replies and errors", () => {
    expect(validRequest(sealed), JSON.stringify(validRequest.errors)).toBe(true);
    expect(validRequest({ v: 1, model: "m", body: { messages: [] } })).toBe(true);
    expect(validRequest({ v: 1, model: "m", body: {}, sealed: sealed.sealed, from: sealed.from })).toBe(false);
    expect(validRequest({ v: 2, model: "m", body: {} })).toBe(false);
    const chunk = { v: 1, route: "pool:gpu-a", seq: 0, by: pool.getPublicKey(), sealed: sealJson(pool, [me.getPublicKey()], { x: 1 })[me.getPublicKey()] };
    expect(validReply(chunk), JSON.stringify(validReply.errors)).toBe(true);
    expect(validReply({ v: 1, route: "gateway:openai/gpt-4o-mini", end: true })).toBe(true);
    expect(validReply(errorReply("busy", "4 in flight", "pool:gpu-a"))).toBe(true);
    expect(validReply({ v: 1, error: { code: "busy", message: "x" } })).toBe(false); // an error always ends
  });

  it("refuses a bad request naming every problem at once", () => {
    const r = parseRequest(te.encode(JSON.stringify({ v: 2, model: "", stream: "yes", from: "Xnope", sealed: { bad: 1 }, extra: true })));
    expect("error" in r && r.error.split("; ")).toEqual([
      "v must be 1, got 2", "model must be a non-empty string", "stream must be true or false", "from must be an xkey public key (X…)",
      "sealed must map xkey public keys to base64 boxes", "unknown field \"extra\"",
    ]);
    expect(parseRequest(te.encode("{nope"))).toEqual({ error: "not JSON" });
    expect(parseRequest(te.encode(JSON.stringify({ v: 1, model: "m" })))).toEqual({ error: "give sealed (or body where plaintext is allowed)" });
    expect(parseRequest(te.encode(JSON.stringify(sealed)))).toEqual(sealed);
  });

  it("opens a box only for its recipient, from its sender, unaltered", () => {
    const box = sealed.sealed[pool.getPublicKey()]!;
    expect(openJson(pool, me.getPublicKey(), box)).toEqual({ messages: [] });
    expect(openJson(createCurve(), me.getPublicKey(), box)).toBeUndefined(); // another key
    expect(openJson(pool, createCurve().getPublicKey(), box)).toBeUndefined(); // a forged sender
    const bytes = Buffer.from(box, "base64");
    bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 1;
    expect(openJson(pool, me.getPublicKey(), bytes.toString("base64"))).toBeUndefined();
  });
});

describe("system:ai subjects and roles", () => {
  it("encode a model id as one reversible subject token", () => {
    expect(modelToken("Qwen/Qwen2.5-7B")).toBe("Qwen/Qwen2%2E5-7B");
    expect(modelToken("a b*c>d%e")).toBe("a%20b%2Ac%3Ed%25e");
    expect(decodeURIComponent(modelToken("Qwen/Qwen2.5-7B"))).toBe("Qwen/Qwen2.5-7B");
    expect(publicSubject("lab", "chat.completions")).toBe("tlos.ai.lab.v1.chat.completions");
    expect(poolSubject("lab", "gpu-a", "m.1", "completions")).toBe("tlos.ai.lab.pool.gpu-a.m%2E1.completions");
  });

  it("mint the router with the router role and give pools the pool role's subjects (src/nats/roles.ts)", () => {
    const claims = (c: string) => JSON.parse(Buffer.from(c.split("\n")[1]!.split(".")[1]!, "base64url").toString()).nats;
    const r = claims(routerCreds(SEED, "g/lattice", "lab", "ai", 1));
    expect(r.pub.allow).toEqual(["tlos.ai.lab.pool.>", "$SRV.PING.system-ai", "$SRV.INFO.system-ai", "$SRV.STATS.system-ai"]);
    expect(r.sub.allow).toEqual(["tlos.ai.lab.v1.>", `${routerInbox("lab")}.>`]);
    // the JWT carries the allowance in nanoseconds, as the server reads a Go duration
    expect(r.resp).toEqual({ max: 10_000, ttl: 600_000_000_000 });
    // pools reply only to the router's inbox, and receive the pool subjects the service uses
    const pool = aiPoolRole("lab").perms!;
    expect(pool.pub).toEqual([`${routerInbox("lab")}.>`]);
    expect(pool.sub).toContain("tlos.ai.lab.pool.>");
    expect(poolSubject("lab", "gpu-a", "m", "chat.completions").startsWith("tlos.ai.lab.pool.")).toBe(true);
  });

  it("send hosted fallbacks over HTTPS only (loopback excepted, for stand-ins)", () => {
    const route = { kind: "ai-gateway" as const, provider: "openai", model: "gpt-4o-mini", endpoint: "https://gateway.ai.cloudflare.com/v1/acct/gw/openai" };
    expect(gatewayCompatEndpoint(route)).toBe("https://gateway.ai.cloudflare.com/v1/acct/gw/compat");
    expect(gatewayUrl(route)).toBe("https://gateway.ai.cloudflare.com/v1/acct/gw/compat/chat/completions");
    expect(() => gatewayUrl({ ...route, endpoint: "http://gateway.example.net/v1/a/g/openai" })).toThrow(/refusing http:\/\/ to the AI Gateway: use https/);
    expect(gatewayUrl({ ...route, endpoint: "http://127.0.0.1:9/v1/a/g/openai" })).toBe("http://127.0.0.1:9/v1/a/g/compat/chat/completions");
  });
});

describe("AiGateway's routing file and the pool's SDL", () => {
  const files = cloudflareGrid().synth({ masterSeed: SEED }).files;
  const routing = JSON.parse(files.find((f) => f.path === "lattice/ai/ai-routing.json")!.content) as AiRouting;

  it("name the keys requesters seal to, derived from the master seed", () => {
    expect(routing).toMatchObject({ lattice: "lattice", plaintext: false, router: { xkey: routerXKey(SEED, "cf/lattice", "ai").getPublicKey() } });
    expect(recipientsFor(routing, "moonshotai/Kimi-K2-Thinking", false)).toEqual([poolXKey(SEED, "cf/lattice", "kimi").getPublicKey()]);
    expect(recipientsFor(routing, "moonshotai/Kimi-K2-Thinking", true)).toHaveLength(2);
    expect(recipientsFor(routing, "nobody", false)).toEqual([]);
  });

  it("keep the pool's and the router's secrets under secrets/ only", () => {
    const pub = files.find((f) => f.path === "lattice/akash/kimi/deploy.yaml")!.content;
    const sec = files.find((f) => f.path === "secrets/lattice/akash/kimi/deploy.yaml")!.content;
    expect(pub).toContain("TLOS_AI_XKEY_SEED=<secret:ai-xkey>");
    expect(sec).toContain(`TLOS_AI_XKEY_SEED=${new TextDecoder().decode(poolXKey(SEED, "cf/lattice", "kimi").getSeed())}`);
    expect(pub).not.toMatch(/SX[A-Z2-7]{50,}/);
    for (const p of ["secrets/lattice/ai/ai-router.creds", "secrets/lattice/ai/ai-router.xkey"]) expect(files.find((f) => f.path === p)?.secret, p).toBe(true);
    for (const f of files.filter((x) => !x.secret)) expect(f.content, f.path).not.toMatch(/SX[A-Z2-7]{50,}/);
    // the AI service runs tlos ai serve against the leaf and the inference server, with 8 per GPU in flight
    expect(pub).toMatch(/'ai' 'serve' '--server' 'nats:\/\/kimi-nats:4222' '--lattice' 'lattice' '--pool' 'kimi' '--model' 'moonshotai\/Kimi-K2-Thinking' '--upstream' 'http:\/\/kimi-inference:8000\/v1' '--xkey-seed-file' '\/tmp\/ai.xkey' '--max-in-flight' '64'/);
  });
});

describe("AiGateway allowPlaintext", () => {
  it("is false by default, written to the routing file, and checked", async () => {
    const { AiGateway, Grid, Lattice } = await import("../src/index.js");
    const { THREE_HUBS } = await import("./fixtures/grids.js");
    const g = new Grid("pt");
    const gw = new AiGateway(new Lattice(g, "lattice", { hubs: THREE_HUBS }), "ai", { accountId: "0123456789abcdef0123456789abcdef", fallbacks: [{ provider: "openai", model: "m" }], allowPlaintext: true });
    expect(gw.routing(SEED).plaintext).toBe(true);
    const { problemsOf } = await import("./helpers.js");
    const p = problemsOf(() => {
      const h = new Grid("bad");
      new AiGateway(new Lattice(h, "lattice", { hubs: THREE_HUBS }), "ai", { accountId: "0123456789abcdef0123456789abcdef", fallbacks: [{ provider: "openai", model: "m" }], allowPlaintext: "yes" as unknown as boolean });
      return h.synth({ masterSeed: SEED });
    });
    expect(p).toContain('[bad/lattice/ai] allowPlaintext: "yes" is not allowed: use true or false');
  });

  it("runs the pool's AI service in a Node image pinned by digest; a tag-only images.ai warns", async () => {
    const r = cloudflareGrid().synth({ masterSeed: SEED });
    expect(r.warnings.some((w) => w.field === "images.ai")).toBe(false);
    const { DEFAULT_NODE_IMAGE } = await import("../src/core/images.js");
    expect(DEFAULT_NODE_IMAGE).toMatch(/^docker\.io\/library\/node:20\.20\.2-alpine@sha256:[0-9a-f]{64}$/);
    const { AkashGpuPool, Grid, Lattice } = await import("../src/index.js");
    const { THREE_HUBS } = await import("./fixtures/grids.js");
    const g = new Grid("tag");
    new AkashGpuPool(new Lattice(g, "lattice", { hubs: THREE_HUBS }), "gpu", { gpu: { model: "h100", units: 1 }, inference: { model: "org/m" }, pricing: { denom: "uakt", amount: 100 }, images: { ai: "docker.io/library/node:20.20-alpine" } });
    expect(g.synth({ masterSeed: SEED }).warnings.some((w) => w.field === "images.ai")).toBe(true);
  });
});
