// The spawn floor of `tlos validate`: the same validator processes in a shell loop, and nothing
// else — `quadlet -version`, the throwaway TLS CA's three openssl calls (CA and server key at
// once, then the signature; the configs are staged after), `quadlet -dryrun` per unit folder, `nats-server -t` per staged config,
// `systemd-analyze verify` per unit — on the same output, in the same order, `jobs` shells at a
// time (command i in shell i mod jobs), outputs to /dev/null. Node only stages the configs as
// validate does (the same stageConfig, one shared folder tree) and starts the one shell: no schema
// checks, no reading of results, no report.
//   node bench/lib/validate-floor.mjs <out> <jobs>
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
const [out, jobs] = process.argv.slice(2);
const { findBinary } = await import("../../dist-lib/validate/find.js");
const { stageConfig } = await import("../../dist-lib/validate/nats.js");
const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
const quadlet = findBinary("quadlet"), nats = findBinary("nats-server"), sa = findBinary("systemd-analyze"), openssl = findBinary("openssl");
const q = (s) => `'${s.replaceAll("'", "'\\''")}'`;
const stage = mkdtempSync(join(tmpdir(), "tlos-floor-"));
const tls = join(stage, "_tls");
let head = "";
if (quadlet) head += `${q(quadlet)} -version >/dev/null 2>&1 &\n`;
if (openssl) {
  mkdirSync(tls);
  writeFileSync(join(tls, "server.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=critical,CA:FALSE\n");
  const ec = "-newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes";
  head += `cd ${q(tls)}\n${q(openssl)} req -x509 ${ec} -days 2 -subj '/CN=tlos test CA' -keyout ca-key.pem -out ca.pem -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign >/dev/null 2>&1 &\n`;
  head += `${q(openssl)} req ${ec} -subj '/CN=tlos test server' -keyout server-key.pem -out server.csr >/dev/null 2>&1 &\nwait\n`;
  head += `${q(openssl)} x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile server.ext -out server.pem >/dev/null 2>&1\n`;
}
spawnSync("/bin/sh", ["-c", `${head}wait\n`], { stdio: "inherit" }); // the configs are staged with the TLS files made
const cmds = [];
if (quadlet) for (const d of new Set(m.files.filter((f) => f.kind === "quadlet-unit").map((f) => dirname(f.path)))) cmds.push(`QUADLET_UNIT_DIRS=${q(join(out, d))} ${q(quadlet)} -dryrun -user -no-kmsg-log`);
const creds = m.files.find((f) => f.path.endsWith(".creds"))?.path;
const made = new Set();
if (nats) m.files.filter((x) => x.kind === "nats-config").forEach((f, i) => {
  const jwt = m.files.find((x) => x.kind === "nats-jwt" && dirname(x.path) === dirname(f.path))?.path;
  const file = join(stage, `${i}.conf`);
  writeFileSync(file, stageConfig(readFileSync(join(out, f.path), "utf8"), join(stage, "fs"), { ...(jwt ? { operatorJwt: join(out, jwt) } : {}), ...(creds ? { creds: join(out, creds) } : {}), ...(openssl ? { tlsDir: tls } : {}) }, made));
  cmds.push(`${q(nats)} -t -c ${q(file)}`);
});
if (sa) for (const f of m.files.filter((x) => x.kind === "systemd-unit")) cmds.push(`${q(sa)} verify --man=no ${q(join(out, f.path))}`);
const slices = Array.from({ length: Number(jobs) }, () => []);
cmds.forEach((c, i) => slices[i % slices.length].push(`${c} >/dev/null 2>&1`));
spawnSync("/bin/sh", ["-c", `${slices.map((s) => `(\n${s.join("\n")}\n) &\n`).join("")}wait\n`], { stdio: "inherit" });
rmSync(stage, { recursive: true, force: true });
console.log(JSON.stringify({ spawns: cmds.length + (quadlet ? 1 : 0) + (openssl ? 3 : 0) }));
