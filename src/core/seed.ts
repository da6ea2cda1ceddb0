/**
 * The master seed: every credential of a grid (nkeys, JWT signing keys, host seeds) is derived
 * from it with HKDF-SHA256, so the same grid and seed give byte-identical output and PR diffs
 * stay small. Keep it secret: it is the root of the grid's identity.
 * @see https://www.rfc-editor.org/rfc/rfc5869
 */
import { hkdfSync, randomBytes } from "node:crypto";

const SALT = "tlos-grid/v1";

/** 32 or more bytes of secret entropy. */
export class MasterSeed {
  private constructor(private readonly bytes: Buffer) {}

  /** Parses a seed written as hex (64+ hex digits) or base64/base64url (32+ bytes). */
  static parse(text: string): MasterSeed {
    const s = text.trim();
    let bytes: Buffer | undefined;
    if (/^[0-9a-fA-F]+$/.test(s) && s.length % 2 === 0) bytes = Buffer.from(s, "hex");
    else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s)) bytes = Buffer.from(s, s.includes("-") || s.includes("_") ? "base64url" : "base64");
    if (!bytes || bytes.length < 32) {
      throw new RangeError("the master seed must be at least 32 bytes, written as hex (64+ hex digits) or base64");
    }
    return new MasterSeed(bytes);
  }

  /** A new random seed (for `tlos` on first use). */
  static generate(): MasterSeed {
    return new MasterSeed(randomBytes(32));
  }

  /** `length` bytes derived for `purpose`, e.g. `nats/account/tlos/lattice`. */
  derive(purpose: string, length = 32): Uint8Array {
    return new Uint8Array(hkdfSync("sha256", this.bytes, SALT, purpose, length));
  }

  /** Hex form, for the seed file. */
  toString(): string {
    return this.bytes.toString("hex");
  }
}
