// The S3 stand-in of the Podman tier's backup test: s3rver (HTTPS, like R2) on the lab bridge.
// Usage (inside the lab's network namespace): node s3.mjs <dir> <address> <port> <key.pem> <cert.pem> <bucket>
// Prints "ready" once listening; stops on SIGTERM or when stdin closes.
import { readFileSync } from "node:fs";
import S3rver from "s3rver";

const [dir, address, port, key, cert, bucket] = process.argv.slice(2);
const server = new S3rver({ address, port: Number(port), silent: true, directory: dir, configureBuckets: [{ name: bucket }], vhostBuckets: false, key: readFileSync(key), cert: readFileSync(cert) });
await server.run();
console.log("ready");
const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
