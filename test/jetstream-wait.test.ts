/**
 * What `tlos lattice-init` waits on and what it reports at once (src/cli/jetstream-wait.ts), with
 * the errors nats.js raises: a JetStream API error per server error code, socket and request
 * errors. The live behaviour is in lattice-init-live.test.ts.
 */
import { describe, expect, it } from "vitest";
import { JetStreamApiError } from "@nats-io/jetstream";
import { notReadyReason, NotReadyError, untilReady } from "../src/cli/jetstream-wait.js";

const api = (err_code: number, description: string, code = 503) => new JetStreamApiError({ err_code, description, code });
const named = (name: string, message: string, cause?: unknown) => Object.assign(new Error(message, cause ? { cause } : {}), { name });

describe("lattice-init's wait for JetStream", () => {
  it("waits on what a starting cluster answers, not on what no wait mends", () => {
    expect(notReadyReason(api(10039, "JetStream not enabled for account"))).toMatch(/not enabled for the account/);
    // nats.js wraps 10039 in a JetStreamNotEnabled whose cause is the API error
    expect(notReadyReason(named("JetStreamNotEnabled", "JetStream not enabled for account", api(10039, "JetStream not enabled for account")))).toMatch(/account/);
    expect(notReadyReason(named("JetStreamNotEnabled", "jetstream is not enabled"))).toMatch(/no JetStream API answered/);
    expect(notReadyReason(api(10008, "JetStream system temporarily unavailable"))).toMatch(/meta leader/);
    expect(notReadyReason(api(10005, "no suitable peers for placement", 400))).toMatch(/too few hubs/);
    expect(notReadyReason(named("TimeoutError", "timeout"))).toBeDefined();
    expect(notReadyReason(named("ConnectionError", "connection refused", Object.assign(new Error("x"), { code: "ECONNREFUSED" })))).toMatch(/accepting connections/);
    for (const e of [api(10059, "stream not found", 404), api(10058, "stream name already in use with a different configuration", 400), api(10023, "insufficient resources"), named("AuthorizationError", "Authorization Violation"), named("PermissionViolationError", "Permissions Violation for Publish to \"$JS.API.STREAM.CREATE.x\""), named("ConnectionError", "TLS handshake failed"), new Error("ENOENT"), "a string"]) {
      expect(notReadyReason(e), String((e as Error).message ?? e)).toBeUndefined();
    }
  });

  it("retries until the attempt succeeds, with one waiting line", async () => {
    const lines: string[] = [];
    let n = 0;
    const v = await untilReady({ seconds: 30, servers: ["nats://h:1"], log: (l) => lines.push(l) }, async () => {
      if (++n < 4) throw api(10039, "JetStream not enabled for account");
      return "done";
    });
    expect(v).toBe("done");
    expect(n).toBe(4);
    expect(lines).toEqual(["waiting up to 30 s for JetStream at nats://h:1: JetStream not enabled for the account yet"]);
  });

  it("reports another error at once, and a wait that runs out as one line naming the server, what it asked and what to check", async () => {
    let n = 0;
    const bad = api(10058, "stream name already in use with a different configuration", 400);
    await expect(untilReady({ seconds: 30, servers: ["nats://h:1"] }, async () => { n++; throw bad; })).rejects.toBe(bad);
    expect(n).toBe(1);
    const e = await untilReady({ seconds: 0, servers: ["nats://h:1", "nats://h:2"] }, async (asking) => {
      asking.what = "stream wadm_events";
      throw api(10008, "JetStream system temporarily unavailable");
    }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(NotReadyError);
    expect((e as Error).message).toMatch(/^lattice-init: JetStream not ready at nats:\/\/h:1, nats:\/\/h:2 \(--wait 0\): asked for stream wadm_events: JetStream temporarily unavailable \(no meta leader yet\) \(JetStream system temporarily unavailable\); check that every hub is up/);
    expect((e as Error).message).not.toMatch(/\n/);
  });
});
