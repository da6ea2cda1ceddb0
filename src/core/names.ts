/**
 * Names used in file names, unit names, container names, NATS server names and DNS labels.
 * One rule everywhere keeps every target happy: a lowercase RFC 1123 label, at most 40
 * characters so derived names (`<lattice>-<node>-wasmcloud`) stay under 63.
 */
export const ID_PATTERN = /^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/;

/** Returns why `id` is not a valid construct id, or undefined when it is. */
export function idProblem(id: unknown): string | undefined {
  if (typeof id !== "string") return `must be a string, got ${typeof id}`;
  if (ID_PATTERN.test(id)) return undefined;
  return `${JSON.stringify(id)} is not a valid id: use 1-40 lowercase letters, digits and '-', starting with a letter and not ending with '-'`;
}

/** A JetStream domain or NATS account name: letters, digits, `_` and `-` (no dots, no spaces). */
export const NATS_NAME_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;

/** A DNS host name or an IPv4/IPv6 literal. */
export function isHost(value: unknown): value is string {
  if (typeof value !== "string" || value.length === 0 || value.length > 253) return false;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return value.split(".").every((o) => Number(o) <= 255);
  if (/^[0-9a-fA-F:]+$/.test(value) && value.includes(":")) return true;
  return /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(value);
}

/** A TCP/UDP port number a process may listen on. */
export function isPort(value: unknown): value is number {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535;
}

/** Formats `host:port`, bracketing IPv6 literals. */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}
