/**
 * `tlos lattice-init <jetstream.json>`: creates the streams and KV buckets of a JetStream plan at
 * its replica count. Idempotent: an existing stream with the planned subjects is left alone, one
 * with other subjects is reported and not touched.
 */
import { readFileSync } from "node:fs";
import type { JetStreamPlan } from "../wasmcloud/jetstream-plan.js";
import { connectNats } from "./nats-connect.js";

export interface InitOptions {
  readonly servers: readonly string[];
  readonly credsFile?: string;
  /** JetStream domain of the hubs, when connecting through a leaf. */
  readonly domain?: string;
}

export interface InitReport {
  readonly created: string[];
  readonly existing: string[];
  readonly conflicts: string[];
}

const same = (a: readonly string[] = [], b: readonly string[] = []) => a.length === b.length && a.every((x, i) => x === b[i]);

export async function applyJetStreamPlan(plan: JetStreamPlan, o: InitOptions): Promise<InitReport> {
  const { jetstreamManager, RetentionPolicy, StorageType, DiscardPolicy } = await import("@nats-io/jetstream");
  const { Kvm } = await import("@nats-io/kv");
  const nc = await connectNats(o, "tlos-lattice-init");
  const report: InitReport = { created: [], existing: [], conflicts: [] };
  try {
    const jsm = await jetstreamManager(nc, o.domain ? { domain: o.domain } : {});
    const retention = { limits: RetentionPolicy.Limits, workqueue: RetentionPolicy.Workqueue, interest: RetentionPolicy.Interest };
    for (const s of plan.streams) {
      const have = await jsm.streams.info(s.name).catch(() => undefined);
      if (have) {
        (same(have.config.subjects ?? [], s.subjects) ? report.existing : report.conflicts).push(`stream ${s.name}`);
        continue;
      }
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
      report.created.push(`stream ${s.name}`);
    }
    const kvm = new Kvm(jsm.jetstream());
    for (const k of plan.kv) {
      const have = await jsm.streams.info(`KV_${k.bucket}`).catch(() => undefined);
      if (have) {
        report.existing.push(`kv ${k.bucket}`);
        continue;
      }
      await kvm.create(k.bucket, { replicas: plan.replicas, history: k.history });
      report.created.push(`kv ${k.bucket}`);
    }
  } finally {
    await nc.close();
  }
  return report;
}

export function readPlan(file: string): JetStreamPlan {
  return JSON.parse(readFileSync(file, "utf8")) as JetStreamPlan;
}
