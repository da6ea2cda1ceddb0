/** `tlos diff <before> <after>`: what a change does to every artifact, as Markdown. */
import type { Command } from "./command.js";

export const diffCommand: Command = {
  usage: "diff <before-dir> <after-dir>",
  help: `What a change does to every artifact, as Markdown for a pull-request comment: a table of
changed, added and removed files and a unified diff of each (secret files: "changed" only).`,
  flags: {},
  positionals: [2, 2],
  async run(args, io) {
    const { diffMarkdown } = await import("../synth/diff.js");
    io.out(diffMarkdown(args.positionals[0] as string, args.positionals[1] as string));
    return 0;
  },
};
