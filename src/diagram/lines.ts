/**
 * Where a renderer puts its lines: into an array (then one string), or out in chunks of about
 * 64 KiB as they come, so a 10k-node diagram is written without ever being one string.
 * Either way the text is every line followed by `\n`.
 */

/** What a renderer writes its lines to (an array is one). */
export interface LineSink {
  push(...lines: string[]): unknown;
}

const CHUNK = 1 << 16;

/** Lines handed to `put` as text chunks; `end()` hands over the rest. */
export class ChunkedLines implements LineSink {
  private lines: string[] = [];
  private size = 0;

  constructor(private readonly put: (chunk: string) => void) {}

  push(...lines: string[]): void {
    for (const l of lines) {
      this.lines.push(l);
      this.size += l.length + 1;
    }
    if (this.size >= CHUNK) this.end();
  }

  /** Hands over what is buffered. */
  end(): void {
    if (this.lines.length === 0) return;
    this.put(`${this.lines.join("\n")}\n`);
    this.lines = [];
    this.size = 0;
  }
}

/** The whole text `write` produces, as one string. */
export function linesText(write: (out: LineSink) => void): string {
  const out: string[] = [];
  write(out);
  return `${out.join("\n")}\n`;
}
