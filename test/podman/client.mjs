// A NATS client the Podman tier runs inside a pod's network namespace (nsenter -n): what an app
// next to the leaf would do. Usage: node client.mjs '<json>' with
//   { server, domain, op: "create" | "kvput" | "kvget" | "info", stream, subject, bucket, key, replicas, from, count }
// Prints one JSON line; exits 1 with the error message on failure.
//
// The leaf runs its own JetStream domain, so a bucket of the hub domain is reached the way every
// KV client given a domain reaches it (nats.js `Kvm`, async-nats `with_domain` as the wasmCloud
// host uses): puts go to `$JS.<domain>.API.$KV.<bucket>.<key>`, which the hub maps to
// `$KV.<bucket>.<key>` ("Adding JetStream Domain Mapping" in its log); the bare `$KV.…` subject
// stays inside the leaf's own domain and finds no stream there.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";

const req = JSON.parse(process.argv[2] ?? "{}");
const nc = await connect({ servers: req.server, timeout: 5000, reconnect: false });
try {
  // a node may not ask for account info ($JS.API.INFO): skip the API check
  const jsm = await jetstreamManager(nc, { domain: req.domain, timeout: 5000, checkAPI: false });
  let out;
  if (req.op === "create") {
    const si = await jsm.streams.add({ name: req.stream, subjects: [req.subject], num_replicas: req.replicas, storage: "file" });
    out = { name: si.config.name, replicas: si.config.num_replicas, leader: si.cluster?.leader };
  } else if (req.op === "kvput" || req.op === "kvget") {
    // open, never create: a leaf may not create a stream (the operator's lattice-init does)
    const kv = await new Kvm(jetstream(nc, { domain: req.domain, timeout: 5000, checkAPI: false })).open(req.bucket);
    if (req.op === "kvput") {
      let last;
      for (let i = req.from; i < req.from + req.count; i++) last = await kv.put(`${req.key}${i}`, `msg-${i}`);
      out = { seq: last };
    } else {
      out = { data: (await kv.get(req.key))?.string() };
    }
  } else if (req.op === "info") {
    const si = await jsm.streams.info(req.stream);
    out = { messages: si.state.messages, leader: si.cluster?.leader, replicas: (si.cluster?.replicas ?? []).map((r) => ({ name: r.name, current: r.current, offline: r.offline ?? false })) };
  } else {
    throw new Error(`unknown op ${req.op}`);
  }
  console.log(JSON.stringify(out));
} catch (e) {
  console.error(String(e?.message ?? e));
  process.exitCode = 1;
} finally {
  await nc.close();
}
