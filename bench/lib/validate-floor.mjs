// The spawn floor of `tlos validate`: the same validator processes (the throwaway TLS CA's openssl
// calls, quadlet -dryrun per unit folder, nats-server -t per staged config, systemd-analyze verify
// per unit) on the same output, as many at a time as there are cores, and nothing else: no
// schema checks, no parsing of results, no report.
//   node bench/lib/validate-floor.mjs <out> <jobs>
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
const [out, jobs] = process.argv.slice(2);
const { findBinary } = await import("../../dist-lib/validate/find.js");
const { makeTestTls, stageConfig } = await import("../../dist-lib/validate/nats.js");
const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
const quadlet = findBinary("quadlet"), nats = findBinary("nats-server"), sa = findBinary("systemd-analyze");
const cmds = [];
if (quadlet) for (const d of new Set(m.files.filter((f) => f.kind === "quadlet-unit").map((f) => dirname(f.path)))) cmds.push([quadlet, ["-dryrun", "-user", "-no-kmsg-log"], { QUADLET_UNIT_DIRS: join(out, d) }]);
const stage = mkdtempSync(join(tmpdir(), "tlos-floor-"));
const openssl = findBinary("openssl");
if (openssl) makeTestTls(openssl, join(stage, "_tls"));
const creds = m.files.find((f) => f.path.endsWith(".creds"))?.path;
if (nats) m.files.filter((x) => x.kind === "nats-config").forEach((f, i) => {
  const jwt = m.files.find((x) => x.kind === "nats-jwt" && dirname(x.path) === dirname(f.path))?.path;
  const file = join(stage, `${i}.conf`);
  writeFileSync(file, stageConfig(readFileSync(join(out, f.path), "utf8"), join(stage, String(i)), { ...(jwt ? { operatorJwt: join(out, jwt) } : {}), ...(creds ? { creds: join(out, creds) } : {}), tlsDir: join(stage, "_tls") }));
  cmds.push([nats, ["-t", "-c", file], {}]);
});
if (sa) for (const f of m.files.filter((x) => x.kind === "systemd-unit")) cmds.push([sa, ["verify", "--man=no", join(out, f.path)], {}]);
let next = 0;
const worker = async () => {
  while (next < cmds.length) {
    const [bin, args, env] = cmds[next++];
    await new Promise((r) => execFile(bin, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 26 }, () => r()));
  }
};
await Promise.all(Array.from({ length: Number(jobs) }, worker));
rmSync(stage, { recursive: true, force: true });
console.log(JSON.stringify({ spawns: cmds.length + (openssl ? 3 : 0) }));
