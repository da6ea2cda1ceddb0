/**
 * The master seed: every credential of a grid (nkeys, JWT signing keys, host seeds) is derived
 * from it with HKDF-SHA256, so the same grid and seed give byte-identical output and PR diffs
 * stay small. Keep it secret: it is the root of the grid's identity.
 *
 * One encoding rule, with nothing to guess: a seed made only of hex digits (optionally after
 * `0x`) is hex and needs an even number of digits, at least 64; anything else must be canonical
 * base64 or base64url of at least 32 bytes. A seed with visibly low entropy (all bytes equal, a
 * short repeating pattern, a counting sequence, few distinct bytes) is refused unless the caller
 * says it is a test seed.
 * @see https://www.rfc-editor.org/rfc/rfc5869
 * @see https://www.rfc-editor.org/rfc/rfc4648
 */
import { hkdfSync, randomBytes } from "node:crypto";

const SALT = "tlos-grid/v1";
const RULE = "the master seed must be at least 32 bytes, written as hex (64+ hex digits) or base64";

export interface SeedParseOptions {
  /**
   * Accept a low-entropy seed (e.g. `"0f".repeat(32)`): for tests only, never for a real grid.
   * @default false
   */
  readonly insecureTestSeed?: boolean;
}

/** Why `bytes` looks chosen rather than random, or undefined. */
export function lowEntropyReason(bytes: Uint8Array): string | undefined {
  if (bytes.every((b) => b === bytes[0])) return "all its bytes are equal";
  for (let period = 2; period <= 16; period++) {
    if (bytes.every((b, i) => i < period || b === bytes[i - period])) return `it repeats a ${period}-byte pattern`;
  }
  const step = (bytes[1]! - bytes[0]! + 256) % 256;
  if (bytes.every((b, i) => i === 0 || (b - bytes[i - 1]! + 256) % 256 === step)) return "it is a counting sequence";
  // 32 random bytes hold about 30 distinct values; fewer than 16 is far beyond chance (p < 1e-12)
  if (new Set(bytes).size < 16) return `it holds only ${new Set(bytes).size} distinct byte values`;
  return undefined;
}

function decode(text: string): Buffer {
  const s = text.trim();
  const hex = /^0[xX]/.test(s) ? s.slice(2) : s;
  if (/^[0-9a-fA-F]+$/.test(hex)) {
    if (hex.length % 2 !== 0) throw new RangeError(`${RULE}; this one is ${hex.length} hex digits, an odd number (a digit is missing or extra)`);
    return Buffer.from(hex, "hex");
  }
  if (/^0[xX]/.test(s)) throw new RangeError(`${RULE}; "0x" must be followed by hex digits only`);
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(s) || /^[A-Za-z0-9_-]+={0,2}$/.test(s)) {
    const url = /[-_]/.test(s);
    const bytes = Buffer.from(s, url ? "base64url" : "base64");
    if (bytes.length < 32) throw new RangeError(RULE);
    if (bytes.toString(url ? "base64url" : "base64").replace(/=+$/, "") !== s.replace(/=+$/, "")) throw new RangeError(`${RULE}; this is not canonical base64 (its last character carries stray bits)`);
    return bytes;
  }
  throw new RangeError(RULE);
}

/** 32 or more bytes of secret entropy. */
export class MasterSeed {
  private constructor(private readonly bytes: Buffer) {}

  /** Parses a seed (see the encoding rule above); throws a `RangeError` saying what is wrong. */
  static parse(text: string, opts: SeedParseOptions = {}): MasterSeed {
    if (typeof text !== "string") throw new RangeError(RULE);
    const bytes = decode(text);
    if (bytes.length < 32) throw new RangeError(RULE);
    const weak = lowEntropyReason(bytes);
    if (weak && opts.insecureTestSeed !== true) {
      throw new RangeError(`the master seed has low entropy (${weak}): make one with \`openssl rand -hex 32\` (a test may pass --insecure-test-seed)`);
    }
    return new MasterSeed(bytes);
  }

  /** A new random seed (for `tlos` on first use). */
  static generate(): MasterSeed {
    for (;;) {
      const b = randomBytes(32);
      if (!lowEntropyReason(b)) return new MasterSeed(b);
    }
  }

  /** `length` bytes (1 to 8160) derived for `purpose`, e.g. `nats/account/tlos/lattice`: HKDF-SHA256, salt `tlos-grid/v1`, `purpose` as info. */
  derive(purpose: string, length = 32): Uint8Array {
    if (!Number.isInteger(length) || length < 1 || length > 255 * 32) throw new RangeError("HKDF-SHA256 derives 1 to 8160 bytes");
    return new Uint8Array(hkdfSync("sha256", this.bytes, SALT, purpose, length));
  }

  /** Hex form, for the seed file. */
  toString(): string {
    return this.bytes.toString("hex");
  }
}
