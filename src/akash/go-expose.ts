/**
 * The `expose` rules of Akash's Go parser for one deployed service: `v2Expose` decoding and
 * `toManifestExposes` (go/sdl/expose.go, v2.go `asManifest`), the IP-endpoint checks of
 * `v2.validate`, and `ServiceExpose.validate` (go/manifest/v2beta3/serviceexpose.go). An expose
 * without `to` is valid: Go makes it one non-global expose.
 * @see https://github.com/akash-network/chain-sdk/blob/main/go/sdl/expose.go
 */
import { parseUint, scalarText } from "./go-units.js";

export interface Ctx {
  readonly p: (at: string, message: string) => void;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Obj) : {});
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const NEXT_CASES = new Set(["error", "timeout", "500", "502", "503", "504", "403", "404", "429", "off"]); // v2.go nextCase*
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/; // k8s IsDNS1123Subdomain

/** Checks `services.<svc>.expose`; returns how many exposes are global (manifest groups.go counts them). */
export function exposeProblems(c: Ctx, svcName: string, svc: Obj, endpoints: Obj, used: Set<string>, ports: Map<string, string>, hostnames: Set<string>): number {
  let globals = 0;
  list(svc["expose"]).forEach((x, i) => {
    const at = `services.${svcName}.expose[${i}]`;
    const e = obj(x);
    const port = parseUint(e["port"], 0xffffffff);
    if (!port.ok) c.p(`${at}.port`, `port ${port.why} (uint32, v2Expose)`);
    else if (port.value === 0 || port.value > 65535) c.p(`${at}.port`, `port value must be 0 < value <= 65535, got ${port.value} (serviceexpose.go)`);
    const as = e["as"] === undefined ? { ok: true as const, value: 0 } : parseUint(e["as"], 0xffffffff);
    if (!as.ok) c.p(`${at}.as`, `as ${as.why} (uint32, v2Expose)`);
    const protoText = e["proto"] === undefined ? "" : scalarText(e["proto"]) ?? "?";
    if (!["TCP", "UDP", ""].includes(protoText.toUpperCase())) c.p(`${at}.proto`, `unsupported service protocol ${JSON.stringify(protoText)}: TCP or UDP, any case (ParseServiceProtocol, manifest parse.go)`);
    httpOptions(c, `${at}.http_options`, e["http_options"]);
    list(e["accept"]).forEach((h, j) => {
      const host = scalarText(h) ?? "";
      if (!(host.length <= 253 && DNS1123_SUBDOMAIN.test(host))) c.p(`${at}.accept[${j}]`, `has invalid hostname ${JSON.stringify(host)}: a lowercase DNS name (isValidHostname, manifest helpers.go)`);
      else if (hostnames.has(host)) c.p(`${at}.accept[${j}]`, `hostname ${JSON.stringify(host)} is duplicated, this is not allowed (serviceexpose.go)`);
      hostnames.add(host);
    });
    const to = list(e["to"]);
    for (const t of to) {
      const dst = obj(t);
      if (dst["global"] === true) globals++;
      const ip = scalarText(dst["ip"]) ?? "";
      if (ip === "") continue;
      if (dst["global"] !== true) c.p(`${at}.to`, `error on ${JSON.stringify(svcName)}: if an IP is declared the directive must be declared as global (v2.go)`);
      const endpoint = endpoints[ip];
      if (endpoint === undefined) c.p(`${at}.to`, `error on service ${JSON.stringify(svcName)}: no endpoint named ${JSON.stringify(ip)} exists (v2.go)`);
      else if (scalarText(obj(endpoint)["kind"]) !== "ip") c.p(`${at}.to`, `error on service ${JSON.stringify(svcName)}: endpoint ${JSON.stringify(ip)} should be of kind ip (v2.go)`);
      used.add(ip);
      // v2.go: the key uses `as` (0 when unset) and proto as written, across every service
      const key = `${ip}-${as.ok ? as.value : 0}-${protoText}`;
      const other = ports.get(key);
      if (other !== undefined) c.p(`${at}.to`, `IP endpoint ${JSON.stringify(ip)} port ${port.ok ? port.value : "?"} protocol ${protoText || "(none)"} specified by service ${JSON.stringify(svcName)} already in use by ${JSON.stringify(other)} (v2.go)`);
      ports.set(key, svcName);
    }
  });
  return globals;
}

/** v2HTTPOptions.asManifest (v2.go): upper limits and next_cases. */
function httpOptions(c: Ctx, at: string, v: unknown): void {
  if (v === undefined || v === null) return;
  const o = obj(v);
  const limit = (k: string, max: number, what: string) => {
    if (o[k] === undefined) return;
    const n = parseUint(o[k], 0xffffffff);
    if (!n.ok) c.p(`${at}.${k}`, `${k} ${n.why} (uint32, v2HTTPOptions)`);
    else if (n.value > max) c.p(`${at}.${k}`, `http option not allowed: ${what} cannot be greater than ${max} (v2.go)`);
  };
  limit("max_body_size", 104_857_600, "body size");
  limit("proxy_buffer_size", 1_048_576, "proxy buffer size");
  limit("read_timeout", 60_000, "read timeout");
  limit("send_timeout", 60_000, "send timeout");
  const cases = list(o["next_cases"]).map((x) => scalarText(x) ?? "");
  if (cases.includes("off") && cases.length > 1) c.p(`${at}.next_cases`, "if 'off' is specified, no other cases may be specified (v2.go)");
  for (const k of cases) if (!NEXT_CASES.has(k)) c.p(`${at}.next_cases`, `next case is unknown: ${JSON.stringify(k)} (v2.go)`);
}
