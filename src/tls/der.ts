/**
 * The few ASN.1 DER encodings an X.509 certificate needs (ITU-T X.690 §8 and §10): tag, definite
 * length, contents. Each function returns the whole TLV; constructed values take their children's
 * encodings. Only what x509.ts builds is here.
 * @see https://www.itu.int/rec/T-REC-X.690
 */

/** A TLV with tag byte `tag` around `content`. */
export function tlv(tag: number, ...content: readonly Uint8Array[]): Uint8Array {
  const len = content.reduce((n, c) => n + c.length, 0);
  const head = len < 0x80 ? [tag, len] : len < 0x100 ? [tag, 0x81, len] : len < 0x10000 ? [tag, 0x82, len >> 8, len & 0xff] : [tag, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff];
  const out = new Uint8Array(head.length + len);
  out.set(head);
  let at = head.length;
  for (const c of content) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const sequence = (...items: readonly Uint8Array[]) => tlv(0x30, ...items);
export const set = (...items: readonly Uint8Array[]) => tlv(0x31, ...items);
export const octetString = (bytes: Uint8Array) => tlv(0x04, bytes);
export const utf8String = (s: string) => tlv(0x0c, Buffer.from(s, "utf8"));
/** DER BOOLEAN TRUE (a FALSE with DEFAULT FALSE is omitted by the caller, §11.5). */
export const TRUE = tlv(0x01, Uint8Array.of(0xff));
/** A context-specific tag: `[n] EXPLICIT` (constructed) or `[n] IMPLICIT` of a primitive. */
export const explicit = (n: number, ...inner: readonly Uint8Array[]) => tlv(0xa0 | n, ...inner);
export const implicit = (n: number, bytes: Uint8Array) => tlv(0x80 | n, bytes);

/** A non-negative INTEGER from big-endian bytes (minimal: leading zeros dropped, a 0x00 added before a high bit). */
export function integer(bytes: Uint8Array | number): Uint8Array {
  let b = typeof bytes === "number" ? Uint8Array.of(...(bytes === 0 ? [0] : bigEndian(bytes))) : bytes;
  let i = 0;
  while (i < b.length - 1 && b[i] === 0 && (b[i + 1]! & 0x80) === 0) i++;
  b = b.subarray(i);
  return (b[0]! & 0x80) !== 0 ? tlv(0x02, Uint8Array.of(0), b) : tlv(0x02, b);
}

function bigEndian(n: number): number[] {
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return out;
}

/** A BIT STRING of whole bytes (no unused bits). */
export const bitString = (bytes: Uint8Array) => tlv(0x03, Uint8Array.of(0), bytes);

/**
 * A named BIT STRING (§11.2.2: trailing zero bits removed) with bits numbered from the most
 * significant bit of the first byte, as RFC 5280's KeyUsage is.
 */
export function namedBits(bits: readonly number[]): Uint8Array {
  const top = Math.max(...bits);
  const bytes = new Uint8Array((top >> 3) + 1);
  for (const b of bits) bytes[b >> 3]! |= 0x80 >> (b & 7);
  return tlv(0x03, Uint8Array.of(7 - (top & 7)), bytes);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const seven: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) seven.unshift((x & 0x7f) | 0x80);
    out.push(...seven);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(0x06, Uint8Array.from(out));
}

const two = (n: number) => String(n).padStart(2, "0");

/** RFC 5280 §4.1.2.5 Time: UTCTime through 2049, GeneralizedTime from 2050; whole seconds, Z. */
export function time(d: Date): Uint8Array {
  const y = d.getUTCFullYear();
  const rest = `${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}${two(d.getUTCMinutes())}${two(d.getUTCSeconds())}Z`;
  return y > 2049 ? tlv(0x18, Buffer.from(`${String(y).padStart(4, "0")}${rest}`, "ascii")) : tlv(0x17, Buffer.from(`${two(y % 100)}${rest}`, "ascii"));
}
