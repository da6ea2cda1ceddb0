/**
 * Duration flags (`status --wait/--listen/--interval`, `lattice-init --wait`): a unit suffix
 * (`ms`, `s`, `m`) or a bare number in the flag's documented unit; anything else is one usage
 * line naming the command, the flag, the value and the allowed range.
 */
import { describe, expect, it } from "vitest";
import { Args, UsageError } from "../src/cli/command.js";

const args = (v: string | undefined) => new Args(v === undefined ? {} : { wait: v }, []);
const SECONDS = { unit: "s", default: 60_000, min: 0, max: 3_600_000 } as const;
const MILLIS = { unit: "ms", default: 2000, min: 100, max: 60_000 } as const;

describe("duration flags", () => {
  it("read units, bare numbers in the flag's unit, and the default", () => {
    expect(args(undefined).duration("lattice-init", "wait", SECONDS)).toBe(60_000);
    expect(args("90").duration("lattice-init", "wait", SECONDS)).toBe(90_000);
    expect(args("0").duration("lattice-init", "wait", SECONDS)).toBe(0);
    expect(args("1.5m").duration("lattice-init", "wait", SECONDS)).toBe(90_000);
    expect(args("250ms").duration("lattice-init", "wait", SECONDS)).toBe(250);
    expect(args("1500").duration("status", "wait", MILLIS)).toBe(1500);
    expect(args("2s").duration("status", "wait", MILLIS)).toBe(2000);
  });

  it("refuse what is no duration or out of range, in one line with what is allowed", () => {
    for (const bad of ["", "-1", "2h", "1e3", "abc", "5 s", "61s"]) {
      let err: unknown;
      try {
        args(bad).duration("status", "wait", MILLIS);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(UsageError);
      expect((err as Error).message).toBe(`tlos status: --wait ${JSON.stringify(bad)} is not allowed: use a duration from 100ms to 1m (e.g. 500ms, 2s, 1m; a bare number is milliseconds)`);
    }
    expect(() => args("2h").duration("lattice-init", "wait", SECONDS)).toThrow("from 0 to 1h".replace("1h", "60m"));
  });
});
