/**
 * Every synthesized Quadlet folder passes Podman's real generator (`quadlet -dryrun -user`, from
 * Debian 13's podman 5.4) and every NATS config passes the real `nats-server -t` (2.10).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { writeOutput } from "../src/index.js";
import { fitToPodman } from "../src/quadlet/compat.js";
import { renderUnit } from "../src/quadlet/render.js";
import { quadletDryRun } from "../src/validate/quadlet.js";
import { composeProblems } from "../src/validate/compose.js";
import { runValidators } from "../src/validate/run.js";
import { realBinary, SEED, tempDir } from "./helpers.js";
import { smallGrid } from "./fixtures/grids.js";

const quadlet = realBinary("quadlet");
const nats = realBinary("nats-server");

const variants = {
  "v2 on podman 5.0": () => smallGrid({ "home-1": { resources: { cpu: "1", memory: "1Gi" }, labels: { zone: "home" } } }),
  "v1 with host seeds": () => smallGrid({ "home-1": { labels: { region: "eu" } }, "home-2": {} }, "v1"),
  "podman 5.4 with keep-id, memory and published ports": () =>
    smallGrid({ "edge-1": { podman: { version: "5.4", userNS: "keep-id" }, resources: { memory: "512Mi" }, publishPorts: [{ host: 8080, container: 8080, hostIp: "127.0.0.1" }, { host: 5353, container: 53, protocol: "udp" }] } }),
  "extra keys allowed on the target": () => smallGrid({ "home-1": { podman: { version: "5.3", extraKeys: { host: { AddHost: "db.local:192.0.2.7" }, pod: { DNS: "192.0.2.53" } } } } }),
};

describe.skipIf(!quadlet || !nats)("real validators on synthesized output", () => {
  for (const [name, make] of Object.entries(variants)) {
    it(`passes quadlet -dryrun and nats-server -t: ${name}`, async () => {
      const out = join(tempDir(), "out");
      writeOutput(make().synth({ masterSeed: SEED }), out);
      const r = await runValidators(out, { requireAll: true });
      expect(r.ok, r.lines.join("\n")).toBe(true);
      expect(Object.entries(r.ran).find(([k]) => k.startsWith("quadlet"))?.[1]).toBeGreaterThanOrEqual(4);
      expect(r.ran["nats-server -t"]).toBeGreaterThanOrEqual(5);
    });
  }

  it("says so instead of passing when the units target a newer Podman than the validator", async () => {
    const out = join(tempDir(), "out");
    writeOutput(smallGrid({ "home-1": { podman: { version: "5.8" } } }).synth({ masterSeed: SEED }), out);
    const r = await runValidators(out);
    expect(r.lines.join("\n")).toMatch(/SKIPPED lattice\/nodes\/home-1\/quadlet: its units target Podman 5.8/);
  });

  it("agrees with the real generator about a key newer than it: Memory= needs Podman 5.5", () => {
    // The binary here is Podman 5.4: it must reject Memory=, and our gating for 5.4 must avoid it.
    const unit = { type: "container" as const, name: "probe", body: [["Image", "docker.io/library/nats:2.11.16-alpine"], ["Memory", "512m"]] as [string, string][] };
    const raw = tempDir();
    writeFileSync(join(raw, "probe.container"), renderUnit(unit));
    const refused = quadletDryRun(quadlet as string, raw);
    expect(refused.ok).toBe(false);
    expect(refused.output).toMatch(/unsupported key 'Memory'/);
    const fitted = fitToPodman(unit, "5.4");
    expect(fitted.errors).toEqual([]);
    const ok = join(tempDir(), "units");
    mkdirSync(ok);
    writeFileSync(join(ok, "probe.container"), renderUnit(fitted.unit));
    const accepted = quadletDryRun(quadlet as string, ok);
    expect(accepted.ok, accepted.output).toBe(true);
    expect(accepted.output).toContain("--memory=512m");
  });
});

describe.skipIf(!realBinary("systemd-analyze"))("systemd units", () => {
  it("pass systemd-analyze verify, which refuses a broken one", async () => {
    const { R2Backup, Grid, Lattice } = await import("../src/index.js");
    const { THREE_HUBS } = await import("./fixtures/grids.js");
    const g = new Grid("t");
    new R2Backup(new Lattice(g, "lattice", { hubs: THREE_HUBS, wasmcloud: "v1" }), "nightly", { accountId: "0123456789abcdef0123456789abcdef" });
    const out = join(tempDir(), "out");
    writeOutput(g.synth({ masterSeed: SEED }), out);
    const ok = await runValidators(out);
    // 3 policy services + the timer, once where the constructs write them and once in the hubs' bundles
    expect(ok.lines.filter((l) => l.startsWith("systemd-analyze verify: ok")).length).toBe(8);
    const timer = join(out, "lattice/backup/nightly/systemd/nightly-backup.timer");
    const { readFileSync } = await import("node:fs");
    writeFileSync(timer, readFileSync(timer, "utf8").replace(/OnCalendar=.*/, "OnCalendar=banana"));
    const bad = await runValidators(out);
    expect(bad.ok).toBe(false);
    expect(bad.lines.join("\n")).toMatch(/systemd-analyze verify: FAIL lattice\/backup\/nightly\/systemd\/nightly-backup\.timer[\s\S]*calendar/);
  });
});

describe("compose files", () => {
  it("pass the Compose Specification schema with a project name, and a broken one is refused", async () => {
    for (const version of ["v1", "v2"] as const) {
      const file = smallGrid({ "home-1": {}, "home-2": {} }, version).synth({ masterSeed: SEED }).files.find((f) => f.path.endsWith("compose/compose.yaml"))!;
      expect(await composeProblems(file.content), version).toEqual([]);
      const doc = parse(file.content) as { name: string; services: Record<string, Record<string, unknown>> };
      expect(doc.name).toMatch(/^tlos-[a-z0-9][a-z0-9_-]*$/);
      doc.services["hub"]!["restart"] = ["always"];
      doc.services["home-1-wasmcloud"]!["depends_on"] = "home-1-nats";
      const problems = await composeProblems(stringify({ ...doc, servicez: {} }));
      expect(problems.join("; ")).toMatch(/\/services\/hub\/restart must be string/);
      expect(problems.join("; ")).toMatch(/\/services\/home-1-wasmcloud\/depends_on must be (array|object)/);
      expect(problems.join("; ")).toMatch(/must NOT have additional properties/);
    }
  });
});
