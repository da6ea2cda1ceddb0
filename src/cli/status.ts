/**
 * `tlos status <dir> --server <url> --creds <sys.creds>`: is what runs what was declared? Reads
 * the lattice's `expected.json` from a synth output, asks the hubs through the system account,
 * and (with `--lattice-creds`, v1) the hosts through the control interface. Exit 0 when all is
 * as declared, 1 on any drift.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { TlosError } from "../core/errors.js";
import { latticeFiles } from "../core/layout.js";
import type { LatticeExpectation } from "../nats/expectation.js";
import { UsageError, type Command, type Io } from "./command.js";

/** The expectation of the one lattice (or `--lattice <id>`) in a synth output. */
function expectation(dir: string, id: string | undefined): LatticeExpectation {
  const manifest = join(dir, "manifest.json");
  if (!existsSync(manifest)) throw new TlosError(`${manifest} does not exist: run tlos synth <program> --out ${dir} first`);
  const ids = (JSON.parse(readFileSync(manifest, "utf8")) as { files: { path: string }[] }).files.map((f) => f.path).filter((p) => /^[^/]+\/expected\.json$/.test(p)).map((p) => p.split("/")[0] as string);
  const pick = id ?? (ids.length === 1 ? ids[0] : undefined);
  if (!pick || !ids.includes(pick)) throw new UsageError(`tlos status: ${id ? `no lattice ${JSON.stringify(id)} in ${dir}` : `${dir} holds ${ids.length} lattices`}: give --lattice ${ids.join("|") || "<id>"}`);
  return JSON.parse(readFileSync(join(dir, latticeFiles(pick).expected), "utf8")) as LatticeExpectation;
}

interface Opts { servers: string[]; creds: string; latticeCreds?: string; lattice?: string; json: boolean; waitMs: number; listenMs: number; ca?: string }

async function once(dir: string, io: Io, opts: Opts): Promise<number> {
  const e = expectation(dir, opts.lattice);
  const { observeHeartbeats, observeHubs, observeV1 } = await import("./status-gather.js");
  const { latticeStatus } = await import("../nats/status-check.js");
  const tls = opts.ca ? { tls: { caFile: opts.ca } } : {};
  const lattice = opts.latticeCreds ? { servers: opts.servers, credsFile: opts.latticeCreds, ...tls } : undefined;
  const [hubs, v1, heartbeats] = await Promise.all([
    observeHubs({ servers: opts.servers, credsFile: opts.creds, ...tls }, e, opts.waitMs),
    lattice && e.wasmcloud === "v1" ? observeV1(lattice, e, opts.waitMs) : undefined,
    lattice && e.wasmcloud === "v2" ? observeHeartbeats(lattice, e, opts.listenMs, opts.waitMs) : undefined,
  ]);
  const s = latticeStatus(e, { ...hubs, ...(v1 ?? {}), ...(heartbeats ? { heartbeats } : {}) });
  if (opts.json) io.out(`${JSON.stringify({ ok: s.drift.length === 0, ...s }, null, 2)}\n`);
  else io.out((await import("./status-render.js")).renderStatus(s));
  return s.drift.length === 0 ? 0 : 1;
}

export const statusCommand: Command = {
  usage: "status <dir> --server <url> --creds <sys.creds> [--lattice-creds <admin.creds>] [--lattice <id>] [--json] [--watch] [--interval <duration>] [--wait <duration>] [--listen <duration>] [--ca <ca.pem>]",
  help: `Compares the running lattice with a synth output: every hub (up, version, routes), the
JetStream meta leader and peers, every declared leaf by the user it authenticated as (connected
as often as its replicas, to which hub, over TLS, under its own name), leaves of no member, each
Akash lease's leaves, streams and KV buckets at their declared replicas and current. With
--lattice-creds: v1 hosts answering the control interface with their labels, and each app as
wadm deploys it (version, model digest, every component on a host); v2 the host groups the
hosts' heartbeats report (listens up to --listen, 16s: a host beats every 15 s). Asks the
hubs through the system account (--creds: secrets/<lattice>/sys.creds). Exit 0 when all is as
declared, 1 on drift. --watch refreshes every --interval (5s). Durations: 500ms, 2s, 1m; a bare
number is milliseconds for --wait and --listen (2000, 16000), seconds for --interval.`,
  flags: {
    server: { type: "string", short: "s", multiple: true }, creds: { type: "string" }, "lattice-creds": { type: "string" }, lattice: { type: "string" },
    json: { type: "boolean" }, watch: { type: "boolean", short: "w" }, interval: { type: "string" }, wait: { type: "string" }, listen: { type: "string" }, ca: { type: "string" },
  },
  positionals: [1, 1],
  required: ["server", "creds"],
  async run(args, io) {
    const latticeCreds = args.str("lattice-creds"), lattice = args.str("lattice"), ca = args.str("ca");
    const opts = { servers: args.strs("server"), creds: args.str("creds") as string, json: args.bool("json"), waitMs: args.duration("status", "wait", { unit: "ms", default: 2000, min: 100, max: 60_000 }), listenMs: args.duration("status", "listen", { unit: "ms", default: 16_000, min: 100, max: 120_000 }), ...(latticeCreds ? { latticeCreds } : {}), ...(lattice ? { lattice } : {}), ...(ca ? { ca } : {}) };
    const dir = args.positionals[0] as string;
    if (!args.bool("watch")) return once(dir, io, opts);
    const interval = args.duration("status", "interval", { unit: "s", default: 5000, min: 1000, max: 3_600_000 });
    let stop = false;
    const onSignal = () => (stop = true);
    process.once("SIGINT", onSignal).once("SIGTERM", onSignal);
    let code = 0;
    while (!stop) {
      if (!opts.json && process.stdout.isTTY) io.out("\x1b[2J\x1b[H");
      code = await once(dir, io, opts).catch((e: unknown) => (io.err(`error: ${(e as Error).message}\n`), 1));
      for (let t = 0; t < interval && !stop; t += 100) await new Promise((r) => setTimeout(r, 100));
    }
    return code;
  },
};
