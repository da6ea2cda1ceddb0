/**
 * `tlos validate` on a corrupted output folder, through the real binary: a compose file that is
 * no YAML, a manifest that is no JSON, a listed file that is gone. Each is one line naming the
 * file, never a YAMLParseError's code frame or a stack trace. Also: the validators `npm run build`
 * precompiles (scripts/compile-schemas.mjs) give the same verdicts as compiling the schema here.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { writeOutput } from "../src/index.js";
import { AJV_OPTIONS, report, STATIC_SCHEMAS } from "../src/validate/schemas.js";
import { smallGrid } from "./fixtures/grids.js";
import { SEED, tempDir } from "./helpers.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const tlos = (args: string[]) => spawnSync(process.execPath, [join(ROOT, "bin/tlos.mjs"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000, env: { ...process.env, CI: "", TLOS_DEBUG: "" } });

function output(): string {
  const out = join(tempDir("tlos-corrupt-"), "out");
  writeOutput(smallGrid().synth({ masterSeed: SEED }), out);
  return out;
}

describe("tlos validate on a corrupted output folder", () => {
  it("a compose file that is no YAML is a FAIL line naming it; the run goes on and exits 1", () => {
    const out = output();
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { path: string; kind: string }[] };
    const compose = manifest.files.find((f) => f.kind === "compose")!.path;
    writeFileSync(join(out, compose), "services:\n  a: [unclosed\n    b: {\n");
    const r = tlos(["validate", out]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(new RegExp(`compose-spec schema: FAIL ${compose.replace(/[.]/g, "\\.")}\\n  not valid YAML: [^\\n]+\\n`));
    expect(r.stdout).not.toMatch(/YAMLParseError|\n\s+at |\^/);
    expect(r.stdout).toMatch(/validators run: /);
  });

  it("a manifest that is no JSON, or a listed nats config that is gone: one line each, exit 1", () => {
    const out = output();
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8")) as { files: { path: string; kind: string }[] };
    const conf = manifest.files.find((f) => f.kind === "nats-config")!.path;
    rmSync(join(out, conf));
    const gone = tlos(["validate", out]);
    expect(gone.status).toBe(1);
    if (existsSync(join(ROOT, ".validators"))) expect(gone.stdout).toMatch(new RegExp(`nats-server -t: FAIL ${conf.replace(/[.]/g, "\\.")}\\n  cannot read it: ENOENT`));
    writeFileSync(join(out, "manifest.json"), '{"files": [');
    const bad = tlos(["validate", out]);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr).toMatch(/^error: .*manifest\.json is not a tlos manifest \(.*JSON.*\): run tlos synth again\n$/);
  });
});

describe("precompiled schema validators", () => {
  it("exist after the build and give the same errors as compiling the schema here", () => {
    const broken = parse("services:\n  web:\n    image: 3\n    ports: {a: 1}\n    frobnicate: true\n") as unknown;
    const good = parse("name: p\nservices:\n  web:\n    image: nginx\n") as unknown;
    for (const [key, schema] of Object.entries(STATIC_SCHEMAS)) {
      const file = join(ROOT, "dist-lib/validate/compiled", `${key}.cjs`);
      expect(existsSync(file), file).toBe(true);
      const pre = (createRequire(import.meta.url)(file) as { default: Parameters<typeof report>[0] }).default;
      const here = new Ajv(AJV_OPTIONS).compile(schema() as object);
      for (const doc of [broken, good, {}, []]) expect(report(pre, doc), key).toEqual(report(here, doc));
    }
  });
});
