/**
 * Runs Podman's own generator on a folder of units: `QUADLET_UNIT_DIRS=<dir> quadlet -dryrun -user`.
 * It exits non-zero on any unsupported key or broken unit, and prints one `---<name>.service---`
 * block per unit it could generate.
 * @see https://docs.podman.io/en/latest/markdown/podman-systemd.unit.5.html
 */
import { readdirSync } from "node:fs";
import { resolve } from "node:path";
import { run, type Runner } from "./spawn.js";

export interface QuadletCheck {
  readonly ok: boolean;
  readonly services: readonly string[];
  readonly output: string;
}

const UNIT = /\.(container|pod|volume|network|kube|image|build)$/;

export async function quadletDryRun(binary: string, dir: string, runner: Runner = run): Promise<QuadletCheck> {
  const abs = resolve(dir);
  const r = await runner(binary, ["-dryrun", "-user", "-no-kmsg-log"], { env: { ...process.env, QUADLET_UNIT_DIRS: abs } });
  const output = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  const services = [...(r.stdout ?? "").matchAll(/^---(.+)---$/gm)].map((m) => m[1] as string);
  const expected = readdirSync(abs).filter((f) => UNIT.test(f)).length;
  const ok = r.status === 0 && services.length === expected && !/unsupported key|error/i.test(r.stderr ?? "");
  return { ok, services, output };
}

/** The generator's own version (`quadlet -version`), e.g. `5.4.2`. */
export async function quadletVersion(binary: string, runner: Runner = run): Promise<string | undefined> {
  const r = await runner(binary, ["-version"], { timeoutMs: 10_000 });
  return /(\d+\.\d+(?:\.\d+)?)/.exec(`${r.stdout}${r.stderr}`)?.[1];
}
