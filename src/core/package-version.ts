/**
 * This package's own version, for `tlos --version` and for the jobs that run the CLI with `npx`
 * (they pin the exact version that synthesized them). A test keeps it equal to package.json's.
 */
export const TLOS_VERSION = "0.1.0";

/** The command prefix a container uses to run this version of the `tlos` CLI. */
export const TLOS_NPX = ["npx", "--yes", `@tlos/grid@${TLOS_VERSION}`] as const;
