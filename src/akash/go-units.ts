/**
 * How Akash's Go SDL parser reads quantities, spelled the way its code reads them (chain-sdk
 * 55f1c68, `go/sdl/units.go`, `go/sdl/coin.go`): sizes, CPU, GPU units and coin amounts. Each
 * parser returns a number or the reason Go refuses the text — never throws.
 * @see https://github.com/akash-network/chain-sdk/blob/main/go/sdl/units.go
 */

/** `unitSuffixes` in units.go: memory `size` and storage `size` (byteQuantity). Case-sensitive. */
export const BYTE_SUFFIXES: Readonly<Record<string, number>> = {
  k: 1e3, Ki: 2 ** 10, M: 1e6, Mi: 2 ** 20, G: 1e9, Gi: 2 ** 30, T: 1e12, Ti: 2 ** 40, P: 1e15, Pi: 2 ** 50, E: 1e18, Ei: 2 ** 60,
};
/** `memorySuffixes` in units.go: only GPU `ram` (memoryQuantity) uses them. Case-sensitive. */
export const MEMORY_SUFFIXES: Readonly<Record<string, number>> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };

export type Parsed = { ok: true; value: number } | { ok: false; why: string };

/** The text Go's YAML decoder sees for a scalar (`node.Value`), or undefined for non-scalars. */
export function scalarText(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === "boolean") return String(v);
  return undefined;
}

/** strconv.ParseFloat on decimal text (Go also takes inf/nan/hex, whose uint64 conversion is undefined: refused here). */
function parseFloatGo(s: string): number | undefined {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(s) ? Number(s) : undefined;
}

function unitHint(text: string, suffixes: Readonly<Record<string, number>>): string {
  const m = /^[+-]?[\d.]+(?:[eE][+-]?\d+)?\s*([A-Za-z]+)$/.exec(text.trim());
  const names = Object.keys(suffixes);
  const list = names.join(", ");
  if (!m) return `the unit must be one of ${list} (case-sensitive), or none for bytes`;
  const unit = m[1]!;
  const bare = unit.replace(/[bB]$/, "");
  const guess = names.find((n) => n === bare) ?? names.find((n) => n.toLowerCase() === unit.toLowerCase()) ?? names.find((n) => n.toLowerCase() === bare.toLowerCase());
  return `unit ${JSON.stringify(unit)} is not one Go knows: use ${list} (case-sensitive)${guess ? ` — did you mean ${JSON.stringify(text.trim().slice(0, text.trim().length - unit.length) + guess)}?` : ""}`;
}

/** parseWithSuffix in units.go: a float with an optional case-sensitive suffix, never negative. */
export function parseSize(v: unknown, suffixes: Readonly<Record<string, number>> = BYTE_SUFFIXES): Parsed {
  const text = scalarText(v);
  if (text === undefined) return { ok: false, why: `${JSON.stringify(v) ?? String(v)} is not a size` };
  for (const [suffix, mult] of Object.entries(suffixes)) {
    if (!text.endsWith(suffix)) continue;
    const n = parseFloatGo(text.slice(0, -suffix.length));
    if (n === undefined) return { ok: false, why: `${JSON.stringify(text)}: ${JSON.stringify(text.slice(0, -suffix.length))} is not a number` };
    if (n < 0) return { ok: false, why: `${JSON.stringify(text)}: negative value not allowed` };
    return { ok: true, value: Math.floor(n * mult) };
  }
  const n = parseFloatGo(text);
  if (n === undefined) return { ok: false, why: `${JSON.stringify(text)} does not parse: ${unitHint(text, suffixes)}` };
  if (n < 0) return { ok: false, why: `${JSON.stringify(text)}: negative value not allowed` };
  return { ok: true, value: Math.floor(n) };
}

/** cpuQuantity.UnmarshalYAML: `"<uint>m"` millicores, or a float of cores (× 1000, never negative). */
export function parseCpu(v: unknown): Parsed {
  const text = scalarText(v);
  if (text === undefined) return { ok: false, why: `${JSON.stringify(v) ?? String(v)} is not a CPU quantity` };
  if (text.endsWith("m")) {
    const digits = text.slice(0, -1);
    return /^\d+$/.test(digits) && Number(digits) <= 0xffffffff ? { ok: true, value: Number(digits) } : { ok: false, why: `${JSON.stringify(text)}: millicores must be an unsigned integer before "m"` };
  }
  const n = parseFloatGo(text);
  if (n === undefined) return { ok: false, why: `${JSON.stringify(text)} is not a CPU quantity: use cores (2, 0.5) or millicores ("500m")` };
  if (n < 0) return { ok: false, why: `${JSON.stringify(text)}: negative value not allowed` };
  return { ok: true, value: Math.floor(n * 1000) };
}

/** gpuQuantity / uint32 fields: strconv.ParseUint of the scalar text. */
export function parseUint(v: unknown, max = Number.MAX_SAFE_INTEGER): Parsed {
  const text = scalarText(v);
  if (text === undefined || !/^\d+$/.test(text) || Number(text) > max) return { ok: false, why: `${JSON.stringify(v) ?? String(v)} is not an unsigned integer` };
  return { ok: true, value: Number(text) };
}

/** v2Coin.UnmarshalYAML: LegacyNewDecFromStr (plain decimal, ≤ 18 places), not zero, not negative. */
export function parseAmount(v: unknown): Parsed {
  const text = scalarText(v);
  if (text === undefined || !/^-?(\d+)(\.\d{1,18})?$/.test(text)) return { ok: false, why: `${JSON.stringify(v) ?? String(v)} is not a decimal amount` };
  const n = Number(text);
  if (n === 0) return { ok: false, why: "invalid coin amount: amount is zero" };
  if (n < 0) return { ok: false, why: `amount ${JSON.stringify(text)} is negative` };
  return { ok: true, value: n };
}

/**
 * A denom the SDK can build a coin from (`reDnmString` in go/node/types/sdk/coin.go; an invalid
 * one panics inside sdk.NewDecCoinFromDec). Which denoms a deployment may actually use is not a
 * parser rule: the chain takes deposits only in its `MinDeposits` params (uakt, uact by default,
 * go/node/deployment/v1beta4/params.go).
 */
export const DENOM_SYNTAX = /^[a-zA-Z][a-zA-Z0-9/-]{2,127}$/;
export const CHAIN_DEPOSIT_DENOMS: readonly string[] = ["uakt", "uact"];
