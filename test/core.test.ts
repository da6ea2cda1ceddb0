/** Core value objects and writers, against exact strings. */
import { describe, expect, it } from "vitest";
import { decode } from "@nats-io/jwt";
import { Grid, Lattice, TlosNode } from "../src/index.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { SEED } from "./helpers.js";
import { Cpu, Memory } from "../src/core/quantity.js";
import { ImageRef } from "../src/core/image.js";
import { joinArgs, renderIni } from "../src/core/ini.js";
import { Raw, renderNatsConf } from "../src/core/natsconf.js";
import { renderYaml } from "../src/core/yaml.js";
import { MasterSeed } from "../src/core/seed.js";
import { idProblem, isHost } from "../src/core/names.js";
import { deriveKeyPair } from "../src/nats/keys.js";
import { fitToPodman, keySince } from "../src/quadlet/compat.js";

describe("quantities", () => {
  it("parses CPU in millicores and cores and prints both forms", () => {
    expect(Cpu.parse("500m").millis).toBe(500);
    expect(Cpu.parse("2").toString()).toBe("2");
    expect(Cpu.parse(0.25).toCores()).toBe("0.25");
    expect(Cpu.parse("1500m").toCores()).toBe("1.5");
    for (const bad of ["", "-1", "1.2345", "2 cores", "0", "0m"]) expect(() => Cpu.parse(bad)).toThrow(RangeError);
  });

  it("parses memory with binary and decimal suffixes and prints Podman, NATS and Kubernetes forms", () => {
    const m = Memory.parse("512Mi");
    expect([m.bytes, m.toPodman(), m.toNats(), m.toString()]).toEqual([536870912, "512m", "512MB", "512Mi"]);
    expect(Memory.parse("1G").bytes).toBe(1e9);
    expect(Memory.parse("2Gi").toPodman()).toBe("2g");
    for (const bad of ["", "1 GB", "512MB", "-1Mi", "1.5Gi", "0"]) expect(() => Memory.parse(bad)).toThrow(RangeError);
  });
});

describe("image references", () => {
  it("qualifies Docker Hub names and keeps tag and digest", () => {
    const d = `sha256:${"a".repeat(64)}`;
    expect(ImageRef.parse(`nats:2.10@${d}`).toString()).toBe(`docker.io/library/nats:2.10@${d}`);
    expect(ImageRef.parse("ghcr.io/wasmcloud/wash:2.8.0").pinned).toBe(false);
    expect(ImageRef.parse(`localhost:5000/x/y@${d}`).registry).toBe("localhost:5000");
  });

  it("refuses latest, untagged and malformed references", () => {
    expect(() => ImageRef.parse("nats:latest")).toThrow(/':latest', which is refused/);
    expect(() => ImageRef.parse("nats")).toThrow(/neither tag nor digest/);
    expect(() => ImageRef.parse("Nats:1")).toThrow(/repository name/);
    expect(() => ImageRef.parse("nats:1@sha256:xyz")).toThrow(/bad digest/);
  });
});

describe("writers", () => {
  it("renders unit files in section order, skipping empty sections", () => {
    expect(renderIni([{ name: "Unit", entries: [] }, { name: "Container", entries: [["Image", "x"], ["Label", "a=b"]] }], ["head"]))
      .toBe("# head\n\n[Container]\nImage=x\nLabel=a=b\n");
    expect(() => renderIni([{ name: "X", entries: [["K", "a\nb"]] }])).toThrow(/line break/);
    expect(joinArgs(["nats-server", "--config", "/etc/a b.conf", 'say "hi"'])).toBe('nats-server --config "/etc/a b.conf" "say \\"hi\\""');
  });

  it("renders NATS config with quoted strings, raw sizes and nested blocks", () => {
    expect(renderNatsConf({ server_name: "a", jetstream: { max_mem: new Raw("1GB"), domain: "hub" }, routes: [new Raw("nats-route://h:1")], skip: undefined, "odd.key": true }))
      .toBe('server_name: "a"\njetstream: {\n  max_mem: 1GB\n  domain: "hub"\n}\nroutes: [\n  nats-route://h:1\n]\n"odd.key": true\n');
  });

  it("renders YAML with sorted keys and the head keys first", () => {
    expect(renderYaml({ spec: { b: 1, a: 2 }, kind: "K", apiVersion: "v1", dropped: undefined })).toBe("apiVersion: v1\nkind: K\nspec:\n  a: 2\n  b: 1\n");
  });
});

describe("master seed and derived keys", () => {
  it("derives the same nkey for the same purpose and different ones otherwise", () => {
    const s = MasterSeed.parse("01".repeat(32), { insecureTestSeed: true });
    const a = deriveKeyPair(s, "user", "x").getPublicKey();
    expect(deriveKeyPair(MasterSeed.parse("01".repeat(32), { insecureTestSeed: true }), "user", "x").getPublicKey()).toBe(a);
    expect(deriveKeyPair(s, "user", "y").getPublicKey()).not.toBe(a);
    expect(a).toMatch(/^U[A-Z2-7]{55}$/);
    expect(deriveKeyPair(s, "operator", "x").getPublicKey()).toMatch(/^O/);
    expect(deriveKeyPair(s, "account", "x").getPublicKey()).toMatch(/^A/);
  });

  it("refuses a seed shorter than 32 bytes", () => {
    expect(() => MasterSeed.parse("abcd")).toThrow(/at least 32 bytes/);
    expect(MasterSeed.parse(Buffer.alloc(32, 9).toString("base64"), { insecureTestSeed: true }).toString()).toBe("09".repeat(32));
  });
});

describe("names", () => {
  it("accepts DNS labels as ids and hosts", () => {
    expect(idProblem("home-1")).toBeUndefined();
    expect(idProblem("-x")).toMatch(/not a valid id/);
    expect(isHost("hub-1.example.net")).toBe(true);
    expect(isHost("256.1.1.1")).toBe(false);
    expect(isHost("::1")).toBe(true);
  });
});

describe("Podman version gating", () => {
  it("knows when keys arrived", () => {
    expect(keySince("pod", "UserNS")).toBe("5.3");
    expect(keySince("container", "Memory")).toBe("5.5");
    expect(keySince("container", "Nope")).toBeUndefined();
  });

  it("moves keys with a flag equivalent into PodmanArgs and refuses the rest", () => {
    const r = fitToPodman({ type: "pod", name: "p", body: [["UserNS", "auto"], ["PodmanArgs", "--infra=true"], ["ExitPolicy", "stop"]] }, "5.0");
    expect(r.unit.body).toEqual([["PodmanArgs", "--infra=true --userns=auto"]]);
    expect(r.errors.map((e) => [e.key, e.since, e.target])).toEqual([["ExitPolicy", "5.6", "5.0"]]);
    expect(fitToPodman({ type: "pod", name: "p", body: [["UserNS", "auto"]] }, "5.3").unit.body).toEqual([["UserNS", "auto"]]);
  });
});

describe("native nkeys", () => {
  it("match @nats-io/nkeys for the same seed: public key, seed and signature", async () => {
    const { fromSeed } = await import("@nats-io/nkeys");
    const k = deriveKeyPair(MasterSeed.parse("07".repeat(32), { insecureTestSeed: true }), "account", "probe");
    const ref = fromSeed(k.getSeed());
    expect(k.getPublicKey()).toBe(ref.getPublicKey());
    const msg = new TextEncoder().encode("hello lattice");
    expect(Buffer.from(k.sign(msg))).toEqual(Buffer.from(ref.sign(msg)));
    expect(ref.verify(msg, k.sign(msg))).toBe(true);
  });
});

describe("node revocation", () => {
  const jwtOf = (g: Grid, path: string) => g.synth({ masterSeed: SEED }).files.find((f) => f.path === path)!.content.trim();
  const build = (nodes: string[], revokedNodes?: Record<string, Date>) => {
    const g = new Grid("test");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, ...(revokedNodes ? { revokedNodes } : {}) });
    for (const id of nodes) new TlosNode(l, id, { target: "podman" });
    return g;
  };

  it("lists the removed node's leaf user in the account JWT, issued at the revocation time", () => {
    const before = build(["home-1", "home-2"]);
    const leaf2 = decode(jwtOf(before, "secrets/lattice/nodes/home-2/leaf.creds").split("\n")[1]!).sub;
    const plain = decode<{ revocations?: Record<string, number> }>(jwtOf(before, "lattice/account.jwt"));
    expect(plain.nats.revocations).toBeUndefined();
    expect(plain.iat).toBe(1735689600);
    const at = new Date("2026-11-27T10:00:00Z");
    const revoked = decode<{ revocations?: Record<string, number> }>(jwtOf(build(["home-1"], { "home-2": at }), "lattice/account.jwt"));
    expect(revoked.nats.revocations).toEqual({ [leaf2]: at.getTime() / 1000 });
    expect(revoked.iat).toBe(at.getTime() / 1000);
    expect(revoked.sub).toBe(plain.sub);
    // the hubs preload the same JWT, so a freshly started hub refuses the node too
    const conf = jwtOf(build(["home-1"], { "home-2": at }), "lattice/hubs/hub-1/quadlet/hub-1-nats.conf");
    expect(conf).toContain(jwtOf(build(["home-1"], { "home-2": at }), "lattice/account.jwt"));
  });
});

describe("validation is recomputed on every call", () => {
  it("validating a grid twice (and synthesizing after) gives the same problems and warnings", () => {
    const g = new Grid("twice");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS, images: { nats: "docker.io/library/nats:2.10" }, revokedNodes: { "home-1": new Date("2020-01-01T00:00:00Z") } });
    new TlosNode(l, "home-1", { target: "podman" });
    const one = g.validate();
    const two = g.validate();
    expect(two).toEqual(one);
    // a tree rule (revoked but present, revoked before issuedAt) and a prop warning, each once
    expect(one.problems.map((p) => `${p.path} ${p.field}`)).toEqual(["twice/lattice revokedNodes.home-1", "twice/lattice revokedNodes.home-1"]);
    expect(one.warnings.map((w) => `${w.path} ${w.field}`)).toEqual(["twice/lattice images.nats", "twice/lattice/home-1 images.host"]);
  });

  it("synth's warnings do not grow with earlier validate() calls", () => {
    const g = new Grid("warn");
    new Lattice(g, "lattice", { hubs: THREE_HUBS });
    g.validate();
    g.validate();
    expect(g.synth({ masterSeed: SEED }).warnings.map((w) => `${w.path} ${w.field}`)).toEqual(["warn/lattice nodes"]);
  });
});

describe("construct kinds", () => {
  it("each class recognizes its own kind, also through Symbol.for across library copies", () => {
    const g = new Grid("k");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
    const n = new TlosNode(l, "home-1", { target: "podman" });
    expect([Lattice.isLattice(l), Lattice.isLattice(n), TlosNode.isTlosNode(n), TlosNode.isTlosNode(l)]).toEqual([true, false, true, false]);
    expect([l.kind, n.kind]).toEqual(["Lattice", "TlosNode"]);
    // another copy of the library marks with the same registered symbol
    const foreign = Object.defineProperty({}, Symbol.for("@tlos/grid.kind"), { value: "TlosNode" });
    expect(TlosNode.isTlosNode(foreign)).toBe(true);
  });
});

describe("master seed encoding and entropy", () => {
  const good = "1d308fd60db74455561ccfc20a4b51c7ce30899bae3b349e2c4590b8261636e3";
  it("refuses low-entropy seeds unless they are declared test seeds", () => {
    for (const weak of ["0".repeat(64), Buffer.alloc(32).toString("base64"), "ab".repeat(32), "0123".repeat(16), Buffer.from(Array.from({ length: 32 }, (_, i) => i)).toString("hex")]) {
      expect(() => MasterSeed.parse(weak)).toThrow(/low entropy/);
      expect(MasterSeed.parse(weak, { insecureTestSeed: true })).toBeInstanceOf(MasterSeed);
    }
    expect(MasterSeed.parse(good).toString()).toBe(good);
  });

  it("has one encoding rule: hex (0x allowed, even digit count) or canonical base64", () => {
    expect(() => MasterSeed.parse(`${good}a`)).toThrow(/65 hex digits, an odd number/);
    expect(MasterSeed.parse(`0x${good}`).toString()).toBe(good); // 0x is hex, never read as base64
    expect(() => MasterSeed.parse(`0x${good}zz`)).toThrow(/"0x" must be followed by hex digits only/);
    const b64 = Buffer.from(good, "hex").toString("base64");
    expect(MasterSeed.parse(b64).toString()).toBe(good);
    expect(MasterSeed.parse(Buffer.from(good, "hex").toString("base64url")).toString()).toBe(good);
    // a stray-bit last character would decode to the same bytes as another string: refused
    const last = b64.at(-2)!;
    const stray = `${b64.slice(0, -2)}${String.fromCharCode(last.charCodeAt(0) + 1)}=`;
    expect(() => MasterSeed.parse(stray)).toThrow(/not canonical base64/);
  });
});
