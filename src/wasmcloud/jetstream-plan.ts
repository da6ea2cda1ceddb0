/**
 * The JetStream resources a v1 lattice needs, created ahead of time at the hub cluster's replica
 * count (wadm and hosts would otherwise create them at R1). Names, subjects and settings follow
 * wadm 0.21 (`crates/wadm/src/lib.rs`, `nats.rs`); wadm keeps an existing stream whose subjects
 * match, so pre-created R3 streams are used as they are.
 * @see https://wasmcloud.com/docs/v1/deployment/nats/streams-and-buckets
 */

export interface StreamPlan {
  readonly name: string;
  readonly subjects: readonly string[];
  readonly description: string;
  readonly retention: "limits" | "workqueue" | "interest";
  /** Seconds; 0 = no limit. */
  readonly maxAgeSeconds: number;
  readonly maxMsgsPerSubject?: number;
  readonly allowDirect?: boolean;
  /** Streams this one sources, with the subject transform of each source subject. */
  readonly sources?: readonly { readonly name: string; readonly transforms: readonly { readonly src: string; readonly dest: string }[] }[];
}

export interface KvPlan {
  readonly bucket: string;
  readonly history: number;
}

export interface JetStreamPlan {
  readonly lattice: string;
  readonly replicas: number;
  readonly streams: readonly StreamPlan[];
  readonly kv: readonly KvPlan[];
}

/** wadm's event expiry: twice the host heartbeat plus some room (`DEFAULT_EXPIRY_TIME`). */
const EXPIRY = 70;

export function v1JetStreamPlan(lattice: string, replicas: number): JetStreamPlan {
  const wadmEvents: StreamPlan = { name: "wadm_events", subjects: ["wadm.evt.*.>"], description: "A stream that stores all events coming in on the wadm.evt subject in a cluster", retention: "limits", maxAgeSeconds: EXPIRY };
  const wasmbusEvents: StreamPlan = { name: "wasmbus_events", subjects: ["wasmbus.evt.*.>"], description: "A stream that stores all events coming in on the wasmbus.evt subject in a cluster", retention: "limits", maxAgeSeconds: EXPIRY };
  const consumerTopic = "wadm_event_consumer.evt.*.>";
  const transform = (s: StreamPlan) => ({ name: s.name, transforms: s.subjects.map((src) => ({ src, dest: consumerTopic.replace("*", "{{wildcard(1)}}") })) });
  return {
    lattice,
    replicas,
    streams: [
      wadmEvents,
      { name: "wadm_commands", subjects: ["wadm.cmd.*"], description: "A stream that stores all commands for wadm", retention: "workqueue", maxAgeSeconds: EXPIRY },
      { name: "wadm_status", subjects: ["wadm.status.*.*"], description: "A stream that stores all status updates for wadm applications", retention: "limits", maxAgeSeconds: 0, maxMsgsPerSubject: 10, allowDirect: true },
      wasmbusEvents,
      { name: "wadm_notify", subjects: ["wadm.notify.*"], description: "A stream for capturing all notification events for wadm", retention: "interest", maxAgeSeconds: EXPIRY },
      { name: "wadm_event_consumer", subjects: [], description: "A stream that sources from wadm_events and wasmbus_events for wadm event consumer's use", retention: "workqueue", maxAgeSeconds: EXPIRY, sources: [transform(wasmbusEvents), transform(wadmEvents)] },
    ],
    kv: [
      { bucket: "wadm_state", history: 1 },
      { bucket: "wadm_manifests", history: 1 },
      { bucket: `LATTICEDATA_${lattice}`, history: 1 },
      { bucket: `CONFIGDATA_${lattice}`, history: 1 },
    ],
  };
}
