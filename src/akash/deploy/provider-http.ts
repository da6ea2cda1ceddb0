/**
 * The provider API over HTTPS with the owner's client certificate (mTLS), as Akash providers
 * serve it. Providers present self-signed certificates, so the server certificate is not checked
 * against a CA here; `expectedServerCert` pins one when known (tests pin the stand-in's).
 * @see https://akash.network/docs/other-resources/authentication/
 */
import { request } from "node:https";
import type { ClientCertificate, LeaseStatus, ProviderApi } from "./types.js";

export class ProviderHttpError extends Error {
  constructor(readonly status: number, readonly body: string, what: string) {
    super(`${what}: provider answered ${status}${body ? `: ${body.trim().slice(0, 300)}` : ""}`);
  }
}

function call(url: string, method: string, cert: ClientCertificate, body: string | undefined, ca: string | undefined, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        cert: cert.certPem,
        key: cert.keyPem,
        ...(ca ? { ca, rejectUnauthorized: true } : { rejectUnauthorized: false }),
        headers: body ? { "content-type": "application/json", "content-length": Buffer.byteLength(body) } : {},
        timeout: timeoutMs,
      },
      (res) => {
        let data = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (data += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${url} timed out after ${timeoutMs} ms`)));
    req.on("error", reject);
    if (body) req.write(body);
    req.end();
  });
}

export function providerHttp(opts: { expectedServerCert?: string; timeoutMs?: number } = {}): ProviderApi {
  const t = opts.timeoutMs ?? 30_000;
  return {
    async sendManifest(hostUri, dseq, manifestJson, cert) {
      const r = await call(`${hostUri}/deployment/${dseq}/manifest`, "PUT", cert, manifestJson, opts.expectedServerCert, t);
      if (r.status < 200 || r.status >= 300) throw new ProviderHttpError(r.status, r.body, "manifest rejected");
    },
    async leaseStatus(hostUri, dseq, gseq, oseq, cert) {
      const r = await call(`${hostUri}/lease/${dseq}/${gseq}/${oseq}/status`, "GET", cert, undefined, opts.expectedServerCert, t);
      if (r.status !== 200) throw new ProviderHttpError(r.status, r.body, "lease status");
      const s = JSON.parse(r.body) as { services?: Record<string, { available?: number; total?: number; uris?: string[] | null }>; forwarded_ports?: Record<string, { host: string; port: number; externalPort: number; proto: string }[]> | null };
      return {
        services: Object.fromEntries(Object.entries(s.services ?? {}).map(([k, v]) => [k, { available: v.available ?? 0, total: v.total ?? 0, uris: v.uris ?? [] }])),
        forwardedPorts: Object.entries(s.forwarded_ports ?? {}).flatMap(([service, ps]) => ps.map((p) => ({ service, host: p.host, port: p.port, externalPort: p.externalPort, proto: p.proto }))),
      } satisfies LeaseStatus;
    },
  };
}
