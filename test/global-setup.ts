/** Builds dist-lib once (as `npm run build` does): the CLI tests run the compiled `tlos`, as users do. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { sweepPortReservations } from "./ports.js";

export default function setup(): () => void {
  const root = fileURLToPath(new URL("..", import.meta.url));
  execFileSync(process.execPath, [`${root}/node_modules/typescript/bin/tsc`, "-p", "tsconfig.build.json"], { cwd: root, stdio: "inherit" });
  // the rest of `npm run build`: the precompiled schema validators tlos validate loads
  execFileSync(process.execPath, [`${root}/scripts/compile-schemas.mjs`], { cwd: root, stdio: "inherit" });
  // and the entry points bundled (scripts/bundle.mjs), as the package ships them
  execFileSync(process.execPath, [`${root}/scripts/bundle.mjs`], { cwd: root, stdio: "inherit" });
  // the port reservations of this run's test processes (test/ports.ts), once they are gone
  return () => sweepPortReservations();
}
