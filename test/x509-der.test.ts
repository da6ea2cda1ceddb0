/**
 * The hand-written DER of src/tls/x509.ts against the typed ASN.1 models of `@peculiar/asn1-x509`
 * (test/fixtures/x509-peculiar.ts, the previous builder, now a dev dependency): the same bytes
 * for CA and end-entity certificates, DNS and IPv4/IPv6 names, dates either side of 2050, long
 * names (multi-byte lengths) and random serials. openssl checks the certificates in pki.test.ts.
 */
import { randomBytes } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCertificate, Ed25519Key, ipBytes, type CertificateSpec } from "../src/tls/x509.js";
import { buildCertificate as peculiarCertificate, Ed25519Key as PeculiarKey } from "./fixtures/x509-peculiar.js";
import { integer, oid } from "../src/tls/der.js";

const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");

type Spec = Omit<CertificateSpec, "subject" | "issuer"> & { subjectSeed: Uint8Array; issuer?: { seed: Uint8Array; commonName: string } };

function both({ subjectSeed, issuer, ...spec }: Spec) {
  const ours = buildCertificate({ ...spec, subject: new Ed25519Key(subjectSeed), ...(issuer ? { issuer: { key: new Ed25519Key(issuer.seed), commonName: issuer.commonName } } : {}) });
  const theirs = peculiarCertificate({ ...spec, subject: new PeculiarKey(subjectSeed), ...(issuer ? { issuer: { key: new PeculiarKey(issuer.seed), commonName: issuer.commonName } } : {}) });
  return { ours: hex(ours), theirs: hex(theirs) };
}

describe("X.509 DER", () => {
  it("is byte-identical to the @peculiar/asn1-x509 models for a CA and a hub certificate", () => {
    const ca = { commonName: "tLOS t lattice CA (epoch 0)", serial: randomBytes(16), notBefore: new Date("2025-01-01T00:00:00Z"), notAfter: new Date("2035-01-01T00:00:00Z"), subjectSeed: randomBytes(32), ca: true };
    const a = both(ca);
    expect(a.ours).toBe(a.theirs);
    const hub = { commonName: "hub-1", serial: randomBytes(16), notBefore: ca.notBefore, notAfter: new Date("2051-06-30T12:34:56Z"), subjectSeed: randomBytes(32), ca: false, issuer: { seed: ca.subjectSeed, commonName: ca.commonName }, dnsNames: ["hub-1.grid.example.net", "localhost"], ipAddresses: ["192.0.2.3", "2001:db8::1", "::1", "fe80::"] };
    const b = both(hub);
    expect(b.ours).toBe(b.theirs);
  });

  it("matches on random names, serials, dates and SANs (property)", () => {
    const ipv6 = fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }).map((g) => g.map((x) => x.toString(16)).join(":"));
    const ipv4 = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }).map((g) => g.join("."));
    fc.assert(fc.property(
      fc.string({ minLength: 1, maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 20 }), fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("2200-01-01T00:00:00Z"), noInvalidDate: true }),
      fc.array(fc.stringMatching(/^[a-z0-9-]{1,63}(\.[a-z0-9-]{1,63}){0,3}$/), { maxLength: 6 }), fc.array(fc.oneof(ipv4, ipv6), { maxLength: 3 }), fc.boolean(),
      (cn, serial, date, dnsNames, ipAddresses, ca) => {
        const spec = { commonName: cn, serial, notBefore: date, notAfter: new Date(date.getTime() + 86_400_000 * 400), subjectSeed: randomBytes(32), ca, dnsNames, ipAddresses, ...(ca ? {} : { issuer: { seed: randomBytes(32), commonName: `${cn} CA` } }) };
        const r = both(spec);
        expect(r.ours).toBe(r.theirs);
      },
    ), { numRuns: 150 });
  });

  it("encodes integers minimally and OIDs with multi-byte arcs; rejects what is no IP address", () => {
    expect(hex(integer(0))).toBe("020100");
    expect(hex(integer(128))).toBe("02020080");
    expect(hex(integer(Uint8Array.of(0, 0, 0x7f)))).toBe("02017f");
    expect(hex(oid("1.2.840.113549.1.1.11"))).toBe("06092a864886f70d01010b");
    for (const bad of ["256.1.1.1", "1::2::3", "12345::", "1:2:3"]) expect(() => ipBytes(bad), bad).toThrow(RangeError);
  });
});
