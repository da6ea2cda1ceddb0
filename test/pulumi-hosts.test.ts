/**
 * The host commands' shell, run for real with bash: the script that writes a bundle's files from
 * stdin (how secrets reach a machine without a command line) and refuses paths out of its folder.
 * The SSH connection itself needs the Pulumi engine and a machine to reach, out of reach here.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, statSync, existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { packLines, unpackScript } from "../src/pulumi/hosts.js";
import { tempDir } from "./helpers.js";

describe("the bundle unpack script (bash)", () => {
  it("writes every file from stdin with mode 0600 below its folder, content byte for byte", () => {
    const dir = tempDir("tlos-unpack-");
    const files = [
      { path: "hosts/h/secrets/leaf.creds", content: "-----BEGIN NATS USER JWT-----\nabc\n------END NATS USER JWT------\n" },
      { path: "hosts/h/units/a b.conf".replace(" ", "_"), content: "x = 'quoted' $HOME `id`\n" },
      { path: "hosts/h/install.sh", content: "#!/usr/bin/env bash\necho ok\n" },
    ];
    execFileSync("bash", ["-c", unpackScript(`'${join(dir, "b")}'`)], { input: packLines(files, "hosts/h/") });
    for (const f of files) {
      const p = join(dir, "b", f.path.slice("hosts/h/".length));
      expect(readFileSync(p, "utf8")).toBe(f.content);
      expect(statSync(p).mode & 0o777).toBe(0o600);
    }
    expect(statSync(join(dir, "b", "secrets")).mode & 0o777).toBe(0o700);
  });

  it("refuses a line whose path climbs out of the folder or is absolute, writing nothing there", () => {
    const dir = tempDir("tlos-unpack-");
    for (const bad of ["../escape", "/etc/escape", "a/../../escape"]) {
      const r = spawnSync("bash", ["-c", unpackScript(`'${join(dir, "b")}'`)], { input: `${bad} ${Buffer.from("x").toString("base64")}\n` });
      expect(r.status, bad).not.toBe(0);
      expect(r.stderr.toString()).toContain(`refused path ${bad}`);
    }
    expect(existsSync(join(dir, "escape"))).toBe(false);
    expect(() => packLines([{ path: "hosts/h/../x", content: "" }], "hosts/h/")).toThrow(/unsafe bundle path/);
  });
});
