/**
 * Kubernetes-style quantities: CPU (`"500m"`, `"2"`, `0.5`) and memory (`"512Mi"`, `"1G"`).
 * @see https://kubernetes.io/docs/reference/kubernetes-api/common-definitions/quantity/
 */

const CPU = /^(\d+(?:\.\d{1,3})?)(m?)$/;
const MEM = /^(\d+)(Ki|Mi|Gi|Ti|k|K|M|G|T)?$/;
const MEM_FACTORS: Record<string, number> = {
  "": 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40,
};

/** A CPU amount in millicores. */
export class Cpu {
  private constructor(readonly millis: number) {}

  /** Parses `"500m"`, `"2"`, `"0.25"` or a number of cores; throws `RangeError` on anything else. */
  static parse(value: string | number): Cpu {
    const s = typeof value === "number" ? String(value) : value;
    const m = typeof s === "string" ? CPU.exec(s.trim()) : null;
    if (!m) throw new RangeError(`${JSON.stringify(value)} is not a CPU quantity: use millicores like "500m" or cores like "2" or 0.5`);
    const millis = m[2] === "m" ? Number(m[1]) : Math.round(Number(m[1]) * 1000);
    if (!Number.isInteger(millis) || millis <= 0) {
      throw new RangeError(`${JSON.stringify(value)} is not a CPU quantity: it must be at least 1m (whole millicores)`);
    }
    return new Cpu(millis);
  }

  /** Cores as a decimal string, as `podman --cpus` takes it: `0.5`, `2`. */
  toCores(): string {
    return String(this.millis / 1000);
  }

  /** Canonical Kubernetes form: `"500m"` or `"2"`. */
  toString(): string {
    return this.millis % 1000 === 0 ? String(this.millis / 1000) : `${this.millis}m`;
  }
}

/** A memory or storage amount in bytes. */
export class Memory {
  private constructor(readonly bytes: number) {}

  /** Parses `"512Mi"`, `"1G"`, `"1073741824"`; throws `RangeError` on anything else. */
  static parse(value: string | number): Memory {
    const s = typeof value === "number" ? String(value) : value;
    const m = typeof s === "string" ? MEM.exec(s.trim()) : null;
    if (!m) throw new RangeError(`${JSON.stringify(value)} is not a memory quantity: use bytes with a suffix Ki, Mi, Gi, Ti (or k, M, G, T), e.g. "512Mi"`);
    const bytes = Number(m[1]) * (MEM_FACTORS[m[2] ?? ""] ?? 1);
    if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new RangeError(`${JSON.stringify(value)} is not a memory quantity: it must be more than 0 bytes`);
    return new Memory(bytes);
  }

  /** Podman/Docker form with binary suffixes (`512m` = 512 MiB), largest exact unit. */
  toPodman(): string {
    for (const [suffix, f] of [["g", 2 ** 30], ["m", 2 ** 20], ["k", 2 ** 10]] as const) {
      if (this.bytes % f === 0) return `${this.bytes / f}${suffix}`;
    }
    return `${this.bytes}b`;
  }

  /** NATS config form (`256MB` = 256 MiB in nats-server's parser), largest exact unit. */
  toNats(): string {
    for (const [suffix, f] of [["GB", 2 ** 30], ["MB", 2 ** 20], ["KB", 2 ** 10]] as const) {
      if (this.bytes % f === 0) return `${this.bytes / f}${suffix}`;
    }
    return String(this.bytes);
  }

  /** Canonical Kubernetes form with binary suffixes where exact: `"512Mi"`. */
  toString(): string {
    for (const [suffix, f] of [["Ti", 2 ** 40], ["Gi", 2 ** 30], ["Mi", 2 ** 20], ["Ki", 2 ** 10]] as const) {
      if (this.bytes % f === 0) return `${this.bytes / f}${suffix}`;
    }
    return String(this.bytes);
  }
}
