// The spawn floor of `tlos validate`: the same validator processes (quadlet -dryrun per unit
// folder, nats-server -t per config, systemd-analyze verify per unit) on the same output, as many
// at a time as there are cores, with nothing else (no staging of TLS/creds, no parsing of results).
//   node bench/lib/validate-floor.mjs <out> <jobs>
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
const [out, jobs] = process.argv.slice(2);
const { findBinary } = await import("../../dist-lib/validate/find.js");
const m = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
const quadlet = findBinary("quadlet"), nats = findBinary("nats-server"), sa = findBinary("systemd-analyze");
const cmds = [];
if (quadlet) for (const d of new Set(m.files.filter((f) => f.kind === "quadlet-unit").map((f) => dirname(f.path)))) cmds.push([quadlet, ["-dryrun", "-user", "-no-kmsg-log"], { QUADLET_UNIT_DIRS: join(out, d) }]);
if (nats) for (const f of m.files.filter((x) => x.kind === "nats-config")) cmds.push([nats, ["-t", "-c", join(out, f.path)], {}]);
if (sa) for (const f of m.files.filter((x) => x.kind === "systemd-unit")) cmds.push([sa, ["verify", "--man=no", join(out, f.path)], {}]);
let next = 0;
const worker = async () => {
  while (next < cmds.length) {
    const [bin, args, env] = cmds[next++];
    await new Promise((r) => execFile(bin, args, { env: { ...process.env, ...env }, maxBuffer: 1 << 26 }, () => r()));
  }
};
await Promise.all(Array.from({ length: Number(jobs) }, worker));
console.log(JSON.stringify({ spawns: cmds.length }));
