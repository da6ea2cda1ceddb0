/** `tlos diff <before> <after>`: what a change does to every artifact, as Markdown. */
import type { Command } from "./command.js";
import { UsageError } from "./command.js";

export const diffCommand: Command = {
  usage: "diff <before-dir> <after-dir> [--note <text>] [--max-chars <n>]",
  help: `What a change does to every artifact, as Markdown for a pull-request comment: a summary
(files changed per target and construct, Akash worst-case cost before → after), then a unified
diff per file, large ones folded (secret files: "changed" only). The comment always fits
--max-chars (default 65536, GitHub's limit); what does not fit is named in a truncation note.
--note adds a line under the summary.`,
  flags: { note: { type: "string" }, "max-chars": { type: "string" } },
  positionals: [2, 2],
  async run(args, io) {
    const { diffMarkdown } = await import("../synth/diff.js");
    const raw = args.str("max-chars");
    const maxChars = raw === undefined ? undefined : Number(raw);
    if (maxChars !== undefined && (!/^[0-9]+$/.test(raw!) || maxChars < 2000 || maxChars > 65_536)) throw new UsageError(`tlos diff: --max-chars "${raw}" is not allowed; allowed: an integer from 2000 to 65536 (see tlos diff --help)`);
    const note = args.str("note");
    io.out(diffMarkdown(args.positionals[0] as string, args.positionals[1] as string, { ...(maxChars ? { maxChars } : {}), ...(note ? { note } : {}) }));
    return 0;
  },
};
