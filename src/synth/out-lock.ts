/**
 * One synth at a time per output folder: a `lock` file (O_EXCL, holding the pid) in the state
 * folder. A lock whose process is gone (a crashed or killed run) is taken over.
 */
import { lstatSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TlosError } from "../core/errors.js";
import { errnoCode, fsStep } from "./fs-errors.js";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errnoCode(e) === "EPERM";
  }
}

/** Takes the lock of the state folder `state`; returns the lock file's path. */
export function acquireLock(state: string, root: string): string {
  const p = join(state, "lock");
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(p, `${process.pid}\n`, { flag: "wx", mode: 0o600 });
      return p;
    } catch (e) {
      if (errnoCode(e) !== "EEXIST" || attempt > 0) return fsStep("lock", root, () => { throw e; });
    }
    const st = lstatSync(p, { throwIfNoEntry: false });
    const pid = st?.isFile() ? Number(readFileSync(p, "utf8").trim()) : NaN;
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new TlosError(`another tlos synth (pid ${pid}) is writing ${root}: wait for it to finish, or remove ${p} if that process is not tlos`);
    }
    rmSync(p, { force: true });
  }
}

export function releaseLock(p: string): void {
  rmSync(p, { force: true });
}
