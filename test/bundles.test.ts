/**
 * Host bundles (`hosts/<host>/`): every machine the examples name gets one; no bundle holds
 * another machine's secret or a lattice-wide one (CA key, system/admin creds, issuer key); and
 * `install.sh` really runs (a recording `podman` stand-in — the real rootless Podman tier runs
 * elsewhere): under umask 077 it installs units 0644, creates the secrets from the bundle's files,
 * a second run changes nothing and says so, and Podman's own generator accepts the installed folder.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { Grid } from "../src/index.js";
import { writeOutput } from "../src/index.js";
import type { Artifact } from "../src/synth/artifact.js";
import { quadletDryRun } from "../src/validate/quadlet.js";
import { realBinary, SEED, tempDir } from "./helpers.js";

const EXAMPLES = {
  "home-node": () => import("../examples/home-node/grid.js"),
  "full-grid": () => import("../examples/full-grid/grid.js"),
  scale: () => import("../examples/scale/grid.js"),
};
async function synth(name: keyof typeof EXAMPLES): Promise<readonly Artifact[]> {
  vi.resetModules();
  const mod = await EXAMPLES[name]();
  const g = mod.default as Grid;
  return g.synth({ masterSeed: SEED }).files;
}

/** The secret values in a file: nkey seeds, PEM private key bodies, or the whole (short) secret. */
function secretTokens(f: Artifact): string[] {
  const seeds = f.content.match(/\bS[A-Z][A-Z2-7]{56}\b/g) ?? [];
  const pem = [...f.content.matchAll(/-----BEGIN PRIVATE KEY-----\n([\s\S]+?)\n-----END PRIVATE KEY-----/g)].map((m) => m[1]!.replace(/\n/g, ""));
  if (seeds.length + pem.length > 0) return [...seeds, ...pem];
  const t = f.content.trim();
  return t.length >= 16 && !t.includes("\n") ? [t] : [];
}

interface Owned { readonly path: string; readonly tokens: string[]; readonly owner: string | "operator" }

/** Who may hold each secret of the operator tree: a host id, or "operator" (nobody else). */
function ownership(files: readonly Artifact[]): Owned[] {
  const out: Owned[] = [];
  for (const f of files.filter((x) => x.path.startsWith("secrets/"))) {
    const p = f.path;
    let owner: string | undefined;
    let m: RegExpExecArray | null;
    if ((m = /^secrets\/[^/]+\/nodes\/([^/]+)\/(leaf\.creds|host\.seed)$/.exec(p))) owner = m[1];
    else if ((m = /^secrets\/[^/]+\/tls\/(.+)-key\.pem$/.exec(p)) && m[1] !== "ca") owner = m[1];
    else if (/\/(ca-key\.pem|sys\.creds|admin\.creds|issuer\.nk)$/.test(p)) owner = "operator";
    if (owner) out.push({ path: p, tokens: secretTokens(f), owner });
  }
  return out;
}

describe("host bundles hold only their machine's secrets", () => {
  for (const name of Object.keys(EXAMPLES) as (keyof typeof EXAMPLES)[]) {
    it(`${name}: no bundle file holds another machine's secret, the CA key or a lattice-wide credential`, async () => {
      const files = await synth(name);
      const hosts = [...new Set(files.filter((f) => f.path.startsWith("hosts/")).map((f) => f.path.split("/")[1]!))];
      const owned = ownership(files);
      expect(owned.filter((o) => o.owner === "operator").length).toBeGreaterThanOrEqual(4);
      let checked = 0;
      for (const host of hosts) {
        const bundle = files.filter((f) => f.path.startsWith(`hosts/${host}/`));
        expect(bundle.some((f) => f.path === `hosts/${host}/install.sh`), host).toBe(true);
        for (const o of owned.filter((x) => x.owner !== host)) {
          for (const t of o.tokens) {
            for (const f of bundle) {
              expect(f.content.includes(t), `${f.path} holds a secret of ${o.path}`).toBe(false);
              checked++;
            }
          }
        }
        // and what it does hold is its own
        for (const o of owned.filter((x) => x.owner === host)) {
          expect(bundle.some((f) => o.tokens.every((t) => f.content.includes(t))), `${host} lacks ${o.path}`).toBe(true);
        }
        // bundle secrets are secret files, 0600 when written
        for (const f of bundle.filter((x) => x.path.includes("/secrets/"))) expect(f.secret, f.path).toBe(true);
      }
      expect(checked).toBeGreaterThan(0);
    });
  }

  it("every machine the full grid names has a bundle: hubs of both lattices, Podman nodes, the relay host", async () => {
    const files = await synth("full-grid");
    const hosts = new Set(files.filter((f) => f.path.startsWith("hosts/")).map((f) => f.path.split("/")[1]!));
    expect([...hosts].sort()).toEqual(["edge-1", "home-1", "home-2", "hub-1", "hub-2", "hub-3", "legacy-edge-1", "legacy-home-1", "legacy-hub-1", "legacy-hub-2", "legacy-hub-3", "relay-1"].sort());
    // the backup runs on the first hub; its creds land where the unit reads them
    const hub1 = files.find((f) => f.path === "hosts/hub-1/install.sh")!.content;
    expect(hub1).toContain(`put "$here/secrets/nightly-backup.creds" "$HOME/.config/tlos/lattice/backup.creds" 600`);
    expect(hub1).toContain("systemctl --user enable --now 'nightly-backup.timer'");
    expect(files.find((f) => f.path === "hosts/hub-2/install.sh")!.content).not.toContain("backup");
  });
});

/** A `podman` stand-in that keeps secrets in a folder and answers `secret inspect --format` for the label. */
const FAKE_PODMAN = `#!/bin/sh
set -eu
store="$FAKE_PODMAN_DIR"; mkdir -p "$store"
echo "podman $*" >> "$store/calls"
[ "$1" = secret ] || exit 0
case "$2" in
  inspect) name="$5"; [ -f "$store/$name.label" ] || exit 125; cat "$store/$name.label"; echo ;;
  create) label="$5"; name="$6"; file="$7"; cp "$file" "$store/$name"; echo "\${label#tlos.sha256=}" > "$store/$name.label" ;;
esac
`;

describe("install.sh, run for real", () => {
  it("installs under umask 077 with explicit modes, creates the secrets, and a second run changes nothing", async () => {
    const out = join(tempDir("tlos-bundle-"), "out");
    vi.resetModules();
    const grid = (await import("../examples/full-grid/grid.js")).default as Grid;
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    const root = tempDir("tlos-install-");
    const bin = join(root, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "podman"), FAKE_PODMAN, { mode: 0o755 });
    // systemd stand-ins that record their calls (used only in the run without TLOS_NO_SYSTEMD)
    for (const b of ["systemctl", "loginctl"]) writeFileSync(join(bin, b), `#!/bin/sh\necho "${b} $*" >> "$FAKE_PODMAN_DIR/calls"\n`, { mode: 0o755 });
    // copy the bundle as an operator would, under a restrictive umask (modes are not kept)
    const bundle = join(root, "hub-1");
    spawnSync("sh", ["-c", `umask 077 && cp -r "${join(out, "hosts/hub-1")}" "${bundle}"`]);
    const home = join(root, "home");
    mkdirSync(home);
    const env = { ...process.env, PATH: `${bin}:${process.env["PATH"]}`, HOME: home, USER: "tlos", FAKE_PODMAN_DIR: join(root, "podman"), TLOS_SYSTEMD_DIR: join(home, "quadlet"), TLOS_NO_SYSTEMD: "1" };
    const run = () => spawnSync("sh", ["-c", `umask 077 && bash "${bundle}/install.sh"`], { env, encoding: "utf8" });
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/secret tlos-lattice-hub-1-tls-key: created/);
    expect(first.stdout).toMatch(/skipped secret tlos-nightly-s3-key-id: .* is missing/);
    expect(first.stdout).toMatch(/TLOS_NO_SYSTEMD=1: not reloading/);
    expect(first.stdout).toMatch(/hub-1: \d+ change\(s\)/);
    for (const f of readdirSync(join(home, "quadlet"))) expect(statSync(join(home, "quadlet", f)).mode & 0o777, f).toBe(0o644);
    expect(statSync(join(home, ".config/tlos/lattice/backup.creds")).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(root, "podman/tlos-lattice-hub-1-tls-key"), "utf8")).toBe(readFileSync(join(out, "secrets/lattice/tls/hub-1-key.pem"), "utf8"));
    const second = run();
    expect(second.status, second.stderr).toBe(0);
    expect(second.stdout.trim().split("\n").filter((l) => !/skipped secret|TLOS_NO_SYSTEMD|warning: tlos/.test(l))).toEqual(["hub-1: nothing changed"]);
    expect(readFileSync(join(root, "podman/calls"), "utf8")).not.toMatch(/systemctl|loginctl/);

    // a changed file is replaced, and with systemd the pod is restarted, the timer enabled, linger on
    writeFileSync(join(bundle, "units/hub-1-nats.conf"), "# changed\n");
    const third = spawnSync("sh", ["-c", `umask 077 && bash "${bundle}/install.sh"`], { env: { ...env, TLOS_NO_SYSTEMD: "" }, encoding: "utf8" });
    expect(third.status, third.stderr).toBe(0);
    expect(third.stdout).toMatch(/installed .*hub-1-nats\.conf \(mode 644\)/);
    const calls = readFileSync(join(root, "podman/calls"), "utf8");
    expect(calls).toMatch(/systemctl --user daemon-reload\nsystemctl --user restart hub-1-pod\.service\nsystemctl --user enable --now nightly-backup\.timer\nloginctl show-user tlos -p Linger --value\nloginctl enable-linger tlos/);
  });

  it.skipIf(!realBinary("quadlet"))("Podman's generator accepts every bundle's installed unit folder", async () => {
    const out = join(tempDir("tlos-bundle-q-"), "out");
    vi.resetModules();
    const grid = (await import("../examples/full-grid/grid.js")).default as Grid;
    writeOutput(grid.synth({ masterSeed: SEED }), out);
    for (const host of readdirSync(join(out, "hosts"))) {
      const dir = tempDir(`tlos-q-${host}-`);
      cpSync(join(out, "hosts", host, "units"), dir, { recursive: true });
      const r = quadletDryRun(realBinary("quadlet")!, dir);
      expect(r.ok, `${host}\n${r.output}`).toBe(true);
    }
  });
});
