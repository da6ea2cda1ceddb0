// A NATS client the Podman tier runs inside a pod's network namespace (nsenter -n): what an app
// next to the leaf would do. Usage: node client.mjs '<json>' with
//   { server, domain, op: "create" | "publish" | "info" | "get", stream, subject, replicas, from, count, seq }
// Prints one JSON line; exits 1 with the error message on failure.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

const req = JSON.parse(process.argv[2] ?? "{}");
const nc = await connect({ servers: req.server, timeout: 5000, reconnect: false });
try {
  // a node may not ask for account info ($JS.API.INFO): skip the API check
  const jsm = await jetstreamManager(nc, { domain: req.domain, timeout: 5000, checkAPI: false });
  let out;
  if (req.op === "create") {
    const si = await jsm.streams.add({ name: req.stream, subjects: [req.subject], num_replicas: req.replicas, storage: "file" });
    out = { name: si.config.name, replicas: si.config.num_replicas, leader: si.cluster?.leader };
  } else if (req.op === "publish") {
    const js = jetstream(nc, { domain: req.domain, timeout: 5000 });
    let last;
    for (let i = req.from; i < req.from + req.count; i++) last = await js.publish(req.subject.endsWith(".") || req.subject.endsWith(".k") ? `${req.subject}${i}` : req.subject, `msg-${i}`, { msgID: `msg-${i}` });
    out = { seq: last?.seq, stream: last?.stream };
  } else if (req.op === "info") {
    const si = await jsm.streams.info(req.stream);
    out = { messages: si.state.messages, leader: si.cluster?.leader, replicas: (si.cluster?.replicas ?? []).map((r) => ({ name: r.name, current: r.current, offline: r.offline ?? false })) };
  } else if (req.op === "get") {
    const m = await jsm.streams.getMessage(req.stream, { seq: req.seq });
    out = { data: m?.string() };
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
