/**
 * `tlos images <dir>`: every container image a synth output runs (Quadlet `Image=`, compose,
 * Kubernetes and Akash `image:`), pinned by digest or not, with the `skopeo inspect` command that
 * resolves a tag's digest. `--pin <file> --program <grid.ts>` moves the pins: for each
 * `<name:tag> <sha256:…>` line of the file, every string literal of the program naming that image
 * becomes `name:tag@sha256:…`; synthesize again to roll it out. This is the one update policy:
 * digest pins, moved deliberately and reviewed in a diff — Podman's `AutoUpdate` stays off.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { TlosError } from "../core/errors.js";
import { mirrorCmd } from "./images-mirror.js";
import { imagesOf } from "./images-of.js";

const DIGEST = /^sha256:[0-9a-f]{64}$/;

type Io = { out: (s: string) => void; err: (s: string) => void };

const tagOf = (ref: string) => ref.split("@")[0]!;

/** Rewrites every string literal naming `tag` (bare or with an old digest) to `tag@digest`. */
export function pinInSource(source: string, tag: string, digest: string): { text: string; count: number } {
  const esc = tag.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  let count = 0;
  const text = source.replace(new RegExp(`(["'\`])${esc}(?:@sha256:[0-9a-f]{64})?\\1`, "g"), (_m, q: string) => {
    count++;
    return `${q}${tag}@${digest}${q}`;
  });
  return { text, count };
}

export async function imagesCmd(args: string[], io: Io): Promise<number> {
  if (args[0] === "mirror") return mirrorCmd(args.slice(1), io);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { pin: { type: "string" }, program: { type: "string" }, refs: { type: "boolean" } } });
  const dir = positionals[0];
  if (!dir || positionals.length !== 1 || (values.pin !== undefined) !== (values.program !== undefined)) {
    io.err("usage: tlos images <dir> [--refs] [--pin <digests-file> --program <grid.ts>]\n       tlos images mirror <dir> [--dry-run] [--skopeo <path>] [--registries-conf <file>]\n");
    return 2;
  }
  const images = imagesOf(dir);
  if (values.refs) {
    for (const r of images.keys()) io.out(`${tagOf(r)}\n`);
    return 0;
  }
  if (values.pin === undefined) {
    io.out(`${images.size} image(s) in ${dir}:\n`);
    for (const [ref, files] of images) {
      const pinned = ref.includes("@sha256:");
      io.out(`  ${pinned ? "pinned  " : "TAG ONLY"} ${ref}  (${files.length} file(s), e.g. ${files[0]})\n`);
    }
    io.out("\nResolve digests (run where the registries are reachable), then pin them in the program:\n");
    io.out(`  for i in $(tlos images ${dir} --refs); do echo "$i $(skopeo inspect --format '{{.Digest}}' "docker://$i")"; done > digests.txt\n`);
    io.out(`  tlos images ${dir} --pin digests.txt --program <grid.ts> && tlos synth <grid.ts> --out ${dir}\n`);
    return 0;
  }
  const lines = readFileSync(values.pin, "utf8").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
  const problems: string[] = [];
  const pins: [string, string][] = [];
  for (const l of lines) {
    const m = /^(\S+?)(?:@|\s+)(sha256:\S+)$/.exec(l);
    if (!m || !DIGEST.test(m[2]!)) problems.push(`${JSON.stringify(l)}: use "<name:tag> sha256:<64 hex digits>" (what skopeo inspect --format '{{.Digest}}' prints)`);
    else pins.push([tagOf(m[1]!), m[2]!]);
  }
  if (problems.length > 0) throw new TlosError(`${values.pin} has ${problems.length} bad line(s):\n  ${problems.join("\n  ")}`);
  let source = readFileSync(values.program!, "utf8");
  let changed = 0;
  const used = new Set([...images.keys()].map(tagOf));
  for (const [tag, digest] of pins) {
    const r = pinInSource(source, tag, digest);
    const was = source;
    source = r.text;
    if (r.count === 0) io.out(`  not in ${values.program}: ${tag} — it is a default; set it on the construct's images prop as "${tag}@${digest}"\n`);
    else if (was === source) io.out(`  unchanged: ${tag}@${digest} (${r.count} place(s))\n`);
    else {
      changed++;
      io.out(`  pinned: ${tag}@${digest} (${r.count} place(s))\n`);
    }
    if (!used.has(tag)) io.out(`  note: ${tag} is not used by ${dir}\n`);
  }
  if (changed > 0) writeFileSync(values.program!, source);
  io.out(changed > 0 ? `rewrote ${values.program}: synthesize again to roll the pins out\n` : "nothing changed\n");
  return 0;
}
