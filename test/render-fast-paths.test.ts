/**
 * The renderers synth calls for every node write the bytes of their plain forms: each is compared
 * with the straightforward version it replaced (kept here as the reference) on random input —
 * YAML key order, nats-server config, systemd unit text, literal unit values, a JWT and the
 * diagrams' quoted strings.
 */
import { createHash, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { commentLine } from "../src/core/comment.js";
import { renderIni, unitLiteral, type IniSection } from "../src/core/ini.js";
import { Raw, renderNatsConf, type ConfMap, type ConfValue } from "../src/core/natsconf.js";
import { compareVersions } from "../src/core/version.js";
import { renderYaml } from "../src/core/yaml.js";
import { deriveKeyPair, type NKey } from "../src/nats/keys.js";
import { userJwt } from "../src/nats/jwt.js";
import { nodeRoleV2 } from "../src/nats/roles.js";
import { Grid, Lattice, TlosNode } from "../src/index.js";
import { THREE_HUBS } from "./fixtures/grids.js";
import { SEED } from "./helpers.js";

let state = 7;
const rnd = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) % n);
const ALPHABET = ["a", "b", "Z", "_", "-", ".", "0", "9", "é", "ü", "\u00e9", "%", "$", "\\", '"', " ", "\t", "\u0001", "\u007f", "name", "kind", "apiVersion", "metadata", "version"];
const word = () => Array.from({ length: 1 + rnd(4) }, () => ALPHABET[rnd(ALPHABET.length)]).join("");

describe("YAML key order", () => {
  const HEAD = ["apiVersion", "kind", "metadata", "name", "version"];
  const reference = (a: string, b: string) => {
    const ia = HEAD.indexOf(a), ib = HEAD.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib);
    return a < b ? -1 : a > b ? 1 : 0;
  };

  it("puts the head keys first in their order, then the rest as a < b compares them", () => {
    for (let i = 0; i < 300; i++) {
      const keys = [...new Set(Array.from({ length: rnd(12) }, () => (rnd(4) === 0 ? HEAD[rnd(HEAD.length)]! : `k${word().replace(/[^A-Za-z0-9_]/g, "x")}`)))];
      const doc = Object.fromEntries(keys.map((k, j) => [k, j % 5 === 4 ? undefined : j]));
      const want = keys.filter((k) => doc[k] !== undefined).sort(reference).map((k) => `${k}: ${doc[k]}\n`).join("");
      expect(renderYaml(doc)).toBe(want === "" ? "{}\n" : want);
    }
  });
});

describe("nats-server config", () => {
  const natsString = (s: string) => `"${s.replace(/[\\"\u0000-\u001f\u007f]/g, (c) => (c === "\\" ? "\\\\" : c === '"' ? '\\"' : c === "\n" ? "\\n" : c === "\r" ? "\\r" : c === "\t" ? "\\t" : `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`))}"`;
  const key = (k: string) => (/^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? k : natsString(k));
  const scalar = (v: string | number | boolean | Raw) => (v instanceof Raw ? v.text : typeof v === "string" ? natsString(v) : typeof v === "number" ? String(v) : v ? "true" : "false");
  const value = (v: ConfValue, indent: string): string => {
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      const inner = indent + "  ";
      return `[\n${v.map((x) => inner + value(x, inner)).join("\n")}\n${indent}]`;
    }
    if (typeof v === "object" && !(v instanceof Raw)) {
      const inner = indent + "  ";
      const lines = Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => `${inner}${key(k)}: ${value(x as ConfValue, inner)}`);
      return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent}}`;
    }
    return scalar(v);
  };
  const reference = (conf: ConfMap, header: string[]) => {
    const out = header.map((h) => commentLine(h));
    for (const [k, v] of Object.entries(conf)) if (v !== undefined) out.push(`${key(k)}: ${value(v, "")}`);
    return `${out.join("\n")}\n`;
  };
  const randomValue = (depth: number): ConfValue | undefined => {
    const r = rnd(depth > 2 ? 5 : 8);
    if (r === 0) return word();
    if (r === 1) return rnd(1000) - 500;
    if (r === 2) return rnd(2) === 0;
    if (r === 3) return new Raw(`${rnd(64)}MB`);
    if (r === 4) return rnd(3) === 0 ? undefined : word();
    if (r === 5) return Array.from({ length: rnd(4) }, () => randomValue(depth + 1) ?? "x");
    return Object.fromEntries(Array.from({ length: rnd(4) }, () => [word(), randomValue(depth + 1)]));
  };

  it("writes what the plain renderer wrote, for random nested configs", () => {
    for (let i = 0; i < 300; i++) {
      const conf = Object.fromEntries(Array.from({ length: rnd(6) }, () => [word(), randomValue(0)])) as ConfMap;
      const header = Array.from({ length: rnd(3) }, word);
      expect(renderNatsConf(conf, header)).toBe(reference(conf, header));
    }
  });
});

describe("systemd unit text", () => {
  const reference = (sections: readonly IniSection[], header: readonly string[]) => {
    const out: string[] = header.map((h) => commentLine(h));
    for (const s of sections) {
      if (s.entries.length === 0) continue;
      if (out.length > 0) out.push("");
      out.push(`[${s.name}]`);
      for (const [k, v] of s.entries) out.push(`${k}=${v}`);
    }
    return `${out.join("\n")}\n`;
  };

  it("writes what the plain renderer wrote, for random sections and headers", () => {
    for (let i = 0; i < 300; i++) {
      const sections = Array.from({ length: rnd(5) }, () => ({ name: word(), entries: Array.from({ length: rnd(4) }, () => [word(), word().replace(/[\\]+$/, "")] as const) }));
      const header = Array.from({ length: rnd(3) }, word);
      expect(renderIni(sections, header)).toBe(reference(sections, header));
    }
  });

  it("escapes % and $ as before, and leaves values without them as they are", () => {
    for (let i = 0; i < 300; i++) {
      const v = word();
      const plain = v.replace(/%/g, "%%");
      expect(unitLiteral(v)).toBe(plain.replace(/\$/g, "$$$$"));
      expect(unitLiteral(v, false)).toBe(plain);
    }
  });

  it("compares versions as before, also on the second look", () => {
    const parse = (v: string) => /^v?(\d+)\.(\d+)(?:\.(\d+))?$/.exec(v);
    const ref = (a: string, b: string) => {
      const x = parse(a), y = parse(b);
      const [x0, x1, x2] = x ? [Number(x[1]), Number(x[2]), Number(x[3] ?? 0)] : [-1, 0, 0];
      const [y0, y1, y2] = y ? [Number(y[1]), Number(y[2]), Number(y[3] ?? 0)] : [-1, 0, 0];
      return x0 - y0 || x1 - y1 || x2 - y2;
    };
    const versions = ["5.0", "5.4", "v5.4.1", "4.9.10", "5", "x", "", "10.0", "5.04"];
    for (let r = 0; r < 2; r++) for (const a of versions) for (const b of versions) expect(Math.sign(compareVersions(a, b))).toBe(Math.sign(ref(a, b)));
  });
});

describe("a JWT", () => {
  const te = new TextEncoder();
  const b64url = (b: Uint8Array | string) => Buffer.from(typeof b === "string" ? te.encode(b) : b).toString("base64url");
  // the encoder as it was: the claims serialized twice, jti added between
  const reference = (claims: Record<string, unknown>, signer: NKey, iat: number) => {
    const body: Record<string, unknown> = { ...claims, iat, iss: signer.getPublicKey() };
    body["jti"] = createHash("sha512").update(JSON.stringify(body)).digest("base64");
    const payload = `${b64url(JSON.stringify({ typ: "JWT", alg: "ed25519-nkey" }))}.${b64url(JSON.stringify(body))}`;
    return `${payload}.${b64url(signer.sign(te.encode(payload)))}`;
  };

  it("is the bytes the two-pass encoder wrote, for users with and without expiry and odd names", () => {
    const acct = deriveKeyPair(SEED, "account", "jwt-probe");
    const perms = nodeRoleV2({ lattice: "l", domain: "d", policyTopic: "wasmcloud.policy.l" }).perms ?? {};
    for (let i = 0; i < 20; i++) {
      const user = deriveKeyPair(SEED, "user", `jwt-probe/${i}`);
      const name = `leaf-${word()}-${randomBytes(2).toString("hex")}`;
      const exp = i % 2 ? 1_800_000_000 + i : undefined;
      const claims = { name, sub: user.getPublicKey(), ...(exp !== undefined ? { exp } : {}), nats: { type: "user", version: 2, pub: { allow: [...(perms.pub ?? [])] }, sub: { allow: [...(perms.sub ?? [])] }, subs: -1, data: -1, payload: -1, allowed_connection_types: ["LEAFNODE"] } };
      expect(userJwt(name, user, acct, ["LEAFNODE"], 1_735_689_600 + i, { pub: perms.pub, sub: perms.sub }, exp)).toBe(reference(claims, acct, 1_735_689_600 + i));
    }
  });
});

describe("an image reference checked once a grid", () => {
  it("still reports its problem or warning on every prop that names it", () => {
    const g = new Grid("g");
    const l = new Lattice(g, "lattice", { hubs: THREE_HUBS });
    for (const id of ["a", "b"]) new TlosNode(l, id, { target: "podman", images: { nats: "nats:latest", host: "ghcr.io/wasmcloud/wash:2.0.0" } });
    const { problems, warnings } = g.validate();
    expect(problems.filter((p) => p.field === "images.nats").map((p) => p.path)).toEqual(["g/lattice/a", "g/lattice/b"]);
    expect(problems.find((p) => p.field === "images.nats")?.message).toMatch(/latest/);
    expect(warnings.filter((w) => w.field === "images.host").map((w) => w.path)).toEqual(["g/lattice/a", "g/lattice/b"]);
  });
});

describe("diagram strings", () => {
  // the replace chains the fast paths skip when nothing in the text needs them
  const dsl = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n\u2028\u2029]+/g, " ")}"`;
  const mermaid = (s: string) => `"${s.replace(/["`$]/g, "'").replace(/[\r\n\u2028\u2029]+/g, " ")}"`;
  const dot = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\r?\n/g, "\\n")}"`;
  const SPECIAL = ["a", "Z", " ", "-", "é", "\\", '"', "`", "$", "'", "\r", "\n", "\r\n", "\u2028", "\u2029", "\t", "node-7"];
  const text = () => Array.from({ length: rnd(6) }, () => SPECIAL[rnd(SPECIAL.length)]).join("");

  it("quote every text as the full escape would (Structurizr, Mermaid, DOT)", async () => {
    const { dslString } = await import("../src/diagram/structurizr.js");
    const { mermaidString } = await import("../src/diagram/mermaid.js");
    const { dotString } = await import("../src/diagram/dot.js");
    for (let i = 0; i < 2000; i++) {
      const s = text();
      expect(dslString(s)).toBe(dsl(s));
      expect(mermaidString(s)).toBe(mermaid(s));
      expect(dotString(s)).toBe(dot(s));
    }
  });
});
