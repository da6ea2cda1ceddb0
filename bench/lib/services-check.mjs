// Run inside a freshly installed consumer project (the bench's default install): the repository's
// `overrides` (one nats-core for @nats-io/services) do not reach consumers, so there
// @nats-io/services 3.0.0-25 keeps its own nats-core 3.0.0-50 beside the connection's 3.4. This
// shows that layout works against a real nats-server on 127.0.0.1: a service answers, its error
// headers arrive, and ping and stats find it. Prints one JSON line.
//   node services-check.mjs <nats-server binary>
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { connect } from "@nats-io/transport-node";
import { Svcm } from "@nats-io/services";

const version = (p) => { try { return JSON.parse(readFileSync(p, "utf8")).version; } catch { return undefined; } };
const port = await new Promise((r) => { const s = createServer().listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => r(p)); }); });
const server = spawn(process.argv[2], ["-a", "127.0.0.1", "-p", String(port)], { stdio: "ignore" });
try {
  let nc;
  for (let i = 0; i < 100 && !nc; i++) nc = await connect({ servers: `127.0.0.1:${port}` }).catch(() => new Promise((r) => setTimeout(() => r(undefined), 100)));
  const srv = await new Svcm(nc).add({ name: "echo", version: "1.0.0" });
  srv.addEndpoint("echo", { handler: (_e, m) => m.respond(m.data) });
  srv.addEndpoint("fail", { handler: (_e, m) => m.respondError(503, "busy") });
  const echo = (await nc.request("echo", "hi")).string();
  const f = await nc.request("fail", "x");
  const pings = [];
  for await (const p of await new Svcm(nc).client().ping("echo")) pings.push(p.name);
  await srv.stop();
  await nc.close();
  console.log(JSON.stringify({
    services_nats_core: version("node_modules/@nats-io/services/node_modules/@nats-io/nats-core/package.json") ?? version("node_modules/@nats-io/nats-core/package.json"),
    connection_nats_core: version("node_modules/@nats-io/nats-core/package.json"),
    ok: echo === "hi" && f.headers?.get("Nats-Service-Error-Code") === "503" && pings.includes("echo"),
  }));
} finally {
  server.kill();
}
