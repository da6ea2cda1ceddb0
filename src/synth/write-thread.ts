/**
 * The file-system work of a big output generation on a second thread, so that writing overlaps
 * with rendering: the main thread only encodes each folder and file (path, mode, UTF-8 bytes) into
 * 1 MiB batches and hands them over (the batch's memory moves, nothing is copied, and comes back
 * to be filled again); the thread makes the folders, creates every file exclusively (`wx`) with
 * its final mode, writes it and hashes the very bytes it wrote, in the order they were handed over.
 *
 * The API stays synchronous (the synth renders synchronously): the two threads share a few
 * counters (`SharedArrayBuffer`); the main thread blocks on them (`Atomics.wait`) only when
 * 16 MiB are in flight, and at `finish`/`stop`, and reads the thread's answers with
 * `receiveMessageOnPort`. The thread's first failure stops it (nothing after is written) and is
 * reported by the next `check`/`finish` as the errno error it was, so the caller's message is
 * the same as for a failure on the main thread.
 */
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";

/** The record layout and control words, handed to the thread with its data (one definition). */
const CODES = {
  MKDIR: 1,
  FILE: 2,
  /** A file in pieces: created (path, mode), its bytes in order, then closed. */
  OPEN: 3,
  DATA: 4,
  END: 5,
  /** type u8, mode u16, path bytes u32, content bytes u32 (little endian). */
  HEADER: 11,
  /** Control words: bytes handed over and not yet done; 1 when finished; 1 to stop early; batches done; 1 after a failure. */
  IN_FLIGHT: 0,
  DONE: 1,
  STOP: 2,
  PROGRESS: 3,
  FAILED: 4,
} as const;
type Codes = typeof CODES;

const BATCH = 1 << 20;
const MAX_IN_FLIGHT = 16 << 20;
/** Done batches kept to be filled again. */
const POOL = 20;
/** The thread made no progress for this long while the main thread waited: it is gone. */
const STALL_MS = 120_000;

interface ThreadData {
  readonly gen: string;
  readonly ctl: SharedArrayBuffer;
  readonly port: MessagePort;
  readonly codes: Codes;
}

/** One batch of records: `size` bytes of `ab` are used. */
interface Batch {
  readonly ab: ArrayBuffer;
  readonly size: number;
}

/** What the thread answers: its first failure (then nothing more is written), then its digests at the end. */
type Answer = { readonly error: { readonly code?: string; readonly message: string } } | { readonly digests: Uint8Array; readonly count: number } | { readonly free: ArrayBuffer };

/**
 * The thread's body, as source text: a function's own text would carry whatever a loader's
 * transform put into it (tsx's `__name` helpers), so it is plain JavaScript that uses nothing
 * but Node's own modules and the data it is started with (`ThreadData`). Any failure, even in
 * its start-up, is reported like a failed write.
 */
const THREAD_SOURCE = `"use strict";
const { workerData } = require("node:worker_threads");
const { gen, ctl: shared, port, codes: C } = workerData;
const ctl = new Int32Array(shared);
let failed = false;
const fail = (e) => {
  if (failed) return;
  failed = true;
  const error = { message: String((e && e.message) || e) };
  if (e && typeof e.code === "string") error.code = e.code;
  port.postMessage({ error });
  Atomics.store(ctl, C.FAILED, 1);
};
try {
  const { closeSync, mkdirSync, openSync, writeSync } = require("node:fs");
  const { createHash, hash: oneShot } = require("node:crypto");
  // crypto.hash (Node >= 20.12): one call, no Hash object per file
  const sha256 = typeof oneShot === "function" ? (b) => oneShot("sha256", b, "buffer") : (b) => createHash("sha256").update(b).digest();
  let digests = Buffer.allocUnsafe(32 * 4096);
  let count = 0;
  const digest = (d) => {
    if (digests.length < (count + 1) * 32) {
      const more = Buffer.allocUnsafe(digests.length * 2);
      digests.copy(more);
      digests = more;
    }
    d.copy(digests, count * 32);
    count++;
  };
  let fd = -1;
  let hash;
  const closeOpen = () => {
    if (fd < 0) return;
    const f = fd;
    fd = -1;
    closeSync(f);
  };
  const run = (buf) => {
    let off = 0;
    while (off < buf.length && !failed && Atomics.load(ctl, C.STOP) === 0) {
      const type = buf[off];
      const mode = buf.readUInt16LE(off + 1);
      const pathBytes = buf.readUInt32LE(off + 3);
      const contentBytes = buf.readUInt32LE(off + 7);
      off += C.HEADER;
      const path = pathBytes === 0 ? "" : gen + "/" + buf.toString("utf8", off, off + pathBytes);
      off += pathBytes;
      const bytes = buf.subarray(off, off + contentBytes);
      try {
        if (type === C.MKDIR) mkdirSync(path, { mode });
        else if (type === C.FILE) {
          // what writeFileSync(path, bytes, { mode, flag: "wx" }) does, without its option parsing
          const f = openSync(path, "wx", mode);
          try {
            for (let o = 0; o < bytes.length; ) o += writeSync(f, bytes, o);
          } finally {
            closeSync(f);
          }
          digest(sha256(bytes));
        } else if (type === C.OPEN) {
          fd = openSync(path, "wx", mode);
          hash = createHash("sha256");
        } else if (type === C.DATA) {
          for (let o = 0; o < bytes.length; ) o += writeSync(fd, bytes, o);
          hash.update(bytes);
        } else if (type === C.END) {
          closeOpen();
          digest(hash.digest());
        }
      } catch (e) {
        fail(e);
      }
      off += contentBytes;
    }
  };
  port.on("message", (m) => {
    if (m === null) {
      try {
        closeOpen();
      } catch (e) {
        fail(e);
      }
      port.postMessage({ digests: digests.subarray(0, count * 32), count });
      port.close();
      Atomics.store(ctl, C.DONE, 1);
      Atomics.notify(ctl, C.DONE);
      return;
    }
    try {
      run(Buffer.from(m.ab, 0, m.size));
    } catch (e) {
      fail(e);
    } finally {
      Atomics.sub(ctl, C.IN_FLIGHT, m.ab.byteLength);
      Atomics.add(ctl, C.PROGRESS, 1);
      Atomics.notify(ctl, C.IN_FLIGHT);
      // the batch's memory goes back to be filled again (not left for this thread's lazy GC)
      port.postMessage({ free: m.ab }, [m.ab]);
    }
  });
} catch (e) {
  fail(e);
  port.on("message", (m) => {
    if (m !== null) return void Atomics.sub(ctl, C.IN_FLIGHT, m.ab.byteLength);
    port.close();
    Atomics.store(ctl, C.DONE, 1);
    Atomics.notify(ctl, C.DONE);
  });
}
`;

/** An errno error as fs throws it (`code`, message), from what the thread reported. */
function errnoError(e: { readonly code?: string; readonly message: string }): Error {
  return Object.assign(new Error(e.message), e.code ? { code: e.code } : {});
}

/** The writer thread of one generation folder `gen` (which exists and is empty). */
export class FileThread {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(4 * 5));
  private batch = Buffer.alloc(0);
  private off = 0;
  private ended = false;
  private failure: Error | undefined;
  private digests: Uint8Array | undefined;
  /** Batches the thread is done with, to fill again. */
  private readonly pool: ArrayBuffer[] = [];

  constructor(gen: string) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: ThreadData = { gen, ctl: this.ctl.buffer as SharedArrayBuffer, port: port2, codes: CODES };
    this.worker = new Worker(THREAD_SOURCE, { eval: true, workerData: data, transferList: [port2] });
    this.worker.unref();
    this.port.unref();
  }

  /** Queues the folder `rel` (relative to the generation). */
  mkdir(rel: string, mode: number): void {
    this.record(CODES.MKDIR, mode, rel, "");
  }

  /** Queues the file `rel` with `content` (UTF-8) and `mode`. */
  file(rel: string, mode: number, content: string): void {
    this.record(CODES.FILE, mode, rel, content);
  }

  /** Queues the creation of the file `rel` whose bytes follow in {@link data} pieces, up to {@link close}. */
  open(rel: string, mode: number): void {
    this.record(CODES.OPEN, mode, rel, "");
  }

  /** Queues the next piece of the file opened last. */
  data(chunk: string): void {
    this.record(CODES.DATA, 0, "", chunk);
  }

  /** Queues the end of the file opened last (then hashed like a whole one). */
  close(): void {
    this.record(CODES.END, 0, "", "");
  }

  /** Throws the thread's first failure, if it reported one. */
  check(): void {
    if (Atomics.load(this.ctl, CODES.FAILED) === 0) return;
    this.drain();
    if (this.failure) throw this.failure;
  }

  /** Waits for everything handed over; the sha256 digests of the files (32 bytes each, in order). Throws the first failure. */
  finish(): Uint8Array {
    this.end();
    if (this.failure) throw this.failure;
    const digests = this.digests;
    if (!digests) throw new Error("internal: the writer thread gave no digests");
    this.digests = undefined; // the caller's now: not held on (4.8 MB at 10k nodes) as long as this thread object
    return digests;
  }

  /** Stops the thread (what was not written yet is not) and waits until it touches nothing more. */
  stop(): void {
    Atomics.store(this.ctl, CODES.STOP, 1);
    this.end();
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.flush();
    this.port.postMessage(null);
    this.waitFor(() => Atomics.load(this.ctl, CODES.DONE) === 1, CODES.DONE, () => 0);
    this.drain();
    this.pool.length = 0; // nothing more to fill: the idle batches (1 MiB each) go
    this.batch = Buffer.alloc(0);
    void this.worker.terminate();
  }

  private drain(): void {
    for (let m = receiveMessageOnPort(this.port); m; m = receiveMessageOnPort(this.port)) {
      const a = m.message as Answer;
      if ("error" in a) this.failure ??= errnoError(a.error);
      else if ("free" in a) {
        if (a.free.byteLength === BATCH && this.pool.length < POOL) this.pool.push(a.free);
      } else this.digests = a.digests;
    }
  }

  /** Blocks until `ready()`, waking on changes of control word `word` (last seen `seen()`); a stalled thread is an error. */
  private waitFor(ready: () => boolean, word: number, seen: () => number): void {
    let progress = Atomics.load(this.ctl, CODES.PROGRESS);
    let since = performance.now();
    while (!ready()) {
      Atomics.wait(this.ctl, word, seen(), 1000);
      const now = Atomics.load(this.ctl, CODES.PROGRESS);
      if (now !== progress) {
        progress = now;
        since = performance.now();
      } else if (performance.now() - since > STALL_MS) throw new Error("internal: the output's writer thread stopped answering");
    }
  }

  private record(type: number, mode: number, path: string, content: string): void {
    let need = CODES.HEADER + 3 * (path.length + content.length);
    if (this.off + need > this.batch.length) {
      if (need > BATCH) need = CODES.HEADER + Buffer.byteLength(path) + Buffer.byteLength(content);
      this.flush();
      this.drain();
      const reused = need <= BATCH ? this.pool.pop() : undefined;
      this.batch = reused ? Buffer.from(reused) : Buffer.allocUnsafeSlow(Math.max(need, BATCH));
    }
    const b = this.batch;
    const at = this.off;
    b[at] = type;
    b.writeUInt16LE(mode, at + 1);
    let off = at + CODES.HEADER;
    const pathBytes = b.write(path, off, "utf8");
    off += pathBytes;
    const contentBytes = content === "" ? 0 : b.write(content, off, "utf8");
    b.writeUInt32LE(pathBytes, at + 3);
    b.writeUInt32LE(contentBytes, at + 7);
    this.off = off + contentBytes;
  }

  /** Hands the current batch over (its memory moves to the thread), waiting while too much is in flight. */
  private flush(): void {
    if (this.off === 0) return;
    const ab = this.batch.buffer as ArrayBuffer;
    this.waitFor(() => Atomics.load(this.ctl, CODES.IN_FLIGHT) <= MAX_IN_FLIGHT, CODES.IN_FLIGHT, () => Atomics.load(this.ctl, CODES.IN_FLIGHT));
    Atomics.add(this.ctl, CODES.IN_FLIGHT, ab.byteLength);
    const batch: Batch = { ab, size: this.off };
    this.port.postMessage(batch, [ab]);
    this.batch = Buffer.alloc(0);
    this.off = 0;
  }
}
