/**
 * Consistent JetStream backups through the server's snapshot API (what `nats stream backup`
 * does): the server streams a point-in-time snapshot of each stream's store in chunks with flow
 * control, and restores one from the same chunks into a fresh server. Used by the backup job
 * (`tlos jetstream backup|restore`) before restic encrypts and uploads the files.
 * @see https://docs.nats.io/reference/reference-protocols/nats_api_reference
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { NatsConnection } from "@nats-io/transport-node";

export interface SnapshotOptions {
  /** JetStream domain of the streams (e.g. the hub domain, through a leaf). */
  readonly domain?: string;
  readonly chunkSize?: number;
  readonly timeoutMs?: number;
  /**
   * How long a request that gets no answer (a stream without a leader yet, e.g. right after hubs
   * restart) is tried again before the backup fails; each try waits `timeoutMs`.
   * @default 120000
   */
  readonly retryForMs?: number;
  /**
   * Where the snapshot chunks are delivered: `<inboxPrefix>.snapshot.<stream>.…`. Give the
   * connection's own inbox prefix (nats.js `inboxPrefix`) so only this job can receive them.
   * @default "_INBOX.tlos"
   */
  readonly inboxPrefix?: string;
}

const api = (o: SnapshotOptions) => (o.domain ? `$JS.${o.domain}.API` : "$JS.API");
const te = new TextEncoder();
const td = new TextDecoder();

async function jsRequest(nc: NatsConnection, subject: string, body: unknown, timeout: number): Promise<Record<string, unknown>> {
  const m = await nc.request(subject, te.encode(JSON.stringify(body)), { timeout });
  const r = JSON.parse(td.decode(m.data)) as Record<string, unknown> & { error?: { description?: string; code?: number } };
  if (r.error) throw new Error(`${subject}: ${r.error.description ?? JSON.stringify(r.error)}`);
  return r;
}

/** No answer (yet): a timeout, no responders, or JetStream's "temporarily unavailable" (a group electing a leader). */
const transient = (e: unknown): boolean => {
  const text = `${(e as { name?: string })?.name ?? ""} ${(e as { message?: string })?.message ?? ""} ${(e as { code?: unknown })?.code ?? ""}`;
  return /timeout|no responders|503|not available|leader/i.test(text);
};

/** `attempt(n)` until it succeeds, a non-transient error, or `retryForMs` passed (backoff 0.5 s → 5 s). */
async function retrying<T>(o: SnapshotOptions, attempt: (n: number) => Promise<T>): Promise<T> {
  const until = Date.now() + (o.retryForMs ?? 120_000);
  for (let n = 0, pause = 500; ; n++, pause = Math.min(5000, pause * 2)) {
    try {
      return await attempt(n);
    } catch (e) {
      if (!transient(e) || Date.now() + pause >= until) throw e;
      await new Promise((r) => setTimeout(r, pause));
    }
  }
}

/** Names of all streams in the account (and domain). */
export async function streamNames(nc: NatsConnection, o: SnapshotOptions = {}): Promise<string[]> {
  const names: string[] = [];
  for (let offset = 0; ; ) {
    const r = (await retrying(o, () => jsRequest(nc, `${api(o)}.STREAM.NAMES`, { offset }, o.timeoutMs ?? 10_000))) as { streams?: string[] | null; total?: number; limit?: number };
    const page = r.streams ?? [];
    names.push(...page);
    offset += page.length;
    if (page.length === 0 || offset >= (r.total ?? 0)) break;
  }
  return names.sort();
}

/** Writes `<stream>.snapshot` (the server's archive) and `<stream>.json` (config and state). */
export async function snapshotStream(nc: NatsConnection, stream: string, dir: string, o: SnapshotOptions = {}): Promise<{ bytes: number }> {
  // each try on its own inbox: chunks of an earlier try that answered late find no subscriber
  const { meta, data } = await retrying(o, (n) => snapshotOnce(nc, stream, `${o.inboxPrefix ?? "_INBOX.tlos"}.snapshot.${stream}.${Date.now()}.${n}`, o));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${stream}.snapshot`), data, { mode: 0o600 });
  writeFileSync(join(dir, `${stream}.json`), `${JSON.stringify({ config: meta["config"], state: meta["state"] }, null, 2)}\n`, { mode: 0o600 });
  return { bytes: data.length };
}

async function snapshotOnce(nc: NatsConnection, stream: string, inbox: string, o: SnapshotOptions): Promise<{ meta: Record<string, unknown>; data: Buffer }> {
  const chunks: Uint8Array[] = [];
  let complete = false;
  const sub = nc.subscribe(inbox);
  const done = (async () => {
    for await (const m of sub) {
      if (m.data.length === 0) { complete = true; break; } // end of snapshot
      chunks.push(m.data);
      if (m.reply) m.respond(); // flow control: ack each chunk window
    }
  })();
  try {
    const meta = await jsRequest(nc, `${api(o)}.STREAM.SNAPSHOT.${stream}`, { deliver_subject: inbox, chunk_size: o.chunkSize ?? 128 * 1024, no_consumers: false, jsck: false }, o.timeoutMs ?? 10_000);
    const timer = setTimeout(() => sub.unsubscribe(), o.timeoutMs ?? 120_000);
    await done;
    clearTimeout(timer);
    // a snapshot that stalled is not a backup: try again (or fail), never write part of one
    if (!complete) throw new Error(`snapshot of ${stream}: timeout after ${chunks.length} chunks, before its end`);
    return { meta, data: Buffer.concat(chunks) };
  } finally {
    sub.unsubscribe();
  }
}

/** Restores a stream from the files `snapshotStream` wrote. */
export async function restoreStream(nc: NatsConnection, stream: string, dir: string, o: SnapshotOptions = {}): Promise<void> {
  const meta = JSON.parse(readFileSync(join(dir, `${stream}.json`), "utf8")) as { config: unknown; state: unknown };
  const r = await retrying(o, () => jsRequest(nc, `${api(o)}.STREAM.RESTORE.${stream}`, { config: meta.config, state: meta.state }, o.timeoutMs ?? 10_000));
  const deliver = String(r["deliver_subject"]);
  const data = readFileSync(join(dir, `${stream}.snapshot`));
  const size = o.chunkSize ?? 128 * 1024;
  for (let off = 0; off < data.length; off += size) await nc.request(deliver, data.subarray(off, off + size), { timeout: o.timeoutMs ?? 30_000 });
  const end = await nc.request(deliver, new Uint8Array(), { timeout: o.timeoutMs ?? 60_000 });
  const res = JSON.parse(td.decode(end.data)) as { error?: { description?: string } };
  if (res.error) throw new Error(`restore ${stream}: ${res.error.description}`);
}

/** Snapshots every stream (or the given ones) into `dir`. */
export async function backupStreams(nc: NatsConnection, dir: string, o: SnapshotOptions & { streams?: readonly string[] } = {}): Promise<string[]> {
  const names = o.streams?.length ? [...o.streams] : await streamNames(nc, o);
  for (const s of names) await snapshotStream(nc, s, dir, o);
  return names;
}

/** Restores every stream found in `dir`. */
export async function restoreStreams(nc: NatsConnection, dir: string, o: SnapshotOptions = {}): Promise<string[]> {
  const names = readdirSync(dir).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5)).sort();
  for (const s of names) await restoreStream(nc, s, dir, o);
  return names;
}
