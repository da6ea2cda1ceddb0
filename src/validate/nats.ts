/**
 * `nats-server -t` on a synthesized config. The configs name container paths (`/etc/nats/…`,
 * `/data`); we map each one into a staging folder and put the real files there: the operator
 * JWT and creds from the synth output, TLS files from a throwaway openssl CA.
 * @see https://docs.nats.io/running-a-nats-service/introduction/flags
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { run, type Runner } from "./spawn.js";

export interface NatsCheck {
  readonly ok: boolean;
  readonly output: string;
}

const CA_ARGS = ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=tlos test CA",
  "-keyout", "ca-key.pem", "-out", "ca.pem", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"];
const CSR_ARGS = ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=tlos test server", "-keyout", "server-key.pem", "-out", "server.csr"];
const CRT_ARGS = ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.pem"];
const serverExt = (hosts: readonly string[]) =>
  `subjectAltName=${hosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(",")}\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=critical,CA:FALSE\n`;

/** Creates a CA, a server cert and key in `dir` (P-256); returns false when openssl is missing. */
export function makeTestTls(openssl: string, dir: string, hosts: readonly string[] = ["127.0.0.1", "localhost"]): boolean {
  mkdirSync(dir, { recursive: true });
  const ssl = (args: string[]) => spawnSync(openssl, args, { cwd: dir, encoding: "utf8", timeout: 30_000 });
  if (ssl(CA_ARGS).status !== 0) return false;
  writeFileSync(join(dir, "server.ext"), serverExt(hosts));
  return ssl(CSR_ARGS).status === 0 && ssl(CRT_ARGS).status === 0;
}

/**
 * {@link makeTestTls} without blocking: the CA and the server's key and CSR at once, then the
 * signature, so validator processes can start meanwhile.
 */
export async function makeTestTlsAsync(openssl: string, dir: string, hosts: readonly string[] = ["127.0.0.1", "localhost"], runner: Runner = run): Promise<boolean> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "server.ext"), serverExt(hosts));
  const ssl = (args: readonly string[]) => runner(openssl, args, { cwd: dir });
  const [ca, csr] = await Promise.all([ssl(CA_ARGS), ssl(CSR_ARGS)]);
  if (ca.status !== 0 || csr.status !== 0) return false;
  return (await ssl(CRT_ARGS)).status === 0;
}

export interface StageFiles {
  /** Operator JWT to put wherever the config expects `operator.jwt`. */
  readonly operatorJwt?: string;
  /** Any `.creds` file of the lattice. */
  readonly creds?: string;
  /** Folder with ca.pem, server.pem, server-key.pem. */
  readonly tlsDir?: string;
}

/** Kubernetes TLS secret names map onto the test CA's files. */
const TLS_ALIAS: Record<string, string> = { "tls.crt": "server.pem", "tls.key": "server-key.pem", "ca.crt": "ca.pem" };

/** The real file to use for a path a config names, when we have one. */
function sourceFor(name: string, files: StageFiles): string | undefined {
  if (name.endsWith(".jwt")) return files.operatorJwt;
  if (name.endsWith(".creds")) return files.creds;
  if (files.tlsDir && (name.endsWith(".pem") || TLS_ALIAS[name])) {
    const src = join(files.tlsDir, TLS_ALIAS[name] ?? name);
    return existsSync(src) ? src : undefined;
  }
  return undefined;
}

/**
 * Rewrites every quoted absolute path of `conf`: a file we have (operator JWT, creds, TLS files)
 * is pointed at directly (no copy per config), any other path into `stage`, its folder created.
 * Configs may share one `stage` (`nats-server -t` writes nothing there); `made` then remembers
 * the folders already created, so each is made once.
 */
export function stageConfig(confText: string, stage: string, files: StageFiles, made: Set<string> = new Set()): string {
  return confText.replace(/"(\/[^"]*)"/g, (_m, p: string) => {
    const src = sourceFor(basename(p), files);
    if (src) return JSON.stringify(resolve(src));
    const target = join(stage, p);
    const folder = dirname(target);
    if (!made.has(folder)) {
      mkdirSync(folder, { recursive: true });
      made.add(folder);
    }
    return JSON.stringify(target);
  });
}

export async function natsConfigTest(binary: string, confPath: string, env: NodeJS.ProcessEnv = process.env, runner: Runner = run): Promise<NatsCheck> {
  const r = await runner(binary, ["-t", "-c", confPath], { env });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`.trim();
  return { ok: r.status === 0 && /is valid/.test(output), output };
}

export function readText(p: string): string {
  return readFileSync(p, "utf8");
}
