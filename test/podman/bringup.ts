/**
 * Bringing one lab machine up as its operator would: its bundle copied into its user's home,
 * its own `install.sh` run (TLOS_NO_SYSTEMD=1: no systemd here), its images imported from the
 * tier's local tarballs, then its units started from the `quadlet -dryrun -user` output.
 */
import { cpSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Lab, LabMachine, RunResult } from "./lab.js";
import { adapt, kindOf, parseDryRun, splitCommand, startLines, substitute, values, type DryRunService } from "./units.js";

/** The system user tree of a machine as its units see it. */
export function userOf(m: LabMachine): { name: string; uid: number; home: string; runtime: string } {
  return { name: m.name, uid: m.uid, home: `/home/${m.name}`, runtime: `/run/user/${m.uid}` };
}

/** Host path of a path in a machine's home. */
export function homePath(lab: Lab, m: LabMachine, ...rest: string[]): string {
  return join(lab.runDir, "home", m.name, ...rest);
}

/** Copies the machine's bundle `hosts/<host>/` into ~/bundle, owned by the machine's user (what the operator copies there). */
export async function copyBundle(lab: Lab, m: LabMachine, out: string, extraSecrets: Record<string, string> = {}): Promise<void> {
  const dest = homePath(lab, m, "bundle");
  rmSync(dest, { recursive: true, force: true });
  const bundle = join(out, "hosts", m.name);
  if (!existsSync(join(bundle, "install.sh"))) throw new Error(`no ${bundle}/install.sh in the synth output`);
  cpSync(bundle, dest, { recursive: true });
  for (const [file, value] of Object.entries(extraSecrets)) writeFileSync(join(dest, "secrets", file), value, { mode: 0o600 });
  const r = await lab.exec(m.name, ["chown", "-R", `${m.uid}:${m.uid}`, `/home/${m.name}/bundle`], { root: true });
  if (r.code !== 0) throw new Error(r.stderr);
}

/** Runs the machine's install.sh under umask 077 (a hardened login's umask: it must set its files' modes itself). */
export function runInstall(lab: Lab, m: LabMachine): Promise<RunResult> {
  return lab.exec(m.name, ["bash", "-c", "umask 077; exec bash ~/bundle/install.sh"], { env: { TLOS_NO_SYSTEMD: "1" }, timeoutMs: 120_000 });
}

/** Everything install.sh leaves behind that a second run must not change. */
export async function installState(lab: Lab, m: LabMachine): Promise<string> {
  const files = await lab.exec(m.name, ["sh", "-c", "cd ~/.config/containers/systemd && find . -type f -exec stat -c '%n %a %s %Y' {} + | sort && find . -type f -exec sha256sum {} + | sort"]);
  const ids = (await lab.podman(m.name, ["secret", "ls", "--noheading", "--format", "{{.ID}}"])).split("\n").filter(Boolean);
  const secrets = ids.length ? await lab.podman(m.name, ["secret", "inspect", "--format", "{{.ID}} {{.Spec.Name}} {{.CreatedAt}} {{.UpdatedAt}}", ...ids]) : "";
  return `${files.stdout}${secrets.split("\n").sort().join("\n")}`;
}

/** Imports the tier's image tarballs under the names the units use. */
export async function importImages(lab: Lab, m: LabMachine, images: Record<string, { tar: string; changes: string[] }>): Promise<void> {
  for (const [ref, { tar, changes }] of Object.entries(images)) {
    await lab.podman(m.name, ["import", ...changes.flatMap((c) => ["--change", c]), tar, ref], 120_000);
  }
}

export interface Started {
  readonly services: DryRunService[];
  /** units not started, with the reason */
  readonly skipped: Record<string, string>;
}

/** The quadlet dry run of the machine's installed units (Podman 5's quadlet in the root). */
export async function dryRun(lab: Lab, m: LabMachine): Promise<DryRunService[]> {
  const r = await lab.exec(m.name, ["/usr/libexec/podman/quadlet", "-dryrun", "-user"]);
  if (r.code !== 0) throw new Error(`quadlet -dryrun on ${m.name}: ${r.stderr}`);
  return parseDryRun(r.stdout);
}

/** Runs one service's start lines as the machine's user; throws on a failing line not marked `-`. */
export async function startService(lab: Lab, m: LabMachine, s: DryRunService): Promise<void> {
  for (const line of startLines(s)) {
    const { argv, ignoreFailure } = splitCommand(line);
    const cmd = adapt(argv.map((a) => substitute(a, s.name, userOf(m))));
    const env = Object.fromEntries(values(s, "Service", "Environment").map((e) => {
      const [k, ...v] = substitute(e, s.name, userOf(m)).split("=");
      return [k as string, v.join("=")];
    }));
    const r = await lab.exec(m.name, cmd, { env, timeoutMs: 120_000 });
    if (r.code !== 0 && !ignoreFailure) throw new Error(`${m.name} ${s.name}: ${cmd.join(" ")}\nexited ${r.code}: ${r.stderr.trim()}`);
  }
}

/**
 * Starts a machine's units in systemd's order for them: volumes, then pods, then containers.
 * `skip` names a reason for units not to start now (an image that cannot be had here, a unit a
 * timer starts).
 */
export async function startMachine(lab: Lab, m: LabMachine, skip: (s: DryRunService) => string | undefined): Promise<Started> {
  const services = await dryRun(lab, m);
  const skipped: Record<string, string> = {};
  for (const kind of ["volume", "pod", "container"] as const) {
    for (const s of services.filter((x) => kindOf(x) === kind)) {
      const why = skip(s);
      if (why) {
        skipped[s.name] = why;
        continue;
      }
      await startService(lab, m, s);
    }
  }
  await expectRunning(lab, m, services.filter((s) => kindOf(s) === "container" && !skipped[s.name]));
  return { services, skipped };
}

/** Every started container still runs a few seconds later; else its log is the error. */
export async function expectRunning(lab: Lab, m: LabMachine, containers: DryRunService[]): Promise<void> {
  await new Promise((r) => setTimeout(r, 2000));
  for (const s of containers) {
    const name = values(s, "X-Container", "ContainerName")[0] ?? `systemd-${s.name.replace(/\.service$/, "")}`;
    const st = await lab.exec(m.name, ["podman", "inspect", "--format", "{{.State.Status}}", name]);
    if (st.stdout.trim() !== "running") {
      const log = await lab.exec(m.name, ["podman", "logs", "--tail", "20", name]);
      throw new Error(`${m.name}: container ${name} is ${st.stdout.trim() || st.stderr.trim()}:\n${log.stdout}${log.stderr}`);
    }
  }
}

/** The image a container service runs (the argument before its command). */
export function imageOf(s: DryRunService): string | undefined {
  return values(s, "X-Container", "Image")[0];
}

export function listDir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
