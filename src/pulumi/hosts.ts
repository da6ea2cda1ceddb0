/**
 * The machines of the grid deployed by `pulumi up` through `@pulumi/command` (a peer dependency):
 * per `hosts/<host>/` bundle, its non-secret files copied as assets (`remote.CopyToRemote`), its
 * secret files written by a command that reads them from stdin (never a command line, never an
 * asset in state), then its `install.sh` run — each triggered by the hashes of what it carries,
 * so an unchanged bundle runs nothing. A `local` connection runs the same on the machine running
 * `pulumi up`. Per lattice, `tlos claims push` sends the account JWT to the hubs when it changes.
 * @see https://www.pulumi.com/registry/packages/command/
 */
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type * as Cmd from "@pulumi/command";
import type { Artifact, SynthResult } from "../synth/artifact.js";
import { HOSTS, bundleDir, latticeFiles } from "../core/layout.js";
import type { Problem } from "../core/errors.js";
import type { GridStackConfig, HostConnectionConfig } from "./config.js";

const require = createRequire(import.meta.url);

/** The resources that put one machine's bundle in place. */
export interface HostResources {
  /** The non-secret files as assets (SSH hosts). */
  readonly copy?: Cmd.remote.CopyToRemote;
  /** Writes the secret files from stdin (SSH hosts). */
  readonly secrets?: Cmd.remote.Command;
  /** Runs `install.sh`. */
  readonly install: Cmd.remote.Command | Cmd.local.Command;
}

/** Shell single quotes. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const SAFE_PATH = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;
const sha256 = (parts: readonly Artifact[]) => {
  const h = createHash("sha256");
  for (const f of [...parts].sort((a, b) => (a.path < b.path ? -1 : 1))) h.update(`${f.path}\0${f.content}\0`);
  return h.digest("hex");
};

/** The hosts with a bundle in a synth result, sorted. */
export function bundleHosts(files: readonly Pick<Artifact, "path">[]): string[] {
  const hosts = new Set<string>();
  for (const f of files) {
    const m = new RegExp(`^${HOSTS}/([^/]+)/`).exec(f.path);
    if (m) hosts.add(m[1]!);
  }
  return [...hosts].sort();
}

/** Every bundle host needs a connection; every connection names a bundle host. */
export function hostProblems(gridPath: string, hosts: readonly string[], config: GridStackConfig): Problem[] {
  const out: Problem[] = [];
  for (const h of hosts) if (!config.hosts[h]) out.push({ path: gridPath, field: `tlos:hosts.${h}`, message: `machine ${h} has a bundle but no connection; allowed: { connection: "ssh", host, user } or { connection: "local" }` });
  for (const h of Object.keys(config.hosts)) if (!hosts.includes(h)) out.push({ path: gridPath, field: `tlos:hosts.${h}`, message: `"${h}" is not a machine of the grid; allowed: ${hosts.join(", ") || "(none)"}` });
  if (Object.values(config.hosts).some((c) => c.connection === "ssh") && !config.sshPrivateKey) out.push({ path: gridPath, field: "tlos:sshPrivateKey", message: "not set; SSH connections need it: pulumi config set --secret tlos:sshPrivateKey < ~/.ssh/id_ed25519" });
  return out;
}

/**
 * A script that writes `<relative path> <base64>` lines from stdin below `dir` (mode 0600,
 * folders 0700), refusing absolute paths and `..`. The secrets travel only on stdin.
 */
export function unpackScript(dir: string): string {
  return [
    "set -eu", "umask 077", `mkdir -p ${dir}`,
    "while read -r p b; do",
    `  case "$p" in /*|*..*) echo "refused path $p" >&2; exit 1;; esac`,
    `  mkdir -p ${dir}/"$(dirname "$p")"`,
    `  printf '%s' "$b" | base64 -d > ${dir}/"$p"`,
    "done",
  ].join("\n");
}

/** Files as `<path below the bundle> <base64>` lines. */
export function packLines(files: readonly Pick<Artifact, "path" | "content">[], prefix: string): string {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : 1)).map((f) => {
    const rel = f.path.slice(prefix.length);
    if (!SAFE_PATH.test(rel) || rel.split("/").includes("..")) throw new Error(`internal: unsafe bundle path ${f.path}`);
    return `${rel} ${Buffer.from(f.content, "utf8").toString("base64")}\n`;
  }).join("");
}

/** Creates the copy, secrets and install resources of every configured host. */
export function hostResources(gridName: string, hosts: readonly string[], config: GridStackConfig, result: pulumi.Output<SynthResult>, parent: pulumi.Resource): Record<string, HostResources> {
  const cmd = require("@pulumi/command") as typeof Cmd;
  const out: Record<string, HostResources> = {};
  for (const host of hosts) {
    const conn = config.hosts[host] as HostConnectionConfig;
    const prefix = `${bundleDir(host)}/`;
    const mine = result.apply((r) => r.files.filter((f) => f.path.startsWith(prefix)));
    const plain = pulumi.unsecret(mine.apply((fs) => fs.filter((f) => !f.secret)));
    const secret = pulumi.secret(mine.apply((fs) => fs.filter((f) => f.secret)));
    const bundleHash = pulumi.unsecret(plain.apply(sha256));
    // a digest of high-entropy secrets: kept secret anyway, so state shows only that it changed
    const secretHash = pulumi.secret(secret.apply(sha256));
    const dir = conn.dir ?? `tlos-${host}`;
    const name = `${gridName}-host-${host}`;
    const opts = { parent };
    if (conn.connection === "local") {
      const install = new cmd.local.Command(`${name}-install`, {
        create: `cd "$HOME"\n${unpackScript(q(dir))}\ncd ${q(dir)} && bash ./install.sh`,
        stdin: pulumi.secret(pulumi.all([plain, secret]).apply(([p, s]) => packLines([...p, ...s], prefix))),
        triggers: [bundleHash, secretHash],
        logging: "stdoutAndStderr",
      }, opts);
      out[host] = { install };
      continue;
    }
    const connection: Cmd.types.input.remote.ConnectionArgs = {
      host: conn.host,
      ...(conn.user ? { user: conn.user } : {}),
      ...(conn.port ? { port: conn.port } : {}),
      ...(conn.hostKey ? { hostKey: conn.hostKey } : {}),
      privateKey: pulumi.secret(config.sshPrivateKey!),
    };
    // an archive takes a promise of its assets (an Output of an archive would serialize empty)
    const assets = new pulumi.asset.AssetArchive(new Promise<pulumi.asset.AssetMap>((resolve) => {
      plain.apply((fs) => resolve(Object.fromEntries(fs.map((f) => [f.path.slice(prefix.length), new pulumi.asset.StringAsset(f.content)]))));
    }));
    const copy = new cmd.remote.CopyToRemote(`${name}-bundle`, { connection, source: assets, remotePath: dir, triggers: [bundleHash] }, opts);
    const secrets = new cmd.remote.Command(`${name}-secrets`, {
      connection,
      // the secret files sit below the bundle's secrets/ folder
      create: unpackScript(q(dir)),
      stdin: pulumi.secret(secret.apply((s) => packLines(s, prefix))),
      triggers: [secretHash],
      logging: "stdoutAndStderr",
    }, { ...opts, dependsOn: [copy] });
    const install = new cmd.remote.Command(`${name}-install`, {
      connection,
      create: `cd ${q(dir)} && bash ./install.sh`,
      triggers: [bundleHash, secretHash],
      logging: "stdoutAndStderr",
    }, { ...opts, dependsOn: [copy, secrets] });
    out[host] = { copy, secrets, install };
  }
  return out;
}

/**
 * `tlos claims push` of each configured lattice's account JWT, on the machine running `pulumi up`,
 * re-run when the JWT changes (a revoked node, new limits); the system creds travel on stdin.
 */
export function claimsPushes(gridName: string, lattices: readonly string[], config: GridStackConfig, result: pulumi.Output<SynthResult>, parent: pulumi.Resource, after: readonly pulumi.Resource[]): Record<string, Cmd.local.Command> {
  const cmd = require("@pulumi/command") as typeof Cmd;
  const out: Record<string, Cmd.local.Command> = {};
  for (const id of lattices) {
    const target = config.lattices[id];
    if (!target) continue;
    const lf = latticeFiles(id);
    const file = (p: string) => result.apply((r) => r.files.find((f) => f.path === p));
    const jwt = pulumi.unsecret(file(lf.accountJwt).apply((f) => f?.content ?? ""));
    const sys = pulumi.secret(file(lf.sysCreds));
    const push = [
      'd=$(mktemp -d)', 'trap \'rm -rf "$d"\' EXIT', unpackScript('"$d"'),
      `npx --no-install tlos claims push "$d/account.jwt" --server ${q(target.server)} --creds "$d/sys.creds"${target.tlsCa ? ` --tls-ca ${q(target.tlsCa)}` : ""}`,
    ].join("\n");
    out[id] = new cmd.local.Command(`${gridName}-${id}-claims-push`, {
      create: push,
      stdin: pulumi.secret(pulumi.all([jwt, sys]).apply(([j, s]) => `account.jwt ${Buffer.from(j).toString("base64")}\nsys.creds ${Buffer.from(s?.content ?? "").toString("base64")}\n`)),
      triggers: [jwt.apply((j) => createHash("sha256").update(j).digest("hex"))],
      logging: "stdoutAndStderr",
    }, { parent, dependsOn: [...after] });
  }
  return out;
}
