/**
 * The policy responder against a real nats-server on 127.0.0.1, with requests shaped exactly as a
 * wasmCloud v1.9 host sends them ({requestId, kind, version, request, host}).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { startPolicyResponder, type Responder } from "../src/cli/policy-responder.js";
import { deriveKeyPair } from "../src/nats/keys.js";
import { freePorts, OTHER_SEED, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";

const nats = realBinary("nats-server");
const TOPIC = "wasmcloud.policy.tlos";
const TRUSTED = deriveKeyPair(SEED, "account", "issuer").getPublicKey();
const STRANGER = deriveKeyPair(OTHER_SEED, "account", "issuer").getPublicKey();
const now = () => Math.floor(Date.now() / 1000);

function startComponent(id: string, claims: unknown) {
  return {
    requestId: id,
    kind: "startComponent",
    version: "v1",
    request: { componentId: "hello", imageRef: "ghcr.io/tlos/hello:0.3.0", maxInstances: 4, annotations: { "wasmcloud.dev/appspec": "hello" }, claims },
    host: { publicKey: deriveKeyPair(SEED, "server", "host").getPublicKey(), lattice: "tlos", labels: { zone: "home" } },
  };
}
const claims = (issuer: string, extra: Record<string, unknown> = {}) => ({ publicKey: "MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5", issuer, issuedAt: now() - 60, expiresAt: null, expired: false, ...extra });

describe.skipIf(!nats)("tlos policy-responder against a real nats-server", () => {
  let server: ChildProcess;
  let url: string;
  let nc: NatsConnection;
  let responder: Responder;

  beforeAll(async () => {
    const [port] = await freePorts(1);
    url = `nats://127.0.0.1:${port}`;
    server = startProcess(nats as string, ["-a", "127.0.0.1", "-p", String(port)], join(tempDir(), "nats.log"));
    nc = await waitFor("nats-server", () => connect({ servers: url, reconnect: false }), 10_000);
    responder = await startPolicyResponder({ servers: [url], topic: TOPIC, trusted: [TRUSTED] });
  });
  afterAll(async () => {
    await responder?.close().catch(() => undefined);
    await nc?.close();
    if (server) await stopProcess(server);
  });

  const ask = async (body: unknown) => JSON.parse((await nc.request(TOPIC, typeof body === "string" ? body : JSON.stringify(body), { timeout: 2000 })).string());

  it("permits a component signed by a trusted issuer", async () => {
    expect(await ask(startComponent("r1", claims(TRUSTED)))).toEqual({ requestId: "r1", permitted: true });
  });

  it("denies an unsigned component", async () => {
    expect(await ask(startComponent("r2", null))).toEqual({ requestId: "r2", permitted: false, message: "denied: unsigned: no embedded claims" });
  });

  it("denies a component signed by an issuer the grid does not trust", async () => {
    expect(await ask(startComponent("r3", claims(STRANGER)))).toEqual({ requestId: "r3", permitted: false, message: `denied: issuer ${STRANGER} is not trusted by this grid` });
  });

  it("denies expired claims, by the host's flag and by expiresAt", async () => {
    expect((await ask(startComponent("r4", claims(TRUSTED, { expired: true })))).permitted).toBe(false);
    expect(await ask(startComponent("r5", claims(TRUSTED, { expiresAt: now() - 1 })))).toEqual({ requestId: "r5", permitted: false, message: "denied: claims expired" });
    expect((await ask(startComponent("r6", claims(TRUSTED, { expiresAt: now() + 3600 })))).permitted).toBe(true);
  });

  it("denies malformed requests and unknown kinds", async () => {
    expect(await ask("{not json")).toEqual({ requestId: null, permitted: false, message: "denied: malformed policy request" });
    expect((await ask({ ...startComponent("r7", claims(TRUSTED)), kind: "startActor" })).permitted).toBe(false);
    expect((await ask({ requestId: "r8", kind: "startComponent", version: "v1" })).message).toBe("denied: request without a body");
  });

  it("checks the target of an invocation and a provider start the same way", async () => {
    const inv = (c: unknown) => ({ requestId: "i1", kind: "performInvocation", version: "v1", request: { interface: "wasi:http/incoming-handler", function: "handle", target: { componentId: "hello", imageRef: "x", claims: c } }, host: {} });
    expect((await ask(inv(claims(TRUSTED)))).permitted).toBe(true);
    expect((await ask(inv(null))).permitted).toBe(false);
    const prov = { requestId: "p1", kind: "startProvider", version: "v1", request: { providerId: "kv", imageRef: "x", annotations: {}, claims: claims(STRANGER) }, host: {} };
    expect((await ask(prov)).permitted).toBe(false);
  });

  it("leaves a host without an answer when no responder runs, so the host fails closed", async () => {
    await responder.close();
    // a v1 host sends the request with a 1 s timeout and propagates the error: the start fails
    await expect(nc.request(TOPIC, JSON.stringify(startComponent("r9", claims(TRUSTED))), { timeout: 1000 })).rejects.toThrow(/no responders|timeout/i);
  });

  it("runs as the tlos command and answers", async () => {
    const bin = fileURLToPath(new URL("../bin/tlos.mjs", import.meta.url));
    const p = spawn(process.execPath, [bin, "policy-responder", "--server", url, "--topic", TOPIC, "--trusted", TRUSTED], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    p.stdout.on("data", (d) => (out += d));
    try {
      await waitFor("responder start", () => out.includes("policy responder on"), 15_000);
      expect((await ask(startComponent("c1", claims(TRUSTED)))).permitted).toBe(true);
      expect((await ask(startComponent("c2", null))).permitted).toBe(false);
      await waitFor("decision log", () => out.includes('"requestId":"c2","permitted":false'), 5000);
    } finally {
      await stopProcess(p);
    }
    expect(p.exitCode).toBe(0);
  }, 30_000);
});
