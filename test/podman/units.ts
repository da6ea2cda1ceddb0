/**
 * Starting Quadlet units without systemd (there is no systemd PID 1 here): `quadlet -dryrun -user`
 * prints the generated services; their ExecStartPre=/ExecStart= lines are the exact podman
 * command lines, which we split as systemd does, substitute the specifiers of, and run by hand.
 * What we change, and why, is listed in ADAPTATIONS (the test prints it).
 */

export interface DryRunService {
  readonly name: string;
  /** [section, key, value] in file order */
  readonly entries: readonly (readonly [string, string, string])[];
}

/** The flags dropped or added in every podman command line, with the reason. */
export const ADAPTATIONS = [
  "--cgroups=split dropped: it needs systemd's cgroup (without systemd: could not find cgroup mount in /proc/self/cgroup)",
  "--sdnotify=healthy dropped: nothing reads the notify socket, so `podman run -d` would block until its timeout; the test runs `podman healthcheck run` itself (no systemd timers fire here)",
  "--rm dropped: a container that exits keeps its log for the test to show (--replace still removes it on the next start)",
  "--pull=never added to podman run: no registry is reachable, and a pull attempt would send a DNS query",
  "image@sha256:… → image: a locally built image cannot have the upstream digest; only that argument is replaced (the installed units are untouched)",
] as const;

export function parseDryRun(text: string): DryRunService[] {
  const out: { name: string; entries: [string, string, string][] }[] = [];
  let section = "";
  for (const raw of text.split("\n")) {
    const head = /^---(.+)---$/.exec(raw);
    if (head) {
      out.push({ name: head[1] as string, entries: [] });
      section = "";
      continue;
    }
    const cur = out[out.length - 1];
    if (!cur || raw.startsWith("#") || raw.trim() === "") continue;
    const sec = /^\[(.+)\]$/.exec(raw.trim());
    if (sec) {
      section = sec[1] as string;
      continue;
    }
    const eq = raw.indexOf("=");
    if (eq > 0) cur.entries.push([section, raw.slice(0, eq), raw.slice(eq + 1)]);
  }
  return out;
}

export function values(s: DryRunService, section: string, key: string): string[] {
  return s.entries.filter(([sec, k]) => sec === section && k === key).map(([, , v]) => v);
}

/** Splits a systemd command line (double/single quotes, backslash escapes) into argv. */
export function splitCommand(line: string): { argv: string[]; ignoreFailure: boolean } {
  let rest = line.trim();
  let ignoreFailure = false;
  while (/^[-@:+!]/.test(rest)) {
    if (rest[0] === "-") ignoreFailure = true;
    rest = rest.slice(1);
  }
  const argv: string[] = [];
  let cur = "";
  let inWord = false;
  let quote: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i] as string;
    if (quote) {
      if (c === "\\" && i + 1 < rest.length) cur += rest[++i];
      else if (c === quote) quote = undefined;
      else cur += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === "\\" && i + 1 < rest.length) {
      cur += rest[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) argv.push(cur);
      cur = "";
      inWord = false;
    } else {
      cur += c;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unterminated quote in: ${line}`);
  if (inWord) argv.push(cur);
  return { argv, ignoreFailure };
}

/** systemd specifiers of a user service: %t %N %n %h %u %U %% (any other is an error: we would run a wrong line). */
export function substitute(arg: string, unit: string, user: { name: string; uid: number; home: string; runtime: string }): string {
  return arg.replace(/%(.)/g, (_m, c: string) => {
    switch (c) {
      case "t": return user.runtime;
      case "N": return unit.replace(/\.service$/, "");
      case "n": return unit;
      case "h": return user.home;
      case "u": return user.name;
      case "U": return String(user.uid);
      case "%": return "%";
      default: throw new Error(`unsupported systemd specifier %${c} in ${unit}: ${arg}`);
    }
  });
}

/** Applies ADAPTATIONS to one podman argv. */
export function adapt(argv: readonly string[]): string[] {
  const out = argv.filter((a) => a !== "--cgroups=split" && a !== "--sdnotify=healthy" && a !== "--rm");
  if (out[0]?.endsWith("/podman") && out[1] === "run") out.splice(2, 0, "--pull=never");
  return out.map((a) => a.replace(/^([a-z0-9./:_-]+)@sha256:[0-9a-f]{64}$/, "$1"));
}

/** The command lines a service runs at start, in order: ExecStartPre…, ExecStart. */
export function startLines(s: DryRunService): string[] {
  return [...values(s, "Service", "ExecStartPre"), ...values(s, "Service", "ExecStart")];
}

export function kindOf(s: DryRunService): "volume" | "pod" | "container" | "other" {
  if (s.entries.some(([sec]) => sec === "X-Volume")) return "volume";
  if (s.entries.some(([sec]) => sec === "X-Pod")) return "pod";
  if (s.entries.some(([sec]) => sec === "X-Container")) return "container";
  return "other";
}
