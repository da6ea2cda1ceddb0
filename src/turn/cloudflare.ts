/**
 * Cloudflare Realtime TURN: the key is created by Pulumi (`cloudflare.CallsTurnApp`); hosts mint
 * short-lived ICE servers from it at run time with one API call.
 * @see https://developers.cloudflare.com/realtime/turn/generate-credentials/
 */

export const CLOUDFLARE_TURN_API = "https://rtc.live.cloudflare.com/v1/turn/keys";

/** The Cloudflare resource a TurnRelay needs, as reviewable JSON (`cloudflare/turn-<id>.json`; the key stays a Pulumi secret). */
export function cloudflareTurnResource(id: string, accountId: string): Record<string, unknown> {
  return { resource: "cloudflare:index/callsTurnApp:CallsTurnApp", name: `tlos-${id}`, args: { accountId, name: `tlos-${id}` }, outputs: { keyId: "computed", key: "computed (secret)" } };
}

/** The config a host needs to mint ICE servers (no secret: the key comes from a secret store). */
export function cloudflareIceConfig(keyIdRef: string, keySecretRef: string, ttl: number): Record<string, unknown> {
  return {
    provider: "cloudflare",
    endpoint: `${CLOUDFLARE_TURN_API}/{keyId}/credentials/generate-ice-servers`,
    keyId: keyIdRef,
    keySecret: keySecretRef,
    ttlSeconds: ttl,
    request: { method: "POST", headers: { Authorization: "Bearer {key}", "Content-Type": "application/json" }, body: { ttl } },
  };
}

export interface IceServers {
  readonly iceServers: readonly { readonly urls: readonly string[] | string; readonly username?: string; readonly credential?: string }[];
}

/** Mints ICE servers for one session (what a host does at run time). `base` is for tests. */
export async function mintCloudflareIceServers(keyId: string, key: string, ttl: number, base = CLOUDFLARE_TURN_API): Promise<IceServers> {
  const r = await fetch(`${base}/${encodeURIComponent(keyId)}/credentials/generate-ice-servers`, {
    method: "POST",
    headers: { Authorization: `Bearer ${key}`, "Content-Type": "application/json" },
    body: JSON.stringify({ ttl }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!r.ok) throw new Error(`Cloudflare TURN answered ${r.status}: ${(await r.text()).slice(0, 200)}`);
  return (await r.json()) as IceServers;
}
