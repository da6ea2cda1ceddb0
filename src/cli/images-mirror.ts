/**
 * `tlos images mirror <dir>`: copies every image and component a synth output names into the
 * grid's registry, by digest, with `skopeo copy --all --preserve-digests` and the registry's push
 * identity: `docker.io/library/nats:2.11@sha256:…` lands at
 * `<push endpoint>/docker.io/library/nats@sha256:…`, where the machines' mirror drop-ins look
 * for it. A reference without a digest is skipped (pin it first: `tlos images <dir>`); skopeo
 * reads the source through the caller's containers-registries.conf, as any pull would, or the
 * one `--registries-conf` names (skopeo 1.9 ignores `CONTAINERS_REGISTRIES_CONF`).
 * @see https://github.com/containers/skopeo/blob/main/docs/skopeo-copy.1.md
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { TlosError } from "../core/errors.js";
import { MANIFEST_FILE, type Manifest } from "../synth/manifest.js";
import { imagesOf } from "./images-of.js";

type Io = { out: (s: string) => void; err: (s: string) => void };

/** What `registry.json` (constructs/registry-hosts.ts) says. */
interface RegistryInfo {
  readonly id: string;
  readonly push: string;
  readonly pull: string;
  readonly ca: string;
  readonly pushUser: string;
  readonly pushPasswordFile: string;
}

const DIGESTED = /^([^@\s]+?)(?::[\w][\w.-]{0,127})?@(sha256:[0-9a-f]{64})$/;

/** The component references of the wadm manifests and v2 workloads in `dir` (`image:` fields). */
function componentsOf(dir: string, manifest: Manifest): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of manifest.files) {
    if (f.secret || (f.kind !== "wadm-manifest" && f.kind !== "wasmcloud-workload")) continue;
    for (const m of readFileSync(join(dir, f.path), "utf8").matchAll(/^\s*(?:-\s+)?image:\s+"?([^"\s#]+)"?\s*$/gm)) out.set(m[1]!, [...(out.get(m[1]!) ?? []), f.path]);
  }
  return out;
}

/** `ref` (name[:tag]@digest) by digest alone (skopeo refuses a tag and a digest together), or undefined without a digest. */
export function byDigest(ref: string): string | undefined {
  const m = DIGESTED.exec(ref);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

/** Where `ref` goes in the registry: `<push>/<name>@<digest>`. */
export function mirrorTarget(push: string, ref: string): string | undefined {
  const d = byDigest(ref);
  return d ? `${push}/${d}` : undefined;
}

export async function mirrorCmd(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "dry-run": { type: "boolean" }, skopeo: { type: "string" }, "registries-conf": { type: "string" } } });
  const dir = positionals[0];
  if (!dir || positionals.length !== 1) {
    io.err("usage: tlos images mirror <dir> [--dry-run] [--skopeo <path>] [--registries-conf <file>]\n");
    return 2;
  }
  const mp = join(dir, MANIFEST_FILE);
  if (!existsSync(mp)) throw new TlosError(`${mp} does not exist: run tlos synth <program> --out ${dir} first`);
  const manifest = JSON.parse(readFileSync(mp, "utf8")) as Manifest;
  const infos = manifest.files.filter((f) => /\/registry\/[^/]+\/registry\.json$/.test(f.path) && !f.secret).map((f) => ({ path: f.path, info: JSON.parse(readFileSync(join(dir, f.path), "utf8")) as RegistryInfo }));
  if (infos.length === 0) throw new TlosError(`${dir} has no Registry: add one to the grid (new Registry(lattice, "oci", { host: … })) and synthesize again`);
  const refs = new Map([...imagesOf(dir), ...componentsOf(dir, manifest)]);
  const skopeo = values.skopeo ?? "skopeo";
  let failed = 0;
  for (const { path, info } of infos) {
    const base = dirname(join(dir, path));
    const pwFile = join(base, info.pushPasswordFile);
    if (!existsSync(pwFile)) throw new TlosError(`${pwFile} is missing: mirror from the operator's copy of the synth output (it holds secrets/)`);
    const password = readFileSync(pwFile, "utf8").trim();
    const certs = mkdtempSync(join(tmpdir(), "tlos-mirror-"));
    copyFileSync(join(base, info.ca), join(certs, "ca.crt"));
    // the password goes in a 0600 auth file in a 0700 folder, never on a command line (ps shows those)
    const authFile = join(certs, "auth.json");
    writeFileSync(authFile, JSON.stringify({ auths: { [info.push]: { auth: Buffer.from(`${info.pushUser}:${password}`).toString("base64") } } }), { mode: 0o600 });
    io.out(`registry ${info.id}: pushing to ${info.push} as ${info.pushUser}\n`);
    const counts = { copied: 0, skipped: 0, failed: 0 };
    try {
      for (const ref of refs.keys()) {
        if (ref.startsWith(`${info.pull}/`) || ref.startsWith(`${info.push}/`)) continue;
        const target = mirrorTarget(info.push, ref);
        if (!target) {
          counts.skipped++;
          io.out(`  skipped  ${ref}  (no digest: pin it first, see tlos images ${dir})\n`);
          continue;
        }
        if (values["dry-run"]) {
          io.out(`  would copy  ${ref}  ->  ${target}\n`);
          continue;
        }
        const conf = values["registries-conf"] === undefined ? [] : ["--registries-conf", values["registries-conf"]];
        const r = spawnSync(skopeo, [...conf, "copy", "--all", "--preserve-digests", "--retry-times", "2", "--dest-cert-dir", certs, "--dest-authfile", authFile, `docker://${byDigest(ref)!}`, `docker://${target}`], { encoding: "utf8", timeout: 600_000 });
        if (r.status === 0) {
          counts.copied++;
          io.out(`  copied   ${ref}  ->  ${target}\n`);
        } else {
          counts.failed++;
          const why = (r.error?.message ?? r.stderr.trim().split("\n").pop() ?? "").replaceAll(password, "***");
          io.out(`  FAILED   ${ref}: ${why}\n`);
        }
      }
    } finally {
      rmSync(certs, { recursive: true, force: true });
    }
    io.out(`registry ${info.id}: ${counts.copied} copied, ${counts.skipped} skipped (no digest), ${counts.failed} failed\n`);
    failed += counts.failed;
  }
  return failed > 0 ? 1 : 0;
}
