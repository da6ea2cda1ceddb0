/**
 * `tlos lattice-init <jetstream.json>`: creates the streams and KV buckets of a JetStream plan at
 * its replica count. Idempotent: an existing stream with the planned subjects is left alone, one
 * with other subjects is reported and not touched. Run right after the hubs start, it waits (bounded,
 * see jetstream-wait.ts) until their JetStream is ready for its account.
 */
import { readFileSync } from "node:fs";
import type { JetStreamPlan } from "../wasmcloud/jetstream-plan.js";
import { connectNats } from "./nats-connect.js";
import { untilReady } from "./jetstream-wait.js";

export interface InitOptions {
  readonly servers: readonly string[];
  readonly credsFile?: string;
  /** JetStream domain of the hubs, when connecting through a leaf. */
  readonly domain?: string;
  /** Seconds to wait for the hubs' JetStream to be ready for the account; 0 = no wait. @default 60 */
  readonly waitSeconds?: number;
  /** Where the one "waiting …" line goes. @default nowhere */
  readonly log?: (line: string) => void;
}

export interface InitReport {
  readonly created: string[];
  readonly existing: string[];
  readonly conflicts: string[];
}

const same = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Only "no such stream" means absent; any other error (not ready, no permission) is the caller's. */
const absent = (e: unknown): undefined => {
  if ((e as { code?: unknown }).code === 10059 || (e as Error).name === "StreamNotFoundError") return undefined;
  throw e;
};

/** A request's timeout: half what is left of the wait (so a timed-out request is tried again), 1–5 s. */
const requestTimeout = (leftMs: number) => Math.max(1000, Math.min(5000, Math.round(leftMs / 2)));

export async function applyJetStreamPlan(plan: JetStreamPlan, o: InitOptions): Promise<InitReport> {
  const { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy } = await import("@nats-io/jetstream");
  const { Kvm } = await import("@nats-io/kv");
  const report: InitReport = { created: [], existing: [], conflicts: [] };
  const retention = { limits: RetentionPolicy.Limits, workqueue: RetentionPolicy.Workqueue, interest: RetentionPolicy.Interest };
  // what earlier attempts finished; a retried attempt (the hubs not ready yet) goes on from there.
  // `asked`: creates sent whose answer did not come (a timeout): found later, they are ours.
  const done = new Set<string>(), asked = new Set<string>();
  const found = (key: string) => (asked.has(key) ? report.created : report.existing).push(key);
  await untilReady({ seconds: o.waitSeconds ?? 60, servers: o.servers, ...(o.log ? { log: o.log } : {}) }, async (asking, leftMs) => {
    asking.what = "a connection";
    const nc = await connectNats(o, "tlos-lattice-init", { timeout: requestTimeout(leftMs) });
    try {
      asking.what = "the account's JetStream info";
      const jsm = await jetstreamManager(nc, { timeout: requestTimeout(leftMs), ...(o.domain ? { domain: o.domain } : {}) });
      for (const s of plan.streams) {
        const key = `stream ${s.name}`;
        if (done.has(key)) continue;
        asking.what = key;
        const have = await jsm.streams.info(s.name).catch(absent);
        if (have) {
          if (same(have.config.subjects ?? [], s.subjects)) found(key);
          else report.conflicts.push(key);
        } else {
          asked.add(key);
          await jsm.streams.add({
            name: s.name,
            description: s.description,
            subjects: [...s.subjects],
            retention: retention[s.retention],
            storage: StorageType.File,
            discard: DiscardPolicy.Old,
            num_replicas: plan.replicas,
            max_age: s.maxAgeSeconds * 1_000_000_000,
            ...(s.maxMsgsPerSubject ? { max_msgs_per_subject: s.maxMsgsPerSubject } : {}),
            ...(s.allowDirect ? { allow_direct: true } : {}),
            ...(s.sources ? { sources: s.sources.map((x) => ({ name: x.name, subject_transforms: x.transforms.map((t) => ({ src: t.src, dest: t.dest })) })) } : {}),
          });
          report.created.push(key);
        }
        done.add(key);
      }
      const kvm = new Kvm(jsm.jetstream());
      for (const k of plan.kv) {
        const key = `kv ${k.bucket}`;
        if (done.has(key)) continue;
        asking.what = key;
        const have = await jsm.streams.info(`KV_${k.bucket}`).catch(absent);
        if (have) found(key);
        else {
          asked.add(key);
          await kvm.create(k.bucket, { replicas: plan.replicas, history: k.history });
          report.created.push(key);
        }
        done.add(key);
      }
    } finally {
      await nc.close().catch(() => undefined);
    }
  });
  return report;
}

export function readPlan(file: string): JetStreamPlan {
  return JSON.parse(readFileSync(file, "utf8")) as JetStreamPlan;
}
