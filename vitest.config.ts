import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

export default defineConfig({
  resolve: {
    alias: { "@tlos/grid": fileURLToPath(new URL("./src/index.ts", import.meta.url)) },
  },
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // live servers (nats-server lattices, HTTPS stand-ins) time out under a starved 2-core machine:
    // run test files one after another
    fileParallelism: false,
    // CRDs beyond the vendored ones, from the reference folder beside the repository
    env: { TLOS_CRD_DIRS: fileURLToPath(new URL("../shared/reference/crds", import.meta.url)) },
    // the compiled library runs untransformed (Pulumi serializes dynamic providers' code)
    server: { deps: { external: [/\/dist-lib\//] } },
    reporters: ["default"],
  },
});
