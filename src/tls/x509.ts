/**
 * Ed25519 X.509 certificates built from typed ASN.1 models (`@peculiar/asn1-x509`, the model layer
 * of `@peculiar/x509`) and signed with Node's native Ed25519. Ed25519 signatures are deterministic
 * (RFC 8032), so a key, a serial and fixed validity dates give the same certificate bytes every
 * time; the builder is synchronous because synth is.
 * @see https://www.rfc-editor.org/rfc/rfc5280
 * @see https://www.rfc-editor.org/rfc/rfc8410 (Ed25519 in X.509)
 */
import { createHash, createPrivateKey, createPublicKey, sign, type KeyObject } from "node:crypto";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import {
  AlgorithmIdentifier, AttributeTypeAndValue, AttributeValue, AuthorityKeyIdentifier, BasicConstraints, Certificate,
  ExtendedKeyUsage, Extension, Extensions, GeneralName, KeyIdentifier, KeyUsage, KeyUsageFlags, Name,
  RelativeDistinguishedName, SubjectAlternativeName, SubjectKeyIdentifier, SubjectPublicKeyInfo, TBSCertificate, Validity, Version,
  id_ce_authorityKeyIdentifier, id_ce_basicConstraints, id_ce_extKeyUsage, id_ce_keyUsage, id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier, id_kp_clientAuth, id_kp_serverAuth,
} from "@peculiar/asn1-x509";

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

const name = (cn: string) => new Name([new RelativeDistinguishedName([new AttributeTypeAndValue({ type: CN, value: new AttributeValue({ utf8String: cn }) })])]);
const ext = (extnID: string, critical: boolean, value: unknown) => new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });

/** A signed certificate, DER. */
export function buildCertificate(s: CertificateSpec): Uint8Array {
  if (s.serial.length < 1 || s.serial.length > 20) throw new RangeError("a certificate serial has 1 to 20 bytes");
  const serial = new Uint8Array(s.serial);
  serial[0] = (serial[0]! & 0x7f) | 0x01;
  const issuerKey = s.issuer?.key ?? s.subject;
  const usage = new KeyUsage(s.ca ? KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : KeyUsageFlags.digitalSignature);
  const extensions = [
    ext(id_ce_basicConstraints, true, new BasicConstraints(s.ca ? { cA: true, pathLenConstraint: 0 } : { cA: false })),
    ext(id_ce_keyUsage, true, usage),
    ext(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(s.subject.keyId())),
    ext(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(issuerKey.keyId()) })),
  ];
  if (!s.ca) extensions.push(ext(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth, id_kp_clientAuth])));
  const sans = [...(s.dnsNames ?? []).map((d) => new GeneralName({ dNSName: d })), ...(s.ipAddresses ?? []).map((ip) => new GeneralName({ iPAddress: ip }))];
  if (sans.length > 0) extensions.push(ext(id_ce_subjectAltName, false, new SubjectAlternativeName(sans)));
  const algorithm = new AlgorithmIdentifier({ algorithm: ED25519 });
  const tbs = new TBSCertificate({
    version: Version.v3,
    serialNumber: serial.buffer,
    signature: algorithm,
    issuer: name(s.issuer?.commonName ?? s.commonName),
    validity: new Validity({ notBefore: s.notBefore, notAfter: s.notAfter }),
    subject: name(s.commonName),
    subjectPublicKeyInfo: new SubjectPublicKeyInfo({ algorithm, subjectPublicKey: s.subject.publicKey.slice().buffer }),
    extensions: new Extensions(extensions),
  });
  const tbsDer = new Uint8Array(AsnConvert.serialize(tbs));
  const signature = sign(null, tbsDer, issuerKey.privateKey);
  const cert = new Certificate({ tbsCertificate: tbs, signatureAlgorithm: algorithm, signatureValue: new Uint8Array(signature).buffer });
  return new Uint8Array(AsnConvert.serialize(cert));
}

/** DER as PEM with the given label. */
export function toPem(der: Uint8Array, label = "CERTIFICATE"): string {
  const b64 = Buffer.from(der).toString("base64").replace(/(.{64})/g, "$1\n").replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
