/**
 * The `tlos` command line. It never imports `@pulumi/*` (that costs ~0.4 s per start), and no
 * stack trace reaches a user: library errors print their message, other errors one line
 * (`TLOS_DEBUG=1` shows the stack).
 */
import { readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { formatProblem, TlosError, ValidationError } from "../core/errors.js";
import { TLOS_VERSION } from "../core/package-version.js";
import { writeOutput } from "../synth/write.js";
import { errnoCode } from "../synth/fs-errors.js";
import { failureLine, guardStdout } from "./failure.js";
import { loadGrid } from "./load.js";
import { loadMasterSeed } from "./seed.js";
import { runValidators } from "../validate/run.js";
import { planCmd } from "./plan.js";
import { imagesCmd } from "./images.js";
import { firstStep } from "../synth/plan.js";

const HELP = `tlos — synthesize and check a tLOS grid

Usage:
  tlos synth <program> --out <dir> [--seed-file <file>] [--insecure-test-seed]
      Loads <program> (.ts or .js; default export: a Grid or a function returning one) and writes
      every artifact to <dir> with a manifest.json. Deterministic; atomic; never deletes a file
      it did not write. The master seed comes from TLOS_MASTER_SEED or <seed-file>
      (default: .tlos/master.seed next to the program, created with mode 0600 on first use).
  tlos validate <dir> [--require-all]
      Runs every validator it finds on a synth output (quadlet -dryrun, nats-server -t) and says
      which ran. --require-all (or CI=true) fails when a validator is missing.
  tlos diff <before-dir> <after-dir>
      What a change does to every artifact, as Markdown for a pull-request comment: a table of
      changed, added and removed files and a unified diff of each (secret files: "changed" only).
  tlos lattice-init <jetstream.json> --server <url> [--creds <file>] [--domain <js-domain>]
      Creates the streams and KV buckets a v1 lattice needs (wadm's and the hosts') at the hub
      cluster's replica count. Idempotent; reports what it created, found or could not touch.
  tlos jetstream backup --server <url> --out <dir> [--creds <file>] [--domain <d>] [--stream <s>]…
  tlos jetstream restore --server <url> --in <dir> [--creds <file>] [--domain <d>]
      Consistent stream snapshots through JetStream's snapshot API (what the backup job runs
      before restic encrypts and uploads them), and their restore into a fresh server.
      TLS client certificates: --tls-cert, --tls-key, --tls-ca.
  tlos claims push <account.jwt> --server <url> --creds <sys.creds> [--tls-ca <file>]
      Hands the lattice account JWT (<lattice>/account.jwt) to the hubs' full resolver, so a
      revoked node or new limits take effect on running servers; reports every server's answer.
  tlos policy-responder --server <url> --topic <subject> --trusted <A…>[,<A…>] [--creds <file>]
      Answers wasmCloud v1 hosts' policy requests: a start is permitted only for components and
      providers signed by a trusted issuer and not expired. Runs until SIGTERM/SIGINT.
  tlos plan <dir>
      Prints the bring-up plan of a synth output (PLAN.md): per machine, in order, what to run
      (hubs, lattice-init/claims push, nodes, Kubernetes, Akash, Cloudflare, backup) and what to
      check after each. Every machine gets only its own bundle, hosts/<machine>/.
  tlos images <dir> [--refs] [--pin <digests-file> --program <grid.ts>]
      Lists every image a synth output runs, pinned by digest or not, with the skopeo inspect
      command that resolves a digest; --pin rewrites the program's image literals to those
      digests (the one update policy: digest pins, AutoUpdate off).
  tlos --help | --version
`;

interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

async function synth(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { out: { type: "string", short: "o" }, "seed-file": { type: "string" }, "insecure-test-seed": { type: "boolean" } } });
  const program = positionals[0];
  if (!program || !values.out) {
    io.err("usage: tlos synth <program> --out <dir>\n");
    return 2;
  }
  const grid = await loadGrid(program);
  const seedFile = values["seed-file"] ?? join(dirname(resolve(program)), ".tlos", "master.seed");
  const { seed, from } = loadMasterSeed(seedFile, process.env, { insecureTestSeed: values["insecure-test-seed"] === true });
  const result = grid.synth({ masterSeed: seed });
  const report = writeOutput(result, values.out);
  const byTarget = new Map<string, number>();
  for (const f of result.files) byTarget.set(f.target, (byTarget.get(f.target) ?? 0) + 1);
  const secrets = result.files.filter((f) => f.secret).length;
  io.out(`synthesized ${grid.node.path} → ${relative(process.cwd(), report.outDir) || "."}\n`);
  io.out(`  files: ${result.files.length} (${[...byTarget].sort().map(([t, n]) => `${t} ${n}`).join(", ")}); secrets: ${secrets} under secrets/ (0600)\n`);
  io.out(`  written: ${report.written}, unchanged: ${report.unchanged}, removed: ${report.removed.length}\n`);
  io.out(`  master seed: ${from}\n`);
  for (const f of result.files) {
    if (f.cost && !f.secret) io.out(`  cost: ${f.path} at most ${f.cost.maxPerMonth} ${f.cost.denom === "uact" ? "ACT" : "AKT"}/month (${f.cost.amountPerBlock} ${f.cost.denom}/block × ${f.cost.blocksPerMonth} blocks × ${f.cost.replicas})\n`);
  }
  for (const w of result.warnings) io.out(`  warning: ${formatProblem(w)}\n`);
  const plan = result.files.find((f) => f.kind === "plan");
  const first = plan ? firstStep(plan.content) : undefined;
  if (first) io.out(`next: the bring-up plan is in ${join(relative(process.cwd(), report.outDir) || ".", "PLAN.md")} (tlos plan); its first step:\n  ${first}\n`);
  return 0;
}

async function validate(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { "require-all": { type: "boolean" } } });
  const dir = positionals[0];
  if (!dir) {
    io.err("usage: tlos validate <dir>\n");
    return 2;
  }
  const report = await runValidators(dir, { requireAll: values["require-all"] === true || process.env["CI"] === "true" });
  for (const line of report.lines) io.out(`${line}\n`);
  return report.ok ? 0 : 1;
}

async function diff(args: string[], io: Io): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 2) {
    io.err("usage: tlos diff <before-dir> <after-dir>\n");
    return 2;
  }
  const { diffMarkdown } = await import("../synth/diff.js");
  io.out(diffMarkdown(positionals[0]!, positionals[1]!));
  return 0;
}

async function latticeInit(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { server: { type: "string", multiple: true }, creds: { type: "string" }, domain: { type: "string" } } });
  if (!positionals[0] || !values.server?.length) {
    io.err("usage: tlos lattice-init <jetstream.json> --server <url> [--creds <file>] [--domain <js-domain>]\n");
    return 2;
  }
  const { applyJetStreamPlan, readPlan } = await import("./lattice-init.js");
  const plan = readPlan(positionals[0]);
  const r = await applyJetStreamPlan(plan, { servers: values.server, ...(values.creds ? { credsFile: values.creds } : {}), ...(values.domain ? { domain: values.domain } : {}) });
  io.out(`lattice ${plan.lattice}, replicas ${plan.replicas}\n`);
  for (const x of r.created) io.out(`  created  ${x}\n`);
  for (const x of r.existing) io.out(`  exists   ${x}\n`);
  for (const x of r.conflicts) io.out(`  CONFLICT ${x}: exists with other subjects; left as it is\n`);
  return r.conflicts.length > 0 ? 1 : 0;
}

const CONNECT_FLAGS = { server: { type: "string", multiple: true }, creds: { type: "string" }, "tls-cert": { type: "string" }, "tls-key": { type: "string" }, "tls-ca": { type: "string" } } as const;

/** A NATS connection from the shared flags: --server (repeatable), --creds, --tls-cert/--tls-key/--tls-ca. */
async function connectWith(values: { server?: string[]; creds?: string; "tls-cert"?: string; "tls-key"?: string; "tls-ca"?: string }, name: string) {
  const { connectNats } = await import("./nats-connect.js");
  const tls = values["tls-cert"] || values["tls-ca"] ? { ...(values["tls-cert"] ? { certFile: values["tls-cert"] } : {}), ...(values["tls-key"] ? { keyFile: values["tls-key"] } : {}), ...(values["tls-ca"] ? { caFile: values["tls-ca"] } : {}) } : undefined;
  return connectNats({ servers: values.server ?? [], ...(values.creds ? { credsFile: values.creds } : {}), ...(tls ? { tls } : {}) }, name);
}

async function claimsCmd(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: CONNECT_FLAGS });
  if (sub !== "push" || !positionals[0] || !values.server?.length || !values.creds) {
    io.err("usage: tlos claims push <account.jwt> --server <url> --creds <sys.creds> [--tls-ca <file>]\n");
    return 2;
  }
  const jwt = readFileSync(positionals[0], "utf8");
  const nc = await connectWith(values, "tlos-claims-push");
  try {
    const { pushAccountJwt } = await import("./claims-push.js");
    const answers = await pushAccountJwt(nc, jwt);
    for (const a of answers) io.out(`  ${a.ok ? "stored " : "REFUSED"} ${a.server}: ${a.message}\n`);
    if (answers.length === 0) io.err("no resolver answered: are these the system account's creds, and do the hubs run the full resolver?\n");
    return answers.length > 0 && answers.every((a) => a.ok) ? 0 : 1;
  } finally {
    await nc.close();
  }
}

async function jetstreamCmd(args: string[], io: Io): Promise<number> {
  const [sub, ...rest] = args;
  const { values } = parseArgs({ args: rest, options: { ...CONNECT_FLAGS, domain: { type: "string" }, out: { type: "string" }, in: { type: "string" }, stream: { type: "string", multiple: true } } });
  const dir = sub === "backup" ? values.out : values.in;
  if ((sub !== "backup" && sub !== "restore") || !values.server?.length || !dir) {
    io.err("usage: tlos jetstream backup --server <url> --out <dir> | restore --server <url> --in <dir> [--creds <file>] [--domain <d>]\n");
    return 2;
  }
  const nc = await connectWith(values, `tlos-jetstream-${sub}`);
  try {
    const snap = await import("../jetstream/snapshot.js");
    const o = { ...(values.domain ? { domain: values.domain } : {}), ...(values.stream?.length ? { streams: values.stream } : {}) };
    const names = sub === "backup" ? await snap.backupStreams(nc, dir, o) : await snap.restoreStreams(nc, dir, o);
    io.out(`${sub === "backup" ? "snapshotted" : "restored"} ${names.length} stream(s): ${names.join(", ")}\n`);
  } finally {
    await nc.close();
  }
  return 0;
}

async function policyResponder(args: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args, options: { server: { type: "string", multiple: true }, topic: { type: "string" }, trusted: { type: "string", multiple: true }, creds: { type: "string" } } });
  const trusted = (values.trusted ?? []).flatMap((t) => t.split(",")).map((t) => t.trim()).filter(Boolean);
  const bad = trusted.filter((t) => !/^A[A-Z2-7]{55}$/.test(t));
  if (!values.server?.length || !values.topic || trusted.length === 0 || bad.length > 0) {
    io.err(`usage: tlos policy-responder --server <url> --topic <subject> --trusted <A…>[,<A…>] [--creds <file>]${bad.length ? `\nnot an account public key: ${bad.join(", ")}` : ""}\n`);
    return 2;
  }
  const { startPolicyResponder } = await import("./policy-responder.js");
  const r = await startPolicyResponder({ servers: values.server, topic: values.topic, trusted, ...(values.creds ? { credsFile: values.creds } : {}), log: (l) => io.out(`${l}\n`) });
  io.out(`policy responder on ${values.topic}, trusting ${trusted.length} issuer(s)\n`);
  await new Promise<void>((resolve) => {
    process.once("SIGTERM", resolve);
    process.once("SIGINT", resolve);
  });
  await r.close();
  return 0;
}

const COMMANDS: ReadonlyMap<string, (args: string[], io: Io) => Promise<number>> = new Map([
  ["synth", synth],
  ["validate", validate],
  ["diff", diff],
  ["lattice-init", latticeInit],
  ["jetstream", jetstreamCmd],
  ["claims", claimsCmd],
  ["policy-responder", policyResponder],
  ["plan", planCmd],
  ["images", imagesCmd],
]);

function processIo(): Io {
  guardStdout();
  return { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    const command = cmd === undefined ? undefined : COMMANDS.get(cmd);
    if (command) return await command(rest, io);
    switch (cmd) {
      case "--version":
      case "-v":
        io.out(`tlos ${TLOS_VERSION}\n`);
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        io.out(HELP);
        return 0;
      default:
        io.err(`unknown command ${JSON.stringify(cmd)}\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    const known = failureLine(e);
    if (e instanceof ValidationError || e instanceof TlosError) {
      io.err(`error: ${e.message}\n`);
    } else if (known) {
      io.err(`error: ${known}\n`);
      if (process.env["TLOS_DEBUG"]) io.err(`${(e as Error)?.stack ?? ""}\n`);
      return errnoCode(e)?.startsWith("ERR_PARSE_ARGS_") ? 2 : 1;
    } else {
      const msg = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : String(e);
      io.err(`error: ${msg}\n`);
      if (process.env["TLOS_DEBUG"]) io.err(`${(e as Error)?.stack ?? ""}\n`);
      else io.err("(set TLOS_DEBUG=1 to see where it came from)\n");
    }
    return 1;
  }
}
