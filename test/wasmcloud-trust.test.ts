/**
 * wasmCloud trust and placement: the v1 example's policy responder, started with the trusted
 * issuers synth writes into its unit, permits the http-server provider the example deploys
 * (signed by wasmCloud's official issuer) and denies an untrusted one — against a real nats-server
 * with a startProvider request shaped as a v1.9 host sends it. Synth warns when an app uses a
 * publisher the lattice does not trust, and refuses v2 apps nothing can schedule.
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { App, Grid, Lattice, TlosNode, WASMCLOUD_OFFICIAL_ISSUER, type SynthResult } from "../src/index.js";
import { startPolicyResponder, type Responder } from "../src/cli/policy-responder.js";
import { loadGrid } from "../src/cli/load.js";
import { deriveKeyPair } from "../src/nats/keys.js";
import { DEFAULT_IMAGES } from "../src/core/images.js";
import { freePorts, OTHER_SEED, problemsOf, realBinary, SEED, startProcess, stopProcess, tempDir, waitFor } from "./helpers.js";
import { THREE_HUBS } from "./fixtures/grids.js";

const nats = realBinary("nats-server");
const D = `sha256:${"3".repeat(64)}`;
let example: SynthResult;
const exampleGrid = async () => (example ??= (await loadGrid(join(import.meta.dirname, "..", "examples", "full-grid", "grid.ts"))).synth({ masterSeed: SEED }));

/** `--trusted a,b` and `--topic t` from the synthesized policy unit of the legacy lattice. */
async function responderArgs(): Promise<{ topic: string; trusted: string[] }> {
  const unit = (await exampleGrid()).files.find((f) => /legacy\/hubs\/legacy-hub-1\/systemd\/tlos-policy-legacy-hub-1\.service$/.test(f.path))!.content;
  const exec = /ExecStart=(.*)/.exec(unit)![1]!;
  return { topic: /--topic (\S+)/.exec(exec)![1]!, trusted: /--trusted (\S+)/.exec(exec)![1]!.split(",") };
}

describe("the wasmCloud official issuer", () => {
  it("is the key upstream's policy example trusts", () => {
    expect(WASMCLOUD_OFFICIAL_ISSUER).toMatch(/^A[A-Z2-7]{55}$/);
    expect(WASMCLOUD_OFFICIAL_ISSUER).toBe("ACOJJN6WUP4ODD75XEBKKTCCUJJCY5ZKQ56XVKYK4BEJWGVAOOQHZMCW");
  });

  it("the v2 host image is the newest release we can cite", () => {
    expect(DEFAULT_IMAGES.washHost).toBe("ghcr.io/wasmcloud/wash:2.7.0");
  });
});

describe.skipIf(!nats)("the v1 example's policy responder, as synthesized, on a real nats-server", () => {
  let server: ReturnType<typeof startProcess>;
  let nc: NatsConnection;
  let responder: Responder;
  let topic = "";
  const STRANGER = deriveKeyPair(OTHER_SEED, "account", "issuer").getPublicKey();
  const startProvider = (id: string, imageRef: string, issuer: string) => ({
    requestId: id,
    kind: "startProvider",
    version: "v1",
    request: { providerId: "http-server", imageRef, annotations: { "wasmcloud.dev/appspec": "hello" }, claims: { publicKey: "VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M", issuer, issuedAt: Math.floor(Date.now() / 1000) - 60, expiresAt: null, expired: false } },
    host: { publicKey: deriveKeyPair(SEED, "server", "host").getPublicKey(), lattice: "legacy", labels: { zone: "edge" } },
  });

  beforeAll(async () => {
    const [port] = await freePorts(1);
    const url = `nats://127.0.0.1:${port}`;
    server = startProcess(nats as string, ["-a", "127.0.0.1", "-p", String(port)], join(tempDir(), "nats.log"));
    nc = await waitFor("nats-server", () => connect({ servers: url, reconnect: false }), 10_000);
    const args = await responderArgs();
    topic = args.topic;
    responder = await startPolicyResponder({ servers: [url], topic, trusted: args.trusted });
  }, 60_000);
  afterAll(async () => {
    await responder?.close().catch(() => undefined);
    await nc?.close();
    if (server) await stopProcess(server);
  });
  const ask = async (body: unknown) => JSON.parse((await nc.request(topic, JSON.stringify(body), { timeout: 2000 })).string());

  it("permits the http-server provider the example deploys", async () => {
    const image = (await exampleGrid()).files.find((f) => f.path === "legacy/apps/hello/wadm.yaml")!.content;
    const ref = /image: (ghcr\.io\/wasmcloud\/http-server:\S+)/.exec(image)![1]!;
    expect(await ask(startProvider("p1", ref, WASMCLOUD_OFFICIAL_ISSUER))).toEqual({ requestId: "p1", permitted: true });
  });

  it("denies a provider from an issuer it does not trust", async () => {
    expect(await ask(startProvider("p2", "ghcr.io/someone/http-server:1.0.0", STRANGER))).toEqual({ requestId: "p2", permitted: false, message: `denied: issuer ${STRANGER} is not trusted by this grid` });
  });
});

function v1Grid(trusted: string[] = []) {
  const g = new Grid("tr");
  const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v1", trustedIssuers: trusted });
  new TlosNode(l, "edge-1", { target: "podman", labels: { zone: "edge" } });
  new App(l, "hello", {
    version: "0.3.0",
    components: [{ name: "hello", image: `ghcr.io/tlos/hello:0.3.0@${D}`, instances: 1 }],
    providers: [{ name: "http-server", image: `ghcr.io/wasmcloud/http-server:0.27.0@${D}`, requirements: { zone: "edge" } }],
    links: [{ from: "http-server", to: "hello", namespace: "wasi", package: "http", interfaces: ["incoming-handler"] }],
  });
  return g;
}

describe("synth on trust and placement", () => {
  it("warns when a v1 app uses wasmCloud's providers and the lattice does not trust wasmCloud's issuer", () => {
    const w = v1Grid().synth({ masterSeed: SEED }).warnings.map((x) => `${x.field}: ${x.message}`);
    expect(w.join("\n")).toMatch(/providers\[0\]\.image: ghcr\.io\/wasmcloud\/http-server:0\.27\.0@sha256:3+ is signed by wasmCloud \(issuer ACOJJN6W\w+\), which this lattice does not trust, so the policy responder denies it at start: add it to the lattice's trustedIssuers \(exported as WASMCLOUD_OFFICIAL_ISSUER\)/);
    expect(v1Grid([WASMCLOUD_OFFICIAL_ISSUER]).synth({ masterSeed: SEED }).warnings.filter((x) => x.field.includes("image") && /trust/.test(x.message))).toEqual([]);
  });

  it("refuses a v1 placement that matches no declared host", () => {
    const g = new Grid("pl");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v1" });
    new TlosNode(l, "home-1", { target: "podman", labels: { zone: "home" } });
    new App(l, "a", { version: "1.0.0", components: [{ name: "c", image: `ghcr.io/tlos/c:1.0.0@${D}`, instances: 1, spread: [{ name: "x", requirements: { zone: "hmoe" } }] }] });
    expect(problemsOf(() => g.synth({ masterSeed: SEED }))).toEqual([expect.stringMatching(/^\[pl\/lattice\/a\] components\[0\]\.spread\[0\]\.requirements: \{"zone":"hmoe"\} matches no host of this lattice, so wadm cannot place it: the hosts are TlosNode home-1 \{zone: home\}/)]);
  });

  it("refuses a v2 app nothing schedules, saying how to make it work", () => {
    const g = new Grid("v2");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v2" });
    new TlosNode(l, "home-1", { target: "podman", labels: { hostgroup: "home" } });
    new App(l, "a", { version: "1.0.0", components: [{ name: "c", image: `ghcr.io/tlos/c:1.0.0@${D}` }], hostSelector: { hostgroup: "home" } });
    expect(problemsOf(() => g.synth({ masterSeed: SEED })).join("\n")).toMatch(/\[v2\/lattice\/a\] lattice: nothing can schedule this v2 app: .*runtime-operator, which runs on Kubernetes .*Add a SpinKubeCluster with wasmcloud.hostGroups .*or put the app on a v1 lattice/);
  });

  it("a v2 host takes the node's hostgroup label as its host group, and hostSelector must name one", () => {
    const g = new Grid("hg");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v2" });
    new TlosNode(l, "home-1", { target: "podman", labels: { hostgroup: "home", zone: "home" } });
    const r = g.synth({ masterSeed: SEED });
    const unit = r.files.find((f) => f.path.endsWith("home-1-wasmcloud.container"))!.content;
    expect(unit).toMatch(/Exec=host --host-group home --host-name/);
    const bad = new Grid("hg");
    const bl = new Lattice(bad, "lattice", { hubs: THREE_HUBS, wasmcloud: "v2" });
    new TlosNode(bl, "home-1", { target: "podman", labels: { hostgroup: "home", zone: "home" } });
    new App(bl, "a", { version: "1.0.0", components: [{ name: "c", image: `ghcr.io/tlos/c:1.0.0@${D}` }], hostSelector: { zone: "home", hostgroup: "hmoe" } });
    const p = problemsOf(() => bad.synth({ masterSeed: SEED })).join("\n");
    expect(p).toMatch(/hostSelector\.zone: v2 hosts advertise only the label "hostgroup"/);
    expect(p).toMatch(/hostSelector\.hostgroup: no host of this lattice is in host group "hmoe": the host groups are "home"/);
  });
});
