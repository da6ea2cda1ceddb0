/**
 * Policy decisions for wasmCloud v1 hosts (`WASMCLOUD_POLICY_TOPIC`): a start is permitted only
 * for a component or provider whose embedded claims are signed by a trusted issuer and not
 * expired; an invocation only when its target's claims pass the same test. Anything else —
 * unsigned, untrusted, expired, malformed, an unknown kind — is denied (fail closed).
 * Request shape: `{requestId, kind, version, request, host}` as a v1.9 host sends it.
 * @see https://github.com/wasmCloud/wasmCloud/blob/release-1.9.x/crates/host/src/policy.rs
 */

/** The claims a host puts into a request (decoded from the component's embedded JWT). */
export interface PolicyClaims {
  readonly publicKey?: string;
  readonly issuer?: string;
  readonly issuedAt?: number | string;
  /** Seconds since the epoch. */
  readonly expiresAt?: number | null;
  readonly expired?: boolean;
}

export interface PolicyResponse {
  readonly requestId: string | null;
  readonly permitted: boolean;
  readonly message?: string;
}

const KINDS = new Set(["startComponent", "startProvider", "performInvocation"]);

function checkClaims(claims: unknown, trusted: ReadonlySet<string>, nowSeconds: number): string | undefined {
  if (claims === null || claims === undefined) return "unsigned: no embedded claims";
  if (typeof claims !== "object") return "malformed claims";
  const c = claims as PolicyClaims;
  if (typeof c.issuer !== "string" || c.issuer === "") return "claims without an issuer";
  if (!trusted.has(c.issuer)) return `issuer ${c.issuer} is not trusted by this grid`;
  if (c.expired === true) return "claims expired";
  if (typeof c.expiresAt === "number" && c.expiresAt <= nowSeconds) return "claims expired";
  return undefined;
}

/** Decides one request. `body` is the raw message payload. */
export function decide(body: Uint8Array | string, trusted: ReadonlySet<string>, nowSeconds = Math.floor(Date.now() / 1000)): PolicyResponse {
  let req: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(typeof body === "string" ? body : new TextDecoder().decode(body));
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new Error("not an object");
    req = parsed as Record<string, unknown>;
  } catch {
    return { requestId: null, permitted: false, message: "denied: malformed policy request" };
  }
  const requestId = typeof req["requestId"] === "string" ? req["requestId"] : null;
  const deny = (why: string): PolicyResponse => ({ requestId, permitted: false, message: `denied: ${why}` });
  if (requestId === null) return deny("request without requestId");
  const kind = req["kind"];
  if (typeof kind !== "string" || !KINDS.has(kind)) return deny(`unknown request kind ${JSON.stringify(kind)}`);
  const inner = req["request"];
  if (typeof inner !== "object" || inner === null) return deny("request without a body");
  const claims = kind === "performInvocation" ? ((inner as { target?: { claims?: unknown } }).target ?? {}).claims : (inner as { claims?: unknown }).claims;
  const why = checkClaims(claims, trusted, nowSeconds);
  return why ? deny(why) : { requestId, permitted: true };
}
