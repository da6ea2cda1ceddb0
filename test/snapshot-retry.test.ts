/**
 * `tlos jetstream backup` right after a restart: JetStream requests that get no answer yet (the
 * server is down, a stream has no leader) are tried again within a bound instead of failing the
 * nightly backup; a backup that cannot get an answer fails, and never writes part of a snapshot.
 * A real nats-server on 127.0.0.1, stopped and started by the test.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";
import { backupStreams } from "../src/jetstream/snapshot.js";
import { freePorts, realBinary, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";
import type { ChildProcess } from "node:child_process";

const nats = realBinary("nats-server");

describe.skipIf(!nats)("JetStream snapshots across a server restart", () => {
  const dir = tempDir("tlos-snapshot-retry-");
  let server: ChildProcess | undefined;
  let nc: NatsConnection | undefined;
  afterAll(async () => {
    await nc?.close().catch(() => undefined);
    if (server) await stopProcess(server);
  });

  it("waits for the server to come back, then writes every stream whole; gives up after its bound", async () => {
    const [port] = await freePorts(1);
    const start = () => startProcess(nats!, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", join(dir, "js")], join(dir, "nats.log"));
    server = start();
    const url = `nats://127.0.0.1:${port}`;
    nc = await waitFor("nats-server", () => connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 200 }), 15_000);
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "EVENTS", subjects: ["events.>"] });
    const js = jsm.jetstream();
    for (let i = 0; i < 50; i++) await js.publish(`events.${i}`, `e${i}`);

    // the server goes away; the backup starts while it is down and it comes back 2 s later
    await stopProcess(server);
    const backup = backupStreams(nc, join(dir, "out"), { timeoutMs: 1000, retryForMs: 60_000 });
    await new Promise((r) => setTimeout(r, 2000));
    server = start();
    expect(await backup).toEqual(["EVENTS"]);
    expect(readdirSync(join(dir, "out")).sort()).toEqual(["EVENTS.json", "EVENTS.snapshot"]);

    // down for good: the backup fails once its bound has passed, and writes nothing
    await stopProcess(server);
    server = undefined;
    await expect(backupStreams(nc, join(dir, "never"), { timeoutMs: 300, retryForMs: 1500 })).rejects.toThrow(/timeout|no responders|disconnect|closed/i);
    expect(existsSync(join(dir, "never"))).toBe(false);
  }, 90_000);
});
