/**
 * Free TCP ports for live tests that no other test process takes in the meantime. A port is
 * checked bindable, then closed again for the server to bind: between the two, another test file
 * (vitest runs files in parallel processes; other checkouts run their suites on this machine too)
 * could pick the same port. So each port is first reserved: a file `<tmpdir>/tlos-test-ports/<port>`
 * created exclusively (O_EXCL) with our pid, removed when this process exits (or by the suite's
 * teardown, test/global-setup.ts); a reservation whose process is gone is taken over. Ports lie below Linux's ephemeral range (32768+), so no outgoing
 * connection is given one either; each process starts in its own window (by pid) to meet few
 * reservations of others.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const LOW = 20_000, SPAN = 12_000;
const DIR = join(tmpdir(), "tlos-test-ports");
// TLOS_TEST_PORT_START: where to begin (test/ports.test.ts makes processes meet on purpose)
const START = Number(process.env["TLOS_TEST_PORT_START"] ?? (process.pid * 97) % SPAN) % SPAN;
let cursor = 0;
const mine: string[] = [];
let cleanup = false;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reserves `port` for this process: true when the reservation file is ours now. */
function reserve(port: number): boolean {
  const file = join(DIR, String(port));
  // written whole under a name of our own, then linked into place: link() fails if the file exists,
  // and whoever reads it sees a complete pid (an O_EXCL create is seen empty before its write)
  const draft = join(DIR, `.${process.pid}.draft`);
  writeFileSync(draft, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(draft, file);
        mine.push(file);
        if (!cleanup) {
          cleanup = true;
          process.once("exit", () => { for (const f of mine) rmSync(f, { force: true }); });
        }
        return true;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
        const owner = ownerOf(file);
        if (owner === undefined) continue; // removed meanwhile
        if (owner === process.pid || alive(owner)) return false;
        // its process is gone: move it aside (rename is atomic), and put it back if it was someone's fresh one
        const aside = join(DIR, `.${process.pid}.stale`);
        try {
          renameSync(file, aside);
        } catch {
          continue;
        }
        const was = ownerOf(aside);
        if (was !== undefined && was !== owner && alive(was)) {
          try { linkSync(aside, file); } catch { /* taken again meanwhile */ }
          rmSync(aside, { force: true });
          return false;
        }
        rmSync(aside, { force: true });
      }
    }
    return false;
  } finally {
    rmSync(draft, { force: true });
  }
}

function ownerOf(file: string): number | undefined {
  try {
    return Number(readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function bindable(port: number): Promise<boolean> {
  return new Promise((res) => {
    const s = createServer();
    s.once("error", () => res(false));
    s.listen(port, "127.0.0.1", () => s.close(() => res(true)));
  });
}

/** Removes the reservations whose process is gone (vitest ends its workers without an exit event). */
export function sweepPortReservations(): void {
  let names: string[] = [];
  try {
    names = readdirSync(DIR);
  } catch {
    return;
  }
  for (const n of names) {
    if (n.startsWith(".")) continue;
    const owner = ownerOf(join(DIR, n));
    if (owner !== undefined && !(owner > 0 && alive(owner))) rmSync(join(DIR, n), { force: true });
  }
}

/** `n` distinct free TCP ports on 127.0.0.1, reserved for this process until it exits. */
export async function freePorts(n: number): Promise<number[]> {
  mkdirSync(DIR, { recursive: true });
  const out: number[] = [];
  while (out.length < n) {
    if (cursor >= SPAN) throw new Error(`freePorts: no free port left in ${LOW}-${LOW + SPAN - 1}`);
    const port = LOW + ((START + cursor++) % SPAN);
    if (reserve(port) && (await bindable(port))) out.push(port);
  }
  return out;
}
