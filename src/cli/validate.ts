/** `tlos validate <dir>`: run every real validator found on a synth output. */
import { spawnSync } from "node:child_process";
import { TlosError } from "../core/errors.js";
import { FETCH_SCRIPT, projectValidatorsDir } from "../validate/find.js";
import { runValidators } from "../validate/run.js";
import type { Command } from "./command.js";

/** Runs the shipped fetch script into `<cwd>/.validators` (Debian: apt-get download + dpkg-deb -x, no root install). */
export function fetchValidators(log: (s: string) => void): void {
  const dest = projectValidatorsDir();
  log(`fetching validators into ${dest}\n`);
  const r = spawnSync("bash", [FETCH_SCRIPT], { env: { ...process.env, TLOS_VALIDATORS_DIR: dest }, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  log(`${r.stdout ?? ""}${r.stderr ?? ""}`);
  if (r.status !== 0) throw new TlosError(`fetching validators failed (${r.error ? r.error.message : `exit ${r.status}`}); see the lines above`);
}

export const validateCommand: Command = {
  usage: "validate <dir> [--require-all] [--fetch] [--jobs <n>] [--json]",
  help: `Runs every validator it finds on a synth output (quadlet -dryrun, nats-server -t, systemd-analyze,
the compose, wadm and CRD schemas, kubernetes-models, actionlint, chain-sdk) and says which ran.
Validator processes run in parallel, one per core (--jobs to change). --require-all (or CI=true)
fails when a validator is missing. --fetch first downloads quadlet, nats-server, coturn and restic
into ./.validators (Debian; no root install). --json prints {ok, ran, lines}.`,
  flags: { "require-all": { type: "boolean" }, fetch: { type: "boolean" }, jobs: { type: "string", short: "j" }, json: { type: "boolean" } },
  positionals: [1, 1],
  async run(args, io) {
    const jobsText = args.str("jobs");
    const jobs = jobsText === undefined ? undefined : Number(jobsText);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs >= 1)) throw new TlosError(`--jobs: ${JSON.stringify(jobsText)} is not a whole number of at least 1`);
    if (args.bool("fetch")) fetchValidators(io.err);
    const report = await runValidators(args.positionals[0] as string, { requireAll: args.bool("require-all") || process.env["CI"] === "true", ...(jobs ? { jobs } : {}) });
    if (args.bool("json")) io.out(`${JSON.stringify(report, null, 2)}\n`);
    else for (const line of report.lines) io.out(`${line}\n`);
    return report.ok ? 0 : 1;
  },
};
