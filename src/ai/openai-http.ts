/**
 * Calls an OpenAI-compatible HTTP API (vLLM's server on a pool, or the Cloudflare AI Gateway):
 * one JSON response, or a server-sent-event stream yielded chunk by chunk (`data: {...}` lines up
 * to `data: [DONE]`).
 * @see https://platform.openai.com/docs/api-reference/chat/streaming
 * @see https://docs.vllm.ai/en/latest/serving/openai_compatible_server.html
 */

export class UpstreamError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = "UpstreamError";
  }
}

export interface UpstreamCall {
  /** Full URL, e.g. `http://pool-inference:8000/v1/chat/completions`. */
  readonly url: string;
  readonly body: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
}

async function post(c: UpstreamCall): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(c.url, { method: "POST", headers: { "content-type": "application/json", ...c.headers }, body: JSON.stringify(c.body), signal: c.signal });
  } catch (e) {
    throw new UpstreamError(c.signal.aborted ? "timed out" : `unreachable: ${(e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message}`);
  }
  if (!r.ok) {
    const text = (await r.text().catch(() => "")).slice(0, 300);
    throw new UpstreamError(`HTTP ${r.status}${text ? `: ${text}` : ""}`, r.status);
  }
  return r;
}

/** The whole (non-streamed) response body. */
export async function callJson(c: UpstreamCall): Promise<unknown> {
  const r = await post({ ...c, body: { ...c.body, stream: false } });
  try {
    return await r.json();
  } catch {
    throw new UpstreamError("the response is not JSON");
  }
}

/** The streamed chunks, in order. */
export async function* callStream(c: UpstreamCall): AsyncGenerator<unknown> {
  const r = await post({ ...c, body: { ...c.body, stream: true } });
  if (!r.body) throw new UpstreamError("no response body");
  const dec = new TextDecoder();
  let buf = "";
  try {
    for await (const part of r.body) {
      buf += dec.decode(part as Uint8Array, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf("\n")) >= 0) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (!line.startsWith("data:")) continue;
        const data = line.slice(5).trim();
        if (data === "[DONE]") return;
        try {
          yield JSON.parse(data);
        } catch {
          throw new UpstreamError("a stream chunk is not JSON");
        }
      }
    }
  } catch (e) {
    if (e instanceof UpstreamError) throw e;
    throw new UpstreamError(c.signal.aborted ? "timed out" : `stream broke: ${(e as Error).message}`);
  }
}

/** True when `url` answers 2xx within `ms`. */
export async function healthy(url: string, ms: number): Promise<boolean> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(ms) });
    await r.arrayBuffer().catch(() => undefined);
    return r.ok;
  } catch {
    return false;
  }
}
