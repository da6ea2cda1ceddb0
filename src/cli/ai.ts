/**
 * `tlos ai serve | router | ask`: the pool-side `system:ai` service, the router, and an
 * operator's request. Each runs until SIGTERM/SIGINT (serve, router) or until the answer ends (ask).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { TlosError } from "../core/errors.js";
import type { AiRouting } from "../ai/routing.js";
import { connectNats } from "./nats-connect.js";

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

const USAGE = `usage:
  tlos ai serve --server <url> --lattice <name> --pool <id> --model <id> --upstream <url> --xkey-seed-file <file>
                [--max-in-flight <n>] [--timeout <ms>] [--health <url>] [--health-every <ms>] [--allow-plaintext] [--creds <file>]
  tlos ai router --routing <routing.json> --server <url> --creds <file> [--xkey-seed-file <file>]
                 [--gateway-token-file <file>] [--provider-key <provider>=<file>]… [--ack-timeout <ms>] [--tls-ca <file>]
  tlos ai ask --server <url> --model <id> [--routing <routing.json>] [--lattice <name>] [--completions] [--stream]
              [--no-fallback] [--plaintext] [--creds <file>] [--timeout <ms>] <prompt>
`;

const read = (f: string) => readFileSync(f, "utf8").trim();
const int = (v: string | undefined, d: number, what: string) => {
  if (v === undefined) return d;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new TlosError(`--${what} ${JSON.stringify(v)} is not a positive integer`);
  return n;
};
const untilSignal = () => new Promise<void>((resolve) => {
  process.once("SIGTERM", resolve);
  process.once("SIGINT", resolve);
});
/** The xkey in a seed file, or a one-line error naming the file. */
function xkeyOf<K>(parse: (seed: string) => K, file: string): K {
  try {
    return parse(read(file));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") throw new TlosError(`${file}: no such file`);
    throw new TlosError(`${file} does not hold an xkey seed (SX…): ${(e as Error).message}`);
  }
}
const tlsOf = (ca: string | undefined) => (ca ? { tls: { caFile: ca } } : {});

async function serve(args: string[], io: Io): Promise<number> {
  const { values: v } = parseArgs({ args, options: { server: { type: "string", multiple: true }, creds: { type: "string" }, "tls-ca": { type: "string" }, lattice: { type: "string" }, pool: { type: "string" }, model: { type: "string" }, upstream: { type: "string" }, health: { type: "string" }, "xkey-seed-file": { type: "string" }, "max-in-flight": { type: "string" }, timeout: { type: "string" }, "health-every": { type: "string" }, "allow-plaintext": { type: "boolean" } } });
  if (!v.server?.length || !v.lattice || !v.pool || !v.model || !v.upstream || !v["xkey-seed-file"]) {
    io.err(USAGE);
    return 2;
  }
  const { startPoolService } = await import("../ai/pool-service.js");
  const { xkeyFromSeed } = await import("../ai/seal.js");
  const maxInFlight = int(v["max-in-flight"], 8, "max-in-flight");
  const timeoutMs = int(v.timeout, 120_000, "timeout");
  const healthEveryMs = int(v["health-every"], 5000, "health-every");
  const xkey = xkeyOf(xkeyFromSeed, v["xkey-seed-file"]);
  const nc = await connectNats({ servers: v.server, ...(v.creds ? { credsFile: v.creds } : {}), ...tlsOf(v["tls-ca"]) }, `tlos-ai-${v.pool}`, { maxReconnectAttempts: -1 });
  const svc = await startPoolService({
    nc, lattice: v.lattice, pool: v.pool, model: v.model, upstream: v.upstream, ...(v.health ? { health: v.health } : {}),
    xkey, maxInFlight, timeoutMs, healthEveryMs,
    allowPlaintext: v["allow-plaintext"] === true,
    log: (l) => io.out(`${l}\n`),
  });
  io.out(`system:ai pool ${v.pool} serving ${v.model} (at most ${maxInFlight} in flight; inference ${svc.healthy() ? "healthy" : "NOT healthy yet"})\n`);
  await untilSignal();
  await svc.close();
  await nc.drain();
  return 0;
}

function loadRouting(file: string): AiRouting {
  const r = JSON.parse(readFileSync(file, "utf8")) as AiRouting;
  if (r?.interface !== "system:ai" || !Array.isArray(r.routes)) throw new TlosError(`${file} is not a system:ai routing file (AiGateway writes <lattice>/ai/<id>-routing.json)`);
  return r;
}

async function router(args: string[], io: Io): Promise<number> {
  const { values: v } = parseArgs({ args, options: { server: { type: "string", multiple: true }, creds: { type: "string" }, "tls-ca": { type: "string" }, routing: { type: "string" }, "xkey-seed-file": { type: "string" }, "gateway-token-file": { type: "string" }, "provider-key": { type: "string", multiple: true }, "ack-timeout": { type: "string" } } });
  if (!v.server?.length || !v.routing || !v.creds) {
    io.err(USAGE);
    return 2;
  }
  const routing = loadRouting(v.routing);
  const providerKeys: Record<string, string> = {};
  for (const pk of v["provider-key"] ?? []) {
    const [provider, file] = pk.split("=", 2);
    if (!provider || !file) throw new TlosError(`--provider-key ${JSON.stringify(pk)}: use <provider>=<file>`);
    providerKeys[provider] = read(file);
  }
  const { startRouter } = await import("../ai/router.js");
  const { xkeyFromSeed } = await import("../ai/seal.js");
  const { routerInbox } = await import("../ai/subjects.js");
  const xkey = v["xkey-seed-file"] ? xkeyOf(xkeyFromSeed, v["xkey-seed-file"]) : undefined;
  const ackTimeoutMs = int(v["ack-timeout"], 3000, "ack-timeout");
  const nc = await connectNats({ servers: v.server, credsFile: v.creds, ...tlsOf(v["tls-ca"]) }, "tlos-ai-router", { maxReconnectAttempts: -1, inboxPrefix: routerInbox(routing.lattice ?? "default") });
  const r = await startRouter({
    nc, routing,
    ...(xkey ? { xkey } : {}),
    gateway: { ...(v["gateway-token-file"] ? { token: read(v["gateway-token-file"]) } : {}), providerKeys },
    ackTimeoutMs,
    log: (l) => io.out(`${l}\n`),
  });
  const found = await r.discover();
  io.out(`system:ai router for lattice ${routing.lattice}: ${routing.routes.length} route(s) configured, ${found.length} pool service(s) discovered${v["xkey-seed-file"] ? "" : "; no xkey: hosted fallback only for plaintext requests"}\n`);
  await untilSignal();
  await r.close();
  await nc.drain();
  return 0;
}

async function askCmd(args: string[], io: Io): Promise<number> {
  const { values: v, positionals } = parseArgs({ args, allowPositionals: true, options: { server: { type: "string", multiple: true }, creds: { type: "string" }, "tls-ca": { type: "string" }, routing: { type: "string" }, lattice: { type: "string" }, model: { type: "string" }, completions: { type: "boolean" }, stream: { type: "boolean" }, "no-fallback": { type: "boolean" }, plaintext: { type: "boolean" }, timeout: { type: "string" } } });
  const prompt = positionals.join(" ");
  if (!v.server?.length || !v.model || !prompt || (!v.routing && !v.plaintext)) {
    io.err(`${USAGE}(a sealed request needs --routing, where the keys to seal to are)\n`);
    return 2;
  }
  const routing = v.routing ? loadRouting(v.routing) : undefined;
  const lattice = v.lattice ?? routing?.lattice ?? "default";
  const { recipientsFor } = await import("../ai/routing.js");
  const recipients = v.plaintext ? undefined : recipientsFor(routing!, v.model, v["no-fallback"] !== true);
  if (recipients && recipients.length === 0) throw new TlosError(`the routing file names no key for ${v.model}: no pool serves it${v["no-fallback"] ? "" : " and it has no router key"}`);
  const op = v.completions ? "completions" : "chat.completions";
  const body = op === "completions" ? { prompt } : { messages: [{ role: "user", content: prompt }] };
  const { ask } = await import("../ai/client.js");
  const nc = await connectNats({ servers: v.server, ...(v.creds ? { credsFile: v.creds } : {}), ...tlsOf(v["tls-ca"]) }, "tlos-ai-ask");
  try {
    const r = await ask(nc, { lattice, op, model: v.model, body, stream: v.stream === true, recipients, timeoutMs: int(v.timeout, 120_000, "timeout") }, v.stream ? (c) => io.out(textOf(c)) : undefined);
    if (v.stream) io.out("\n");
    else for (const x of r.values) io.out(`${textOf(x)}\n`);
    if (r.error) {
      io.err(`error: ${r.error.code}: ${r.error.message}\n`);
      return 1;
    }
    io.err(`route: ${r.route ?? "unknown"}${recipients ? ", sealed end to end" : ", plaintext"}\n`);
    return 0;
  } finally {
    await nc.close();
  }
}

/** The text of an OpenAI response or chunk (chat or completion). */
function textOf(x: unknown): string {
  const c = (x as { choices?: { message?: { content?: string }; delta?: { content?: string }; text?: string }[] })?.choices?.[0];
  return c?.message?.content ?? c?.delta?.content ?? c?.text ?? JSON.stringify(x);
}

export async function aiCommand(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "serve") return serve(rest, io);
  if (sub === "router") return router(rest, io);
  if (sub === "ask") return askCmd(rest, io);
  io.err(USAGE);
  return 2;
}
