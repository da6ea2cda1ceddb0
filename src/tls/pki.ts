/**
 * The TLS PKI of a lattice, derived from the master seed: a CA and one certificate per hub (server
 * and client use, so hubs verify each other on routes and leaves verify the hubs). Keys are Ed25519
 * seeds from HKDF, serials are derived too and dates are fixed, so the same program and seed give
 * byte-identical certificates; a new `epoch` re-derives every key and certificate (rotation).
 * @see https://www.rfc-editor.org/rfc/rfc5280
 */
import type { MasterSeed } from "../core/seed.js";
import { buildCertificate, Ed25519Key, toPem } from "./x509.js";

export interface PkiHub {
  readonly id: string;
  /** The DNS name or IP address leaves and other hubs dial: the certificate's subject alternative name. */
  readonly host: string;
}

export interface PkiInput {
  /** Derivation scope (the lattice's construct path). */
  readonly scope: string;
  /** Shown in the CA's common name. */
  readonly lattice: string;
  /** Rotation counter: each epoch is a new CA and new hub keys. */
  readonly epoch: number;
  readonly notBefore: Date;
  readonly validityDays: number;
  readonly hubs: readonly PkiHub[];
}

/** PEM files of one identity. */
export interface PemPair {
  readonly cert: string;
  readonly key: string;
}

export interface LatticePki {
  readonly ca: PemPair;
  /** Hub id → its certificate and key. */
  readonly hubs: ReadonlyMap<string, PemPair>;
  readonly notAfter: Date;
}

const isIp = (h: string) => /^\d{1,3}(\.\d{1,3}){3}$/.test(h) || h.includes(":");

/** The lattice CA's key and name, and where every key of this epoch is derived from. */
function latticeCa(seed: MasterSeed, i: Omit<PkiInput, "hubs">) {
  const base = `tls/${i.scope}/epoch-${i.epoch}`;
  return { base, caKey: new Ed25519Key(seed.derive(`${base}/ca/key`)), caName: `tLOS ${i.lattice} lattice CA (epoch ${i.epoch})`, notAfter: new Date(i.notBefore.getTime() + i.validityDays * 86_400_000) };
}

/**
 * A server certificate from the lattice CA for a grid service that is not a hub (the OCI
 * registry): its key and serial derived under `service/<id>`, so they never equal a hub's.
 * `names` are its DNS names and IP addresses (subject alternative names).
 */
export function serviceCertificate(seed: MasterSeed, i: Omit<PkiInput, "hubs">, id: string, names: readonly string[]): PemPair {
  const { base, caKey, caName, notAfter } = latticeCa(seed, i);
  const key = new Ed25519Key(seed.derive(`${base}/service/${id}/key`));
  const cert = buildCertificate({
    commonName: id, serial: seed.derive(`${base}/service/${id}/serial`, 16), notBefore: i.notBefore, notAfter, subject: key,
    issuer: { key: caKey, commonName: caName }, ca: false, dnsNames: names.filter((n) => !isIp(n)), ipAddresses: names.filter(isIp),
  });
  return { cert: toPem(cert), key: key.pem() };
}

export function latticePki(seed: MasterSeed, i: PkiInput): LatticePki {
  const { base, caKey, caName, notAfter } = latticeCa(seed, i);
  const caCert = buildCertificate({ commonName: caName, serial: seed.derive(`${base}/ca/serial`, 16), notBefore: i.notBefore, notAfter, subject: caKey, ca: true });
  const hubs = new Map<string, PemPair>();
  for (const h of i.hubs) {
    const key = new Ed25519Key(seed.derive(`${base}/hub/${h.id}/key`));
    const cert = buildCertificate({
      commonName: h.id,
      serial: seed.derive(`${base}/hub/${h.id}/serial`, 16),
      notBefore: i.notBefore,
      notAfter,
      subject: key,
      issuer: { key: caKey, commonName: caName },
      ca: false,
      ...(isIp(h.host) ? { ipAddresses: [h.host] } : { dnsNames: [h.host] }),
    });
    hubs.set(h.id, { cert: toPem(cert), key: key.pem() });
  }
  return { ca: { cert: toPem(caCert), key: caKey.pem() }, hubs, notAfter };
}
