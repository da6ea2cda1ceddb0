/**
 * The `tlos` command line. It never imports `@pulumi/*` (that costs ~0.4 s per start), and no
 * stack trace reaches a user: every failure is one line on stderr (`error: …`; a grid with
 * problems prints one `error: [path] field: message` line per problem; `TLOS_DEBUG=1` adds the
 * stack). Exit codes: 0 done, 1 failed (bad grid, a check failed, an I/O or network error),
 * 2 bad command line.
 */
import { formatProblem, ValidationError } from "../core/errors.js";
import { TLOS_VERSION } from "../core/package-version.js";
import { asUsageError, type Command, type Io, parseCommand, UsageError } from "./command.js";
import { failureLine, guardStdout } from "./failure.js";

export type { Io } from "./command.js";

/** A subcommand written as a bare function gets its argv; it should print its own `--help`. */
type LegacyCommand = (args: string[], io: Io) => Promise<number>;

/**
 * The subcommands, each loaded only when it runs (or for `tlos --help`), so a start pays for the
 * one command it runs. A Map, so `tlos toString` stays an unknown command.
 */
const COMMANDS: ReadonlyMap<string, () => Promise<Command | LegacyCommand>> = new Map<string, () => Promise<Command | LegacyCommand>>([
  ["synth", async () => (await import("./synth.js")).synthCommand],
  ["validate", async () => (await import("./validate.js")).validateCommand],
  ["diff", async () => (await import("./diff-command.js")).diffCommand],
  ["lattice-init", async () => (await import("./nats-commands.js")).latticeInitCommand],
  ["jetstream", async () => (await import("./nats-commands.js")).jetstreamCommand],
  ["claims", async () => (await import("./nats-commands.js")).claimsCommand],
  ["policy-responder", async () => (await import("./nats-commands.js")).policyResponderCommand],
  ["ai", async () => async (args, io) => (await import("./ai.js")).aiCommand(args, io)],
  ["plan", async () => (await import("./plan.js")).planCmd],
  ["images", async () => (await import("./images.js")).imagesCmd],
  ["diagram", async () => (await import("./diagram.js")).diagramCommand],
  ["status", async () => (await import("./status.js")).statusCommand],
]);

async function help(): Promise<string> {
  const loaded = await Promise.all([...COMMANDS].map(async ([name, load]) => [name, await load()] as const));
  const lines = loaded.map(([name, c]) => (typeof c === "function" ? `  tlos ${name} (see tlos ${name} --help)` : `  tlos ${c.usage}\n${c.help.replace(/^/gm, "      ")}`));
  return `tlos — synthesize and check a tLOS grid

Usage:
${lines.join("\n")}
  tlos --help | --version

Every command takes --help (-h). Exit codes: 0 done, 1 failed (a grid problem, a failed check,
an I/O or network error), 2 bad command line. Errors are one line each on stderr.
`;
}

/** One line per failure, never a stack trace (unless TLOS_DEBUG is set); the exit code. */
function report(e: unknown, io: Io): number {
  // by shape, not instanceof: a program loaded through tsx may hold its own copy of the library
  if (e instanceof ValidationError || (e instanceof Error && e.name === "ValidationError" && Array.isArray((e as ValidationError).problems))) {
    for (const p of (e as ValidationError).problems) io.err(`error: ${formatProblem(p)}\n`);
    return 1;
  }
  if (e instanceof UsageError) {
    io.err(`error: ${e.message}\n`);
    return 2;
  }
  // file-system errors that reached the top unwrapped: `cannot <syscall> <path>: <reason> (<code>)`
  const known = failureLine(e);
  const text = known ?? (e instanceof Error ? (e.name === "Error" || isLibraryError(e) ? e.message : `${e.name}: ${e.message}`) : String(e));
  io.err(`error: ${text.replace(/\s*\n\s*/g, "; ")}\n`);
  if (process.env["TLOS_DEBUG"] && e instanceof Error) io.err(`${e.stack ?? ""}\n`);
  return 1;
}

/** Errors the library throws on purpose print their message only; others keep their class name. */
function isLibraryError(e: Error): boolean {
  for (let p = Object.getPrototypeOf(e) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    if ((p as { constructor?: { name?: string } }).constructor?.name === "TlosError") return true;
  }
  return false;
}

/** The process's own streams; a closed stdout (EPIPE) is one line and exit 1 (see failure.ts). */
function processIo(): Io {
  guardStdout();
  return { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    const load = cmd === undefined ? undefined : COMMANDS.get(cmd);
    const command = load ? await load() : undefined;
    if (typeof command === "function") {
      try {
        return await command(rest, io);
      } catch (e) {
        throw asUsageError(e, cmd as string);
      }
    }
    if (command) {
      const args = parseCommand(cmd as string, command, rest, io);
      return args ? await command.run(args, io) : 0;
    }
    switch (cmd) {
      case "--version":
      case "-v":
        io.out(`tlos ${TLOS_VERSION}\n`);
        return 0;
      case undefined:
      case "--help":
      case "-h":
      case "help":
        io.out(await help());
        return 0;
      default:
        throw new UsageError(`unknown command ${JSON.stringify(cmd)} (see tlos --help)`);
    }
  } catch (e) {
    return report(e, io);
  }
}
