/** The subcommands that talk to a running NATS lattice: lattice-init, jetstream, claims push, policy-responder. */
import { readFileSync } from "node:fs";
import { type Args, type Command, type Flag, UsageError } from "./command.js";

const CONNECT_FLAGS: Record<string, Flag> = { server: { type: "string", multiple: true }, creds: { type: "string" }, "tls-cert": { type: "string" }, "tls-key": { type: "string" }, "tls-ca": { type: "string" } };

/** A NATS connection from the shared flags: --server (repeatable), --creds, --tls-cert/--tls-key/--tls-ca. */
async function connectWith(args: Args, name: string, inboxPrefix?: string) {
  const { connectNats } = await import("./nats-connect.js");
  const [cert, key, ca, creds] = [args.str("tls-cert"), args.str("tls-key"), args.str("tls-ca"), args.str("creds")];
  const tls = cert || ca ? { ...(cert ? { certFile: cert } : {}), ...(key ? { keyFile: key } : {}), ...(ca ? { caFile: ca } : {}) } : undefined;
  return connectNats({ servers: args.strs("server"), ...(creds ? { credsFile: creds } : {}), ...(tls ? { tls } : {}) }, name, inboxPrefix ? { inboxPrefix } : {});
}

export const latticeInitCommand: Command = {
  usage: "lattice-init <jetstream.json> --server <url> [--creds <file>] [--domain <js-domain>] [--wait <duration>]",
  help: `Creates the streams and KV buckets a v1 lattice needs (wadm's and the hosts') at the hub
cluster's replica count. Idempotent; reports what it created, found or could not touch. Run right
after the hubs start, it waits up to --wait (default 60s; 0 = not at all; a bare number is
seconds) while they are not ready (not listening, no JetStream meta leader, JetStream not yet
enabled for the account), printing one line; any other error ends it at once.`,
  flags: { server: { type: "string", multiple: true }, creds: { type: "string" }, domain: { type: "string" }, wait: { type: "string" } },
  positionals: [1, 1],
  required: ["server"],
  async run(args, io) {
    const creds = args.str("creds"), domain = args.str("domain");
    const waitMs = args.duration("lattice-init", "wait", { unit: "s", default: 60_000, min: 0, max: 3_600_000 });
    const { applyJetStreamPlan, readPlan } = await import("./lattice-init.js");
    const plan = readPlan(args.positionals[0] as string);
    const log = (line: string) => io.err(`lattice-init: ${line}\n`);
    const r = await applyJetStreamPlan(plan, { servers: args.strs("server"), ...(creds ? { credsFile: creds } : {}), ...(domain ? { domain } : {}), waitSeconds: waitMs / 1000, log });
    io.out(`lattice ${plan.lattice}, replicas ${plan.replicas}\n`);
    for (const x of r.created) io.out(`  created  ${x}\n`);
    for (const x of r.existing) io.out(`  exists   ${x}\n`);
    for (const x of r.conflicts) io.out(`  CONFLICT ${x}: exists with other subjects; left as it is\n`);
    return r.conflicts.length > 0 ? 1 : 0;
  },
};

export const jetstreamCommand: Command = {
  usage: "jetstream backup|restore --server <url> --out <dir> | --in <dir> [--creds <file>] [--domain <d>] [--stream <s>]… [--inbox-prefix <p>]",
  help: `Consistent stream snapshots through JetStream's snapshot API (what the backup job runs before
restic encrypts and uploads them), and their restore into a fresh server: backup writes to --out,
restore reads --in. TLS client certificates: --tls-cert, --tls-key, --tls-ca. --inbox-prefix: where
replies and snapshot chunks arrive (the backup roles receive only on _TLOS_BACKUP.<id>).`,
  flags: { ...CONNECT_FLAGS, domain: { type: "string" }, out: { type: "string" }, in: { type: "string" }, stream: { type: "string", multiple: true }, "inbox-prefix": { type: "string" } },
  positionals: [1, 1],
  required: ["server"],
  async run(args, io) {
    const sub = args.positionals[0];
    if (sub !== "backup" && sub !== "restore") throw new UsageError(`tlos jetstream: unknown action ${JSON.stringify(sub)}: use backup or restore`);
    const dir = sub === "backup" ? args.str("out") : args.str("in");
    if (!dir) throw new UsageError(`tlos jetstream ${sub}: missing --${sub === "backup" ? "out" : "in"} <dir>`);
    const inboxPrefix = args.str("inbox-prefix");
    const nc = await connectWith(args, `tlos-jetstream-${sub}`, inboxPrefix);
    try {
      const snap = await import("../jetstream/snapshot.js");
      const domain = args.str("domain"), streams = args.strs("stream");
      const o = { ...(domain ? { domain } : {}), ...(streams.length ? { streams } : {}), ...(inboxPrefix ? { inboxPrefix } : {}) };
      const names = sub === "backup" ? await snap.backupStreams(nc, dir, o) : await snap.restoreStreams(nc, dir, o);
      io.out(`${sub === "backup" ? "snapshotted" : "restored"} ${names.length} stream(s): ${names.join(", ")}\n`);
    } finally {
      await nc.close();
    }
    return 0;
  },
};

export const claimsCommand: Command = {
  usage: "claims push <account.jwt> --server <url> --creds <sys.creds> [--tls-ca <file>]",
  help: `Hands the lattice account JWT (<lattice>/account.jwt) to the hubs' full resolver, so a revoked
node or new limits take effect on running servers; reports every server's answer.`,
  flags: CONNECT_FLAGS,
  positionals: [2, 2],
  required: ["server", "creds"],
  async run(args, io) {
    const [sub, file] = args.positionals as [string, string];
    if (sub !== "push") throw new UsageError(`tlos claims: unknown action ${JSON.stringify(sub)}: use push`);
    const jwt = readFileSync(file, "utf8");
    const nc = await connectWith(args, "tlos-claims-push");
    try {
      const { pushAccountJwt } = await import("./claims-push.js");
      const answers = await pushAccountJwt(nc, jwt);
      for (const a of answers) io.out(`  ${a.ok ? "stored " : "REFUSED"} ${a.server}: ${a.message}\n`);
      if (answers.length === 0) io.err("error: no resolver answered: are these the system account's creds, and do the hubs run the full resolver?\n");
      return answers.length > 0 && answers.every((a) => a.ok) ? 0 : 1;
    } finally {
      await nc.close();
    }
  },
};

export const policyResponderCommand: Command = {
  usage: "policy-responder --server <url> --topic <subject> --trusted <A…>[,<A…>] [--creds <file>]",
  help: `Answers wasmCloud v1 hosts' policy requests: a start is permitted only for components and
providers signed by a trusted issuer and not expired. Runs until SIGTERM/SIGINT.`,
  flags: { server: { type: "string", multiple: true }, topic: { type: "string" }, trusted: { type: "string", multiple: true }, creds: { type: "string" } },
  required: ["server", "topic", "trusted"],
  async run(args, io) {
    const trusted = args.strs("trusted").flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
    const bad = trusted.filter((t) => !/^A[A-Z2-7]{55}$/.test(t));
    if (trusted.length === 0 || bad.length > 0) throw new UsageError(`tlos policy-responder: --trusted: not an account public key (A…, 56 characters): ${bad.join(", ") || "(none given)"}`);
    const topic = args.str("topic") as string, creds = args.str("creds");
    const { startPolicyResponder } = await import("./policy-responder.js");
    const r = await startPolicyResponder({ servers: args.strs("server"), topic, trusted, ...(creds ? { credsFile: creds } : {}), log: (l) => io.out(`${l}\n`) });
    io.out(`policy responder on ${topic}, trusting ${trusted.length} issuer(s)\n`);
    await new Promise<void>((resolve) => {
      process.once("SIGTERM", resolve);
      process.once("SIGINT", resolve);
    });
    await r.close();
    return 0;
  },
};
