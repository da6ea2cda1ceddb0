/**
 * The router's hosted fallback: a chat completion through the Cloudflare AI Gateway's
 * OpenAI-compatible endpoint (`…/compat/chat/completions`, model `<provider>/<model>`), with the
 * gateway token in `cf-aig-authorization` and the provider key in `Authorization`. Only HTTPS,
 * except to a loopback address (a stand-in gateway in tests).
 * @see https://developers.cloudflare.com/ai-gateway/chat-completion/
 * @see https://developers.cloudflare.com/ai-gateway/configuration/authentication/
 */
import { callJson, callStream, UpstreamError } from "./openai-http.js";
import { gatewayCompatEndpoint, type GatewayRoute } from "./routing.js";

export interface GatewaySecrets {
  /** The gateway's authentication token (sent as `cf-aig-authorization: Bearer …`). */
  readonly token?: string;
  /** Provider → API key (sent as `Authorization: Bearer …`); absent for BYOK / unified billing. */
  readonly providerKeys: Readonly<Record<string, string>>;
}

export function gatewayUrl(route: GatewayRoute): string {
  const url = `${gatewayCompatEndpoint(route)}/chat/completions`;
  const u = new URL(url);
  if (u.protocol !== "https:" && !(u.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(u.hostname))) throw new UpstreamError(`refusing ${u.protocol}// to the AI Gateway: use https`);
  return url;
}

/** The gateway's answer (`stream: false`) or its chunks. */
export function callGateway(route: GatewayRoute, body: Record<string, unknown>, stream: boolean, secrets: GatewaySecrets, signal: AbortSignal): Promise<unknown> | AsyncGenerator<unknown> {
  const key = secrets.providerKeys[route.provider];
  const headers = { ...(secrets.token ? { "cf-aig-authorization": `Bearer ${secrets.token}` } : {}), ...(key ? { authorization: `Bearer ${key}` } : {}) };
  const call = { url: gatewayUrl(route), body: { ...body, model: `${route.provider}/${route.model}` }, headers, signal };
  return stream ? callStream(call) : callJson(call);
}
