/**
 * Test helpers for the grid registry: the emitted distribution configs run by Debian's real
 * `docker-registry` (CNCF distribution 2.8) on a given address, with only the listen address and
 * the file paths adapted, and a small OCI distribution client (https with the lattice CA, basic
 * auth) that pushes and pulls a `.wasm` component artifact by digest.
 */
import { createHash } from "node:crypto";
import { request } from "node:https";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { ChildProcess } from "node:child_process";
import { parse, stringify } from "yaml";
import { startProcess, waitFor } from "./helpers.js";

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

/** One https request to `base` (`https://host:port`) trusting only `ca`; `auth` is `user:password`. */
export function call(ca: string, base: string, method: string, path: string, o: { auth?: string; body?: Buffer; type?: string; accept?: string } = {}): Promise<Reply> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (o.auth) headers["authorization"] = `Basic ${Buffer.from(o.auth).toString("base64")}`;
    if (o.type) headers["content-type"] = o.type;
    if (o.accept) headers["accept"] = o.accept;
    headers["content-length"] = String(o.body?.length ?? 0);
    const req = request(url, { method, headers, ca, servername: url.hostname.match(/^[\d.]+$/) ? undefined : url.hostname, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on("error", reject);
    req.on("timeout", () => req.destroy(new Error(`${method} ${url.href} timed out`)));
    req.end(o.body);
  });
}

export const sha256 = (b: Buffer): string => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/** A small valid WebAssembly module (exports `add`), as a component pipeline would push it. */
export const WASM = Buffer.from("0061736d0100000001070160027f7f017f030201000707010361646400000a09010700200020016a0b", "hex");

/** The OCI manifest of a wasm component artifact (config + one `application/wasm` layer). */
export function wasmArtifact(wasm = WASM): { config: Buffer; manifest: Buffer; digest: string } {
  const config = Buffer.from(JSON.stringify({ created: "2025-01-01T00:00:00Z", architecture: "wasm", os: "wasip2", layerDigests: [sha256(wasm)] }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2, mediaType: "application/vnd.oci.image.manifest.v1+json", artifactType: "application/vnd.wasm.config.v0+json",
    config: { mediaType: "application/vnd.wasm.config.v0+json", digest: sha256(config), size: config.length },
    layers: [{ mediaType: "application/wasm", digest: sha256(wasm), size: wasm.length }],
  }));
  return { config, manifest, digest: sha256(manifest) };
}

/** Pushes one blob (POST then PUT with the digest); returns the final status. */
export async function pushBlob(ca: string, base: string, repo: string, blob: Buffer, auth?: string): Promise<number> {
  const start = await call(ca, base, "POST", `/v2/${repo}/blobs/uploads/`, auth ? { auth } : {});
  if (start.status !== 202) return start.status;
  const loc = new URL(String(start.headers["location"]), base);
  loc.searchParams.set("digest", sha256(blob));
  const put = await call(ca, base, "PUT", `${loc.pathname}${loc.search}`, { ...(auth ? { auth } : {}), body: blob, type: "application/octet-stream" });
  return put.status;
}

/** Pushes the artifact by digest (blobs, then the manifest under its digest, no tag). */
export async function pushArtifact(ca: string, base: string, repo: string, auth: string | undefined, wasm = WASM): Promise<{ digest: string; statuses: number[] }> {
  const a = wasmArtifact(wasm);
  const statuses = [await pushBlob(ca, base, repo, wasm, auth), await pushBlob(ca, base, repo, a.config, auth)];
  const m = await call(ca, base, "PUT", `/v2/${repo}/manifests/${a.digest}`, { ...(auth ? { auth } : {}), body: a.manifest, type: "application/vnd.oci.image.manifest.v1+json" });
  statuses.push(m.status);
  return { digest: a.digest, statuses };
}

/** A running distribution instance from an emitted config. */
export interface RunningRegistry {
  readonly proc: ChildProcess;
  readonly base: string;
  readonly log: string;
}

/**
 * Runs `docker-registry serve` on the emitted config `cfgFile`, changing only what the container
 * would have mounted: listen address, htpasswd, TLS files, storage root.
 */
export async function runRegistry(bin: string, cfgFile: string, dir: string, o: { role: string; addr: string; htpasswd: string; cert: string; key: string; data: string; httpSecret: string; ca: string; wrap?: string[]; ready?: string }): Promise<RunningRegistry> {
  mkdirSync(dir, { recursive: true });
  const cfg = parse(readFileSync(cfgFile, "utf8")) as { http: { addr: string; tls: Record<string, string> }; auth: { htpasswd: { path: string } }; storage: { filesystem: { rootdirectory: string } } };
  cfg.http.addr = o.addr;
  cfg.http.tls["certificate"] = o.cert;
  cfg.http.tls["key"] = o.key;
  cfg.auth.htpasswd.path = o.htpasswd;
  cfg.storage.filesystem.rootdirectory = o.data;
  const file = join(dir, `${o.role}.yml`);
  writeFileSync(file, stringify(cfg));
  const log = join(dir, `${o.role}.log`);
  const env = `REGISTRY_HTTP_SECRET=${o.httpSecret}`;
  const argv = [...(o.wrap ?? []), "env", env, bin, "serve", file];
  const proc = startProcess(argv[0]!, argv.slice(1), log);
  const base = `https://${o.addr}`;
  await waitFor(`registry ${o.role} on ${o.addr}`, async () => {
    if (proc.exitCode !== null) throw new Error(`registry ${o.role} exited: ${readFileSync(log, "utf8")}`);
    // elsewhere (another network namespace): its own log says when it listens
    if (o.ready) return readFileSync(log, "utf8").includes(o.ready);
    return (await call(o.ca, base, "GET", "/v2/").catch(() => ({ status: 0 }))).status === 401;
  }, 20_000);
  return { proc, base, log };
}
