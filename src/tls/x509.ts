/**
 * Ed25519 X.509 certificates, DER-encoded here (der.ts; a test checks the bytes against the
 * `@peculiar/asn1-x509` models) and signed with Node's native Ed25519. Ed25519 signatures are deterministic
 * (RFC 8032), so a key, a serial and fixed validity dates give the same certificate bytes every
 * time; the builder is synchronous because synth is.
 * @see https://www.rfc-editor.org/rfc/rfc5280
 * @see https://www.rfc-editor.org/rfc/rfc8410 (Ed25519 in X.509)
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { bitString, explicit, implicit, integer, namedBits, octetString, oid, sequence, set, time, TRUE, utf8String } from "./der.js";

/** OID of Ed25519 (RFC 8410). */
const ED25519 = "1.3.101.112";
/** OID of the common name attribute. */
const CN = "2.5.4.3";
/** PKCS#8 DER header of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519 = Buffer.from("302e020100300506032b657004220420", "hex");

/** An Ed25519 key pair from 32 secret bytes. */
export class Ed25519Key {
  readonly privateKey: KeyObject;
  /** The 32-byte public key. */
  readonly publicKey: Uint8Array;

  constructor(seed: Uint8Array) {
    if (seed.length !== 32) throw new RangeError("an Ed25519 seed has 32 bytes");
    this.privateKey = createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: "der", type: "pkcs8" });
    const spki = createPublicKey(this.privateKey).export({ format: "der", type: "spki" });
    this.publicKey = new Uint8Array(spki.subarray(spki.length - 32));
  }

  /** The private key as PKCS#8 PEM (what nats-server and openssl read). */
  pem(): string {
    return this.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  }

  /** RFC 5280 method 1 key identifier: SHA-1 of the public key bits. */
  keyId(): Uint8Array {
    return new Uint8Array(createHash("sha1").update(this.publicKey).digest());
  }
}

/** What one certificate says. */
export interface CertificateSpec {
  /** Subject common name. */
  readonly commonName: string;
  /** 1–20 bytes; the high bit is cleared so the serial is positive. */
  readonly serial: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** The subject's key. */
  readonly subject: Ed25519Key;
  /** The issuer's key and common name; omitted: self-signed. */
  readonly issuer?: { readonly key: Ed25519Key; readonly commonName: string };
  /** A CA certificate (keyCertSign, path length 0) rather than an end-entity one. */
  readonly ca: boolean;
  /** Subject alternative names: DNS names and IP addresses. */
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
}

/** RFC 5280 extension and key purpose OIDs. */
const EXT = { basicConstraints: "2.5.29.19", keyUsage: "2.5.29.15", subjectKeyId: "2.5.29.14", authorityKeyId: "2.5.29.35", extKeyUsage: "2.5.29.37", subjectAltName: "2.5.29.17" };
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
/** KeyUsage bits (RFC 5280 §4.2.1.3). */
const DIGITAL_SIGNATURE = 0, KEY_CERT_SIGN = 5, CRL_SIGN = 6;

const name = (cn: string) => sequence(set(sequence(oid(CN), utf8String(cn))));
const ext = (id: string, critical: boolean, value: Uint8Array) => sequence(oid(id), ...(critical ? [TRUE] : []), octetString(value));

/** An IPv4 or IPv6 address as its 4 or 16 bytes (an IPv6 `::` expanded). */
export function ipBytes(ip: string): Uint8Array {
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(ip)) {
    const parts = ip.split(".").map(Number);
    if (parts.some((p) => p > 255)) throw new RangeError(`${ip}: not an IPv4 address`);
    return Uint8Array.from(parts);
  }
  const halves = ip.split("::");
  const left = halves[0] ? halves[0].split(":") : [], right = halves[1] ? halves[1].split(":") : [];
  const groups = halves.length === 2 ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  if (halves.length > 2 || groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) throw new RangeError(`${ip}: not an IP address`);
  return Uint8Array.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

/** A signed certificate, DER. */
export function buildCertificate(s: CertificateSpec): Uint8Array {
  if (s.serial.length < 1 || s.serial.length > 20) throw new RangeError("a certificate serial has 1 to 20 bytes");
  const serial = new Uint8Array(s.serial);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const issuerKey = s.issuer?.key ?? s.subject;
  const extensions = [
    ext(EXT.basicConstraints, true, s.ca ? sequence(TRUE, integer(0)) : sequence()),
    ext(EXT.keyUsage, true, namedBits(s.ca ? [KEY_CERT_SIGN, CRL_SIGN] : [DIGITAL_SIGNATURE])),
    ext(EXT.subjectKeyId, false, octetString(s.subject.keyId())),
    ext(EXT.authorityKeyId, false, sequence(implicit(0, issuerKey.keyId()))),
  ];
  if (!s.ca) extensions.push(ext(EXT.extKeyUsage, false, sequence(oid(SERVER_AUTH), oid(CLIENT_AUTH))));
  const sans = [...(s.dnsNames ?? []).map((d) => implicit(2, Buffer.from(d, "ascii"))), ...(s.ipAddresses ?? []).map((ip) => implicit(7, ipBytes(ip)))];
  if (sans.length > 0) extensions.push(ext(EXT.subjectAltName, false, sequence(...sans)));
  const algorithm = sequence(oid(ED25519));
  const tbs = sequence(
    explicit(0, integer(2)), // v3
    integer(serial),
    algorithm,
    name(s.issuer?.commonName ?? s.commonName),
    sequence(time(s.notBefore), time(s.notAfter)),
    name(s.commonName),
    sequence(algorithm, bitString(s.subject.publicKey)),
    explicit(3, sequence(...extensions)),
  );
  const signature = sign(null, tbs, issuerKey.privateKey);
  return sequence(tbs, algorithm, bitString(new Uint8Array(signature)));
}

/** DER as PEM with the given label. */
export function toPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
