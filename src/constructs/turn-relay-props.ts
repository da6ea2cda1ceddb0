/**
 * What a `TurnRelay` takes: Cloudflare Realtime TURN or a self-hosted coturn.
 * @see https://developers.cloudflare.com/realtime/turn/
 * @see https://github.com/coturn/coturn/blob/master/docs/Configuration.md
 */
import { show } from "../core/errors.js";
import { resolveImage } from "../core/image.js";
import { idProblem, isHost, isPort } from "../core/names.js";
import { pricing as pricingCheck } from "./akash-checks.js";
import type { AkashPricingProps } from "./akash-props.js";
import type { Report } from "./validate.js";

/** Props of a `TurnRelay`: one shape per provider. */
export type TurnRelayProps = CloudflareTurnProps | CoturnProps;

export interface CloudflareTurnProps {
  readonly provider: "cloudflare";
  /** Cloudflare account id (32 hex digits). */
  readonly accountId: string;
  /** Lifetime of the ICE credentials hosts mint. @default 86400 */
  readonly ttlSeconds?: number;
}

export interface CoturnProps {
  readonly provider: "coturn";
  /** Public host name peers reach the relay at (also the TURN realm). */
  readonly realm: string;
  /** Public IP when the host is behind NAT (`external-ip`). @default none */
  readonly externalIp?: string;
  /** @default { turn: 3478, tls: 5349 } */
  readonly ports?: { readonly turn?: number; readonly tls?: number };
  /** Relay ports (UDP), at most 16384 of them. @default { min: 49152, max: 49407 } */
  readonly relayPorts?: { readonly min: number; readonly max: number };
  /** @default DEFAULT_TURN_IMAGE */
  readonly image?: string;
  /** @default 86400 */
  readonly ttlSeconds?: number;
  /** Podman version of the unit. @default "5.0" */
  readonly podmanVersion?: string;
  /**
   * The machine that runs the relay (target `podman`, required there): a lowercase DNS label. Its
   * bundle is `hosts/<host>/`; the id of a hub or node puts the relay beside it on that machine.
   */
  readonly host?: string;
  /**
   * Where coturn runs: a rootless Podman unit, a Kubernetes Deployment on host networking (nodes
   * labelled `tlos.grid/turn=true`), or an Akash deployment with a leased IP (then the relay range
   * is at most 64 ports, each exposed).
   * @default "podman"
   */
  readonly target?: "podman" | "kubernetes" | "akash";
  /** Akash pricing (target `akash`). */
  readonly akash?: { readonly pricing: AkashPricingProps };
}

/** coturn's official image (tag only: pin a digest in your grid). */
export const DEFAULT_TURN_IMAGE = "docker.io/coturn/coturn:4.6.3";
const ACCOUNT = /^[0-9a-f]{32}$/;

/**
 * Resolves a TurnRelay's props (a plain copy): problems to `report`, warnings (image tags) to
 * `warn`; the coturn values apply to provider "coturn".
 */
export function resolveTurnRelay(props: TurnRelayProps, report: Report, warn: Report) {
  const p = props as Partial<Omit<CoturnProps, "provider"> & Omit<CloudflareTurnProps, "provider">> & { provider?: unknown };
  let image = DEFAULT_TURN_IMAGE;
  const host = p.provider === "coturn" && (p.target ?? "podman") === "podman" && typeof p.host === "string" ? p.host : undefined;
  const ttl = p.ttlSeconds ?? 86400;
  const cfg = { ttl, turn: p.ports?.turn ?? 3478, tls: p.ports?.tls ?? 5349, relay: p.relayPorts ?? { min: 49152, max: 49407 }, podmanVersion: p.podmanVersion ?? "5.0", target: p.target ?? "podman" };
  if (!(Number.isInteger(ttl) && ttl >= 60 && ttl <= 172800)) report("ttlSeconds", `${show(ttl)} is not allowed: use whole seconds from 60 to 172800`);
  if (p.provider === "cloudflare") {
    if (typeof p.accountId !== "string" || !ACCOUNT.test(p.accountId)) report("accountId", `${show(p.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
  } else if (p.provider === "coturn") {
    coturnProblems(p, cfg, report);
    image = resolveImage(report, warn, "image", p.image ?? DEFAULT_TURN_IMAGE, DEFAULT_TURN_IMAGE);
  } else {
    report("provider", `${show(p.provider)} is not a TURN provider: use "cloudflare" or "coturn"`);
  }
  return { image, host, cfg };
}

/** A TurnRelay's props with every default filled. */
export type ResolvedTurnRelay = ReturnType<typeof resolveTurnRelay>;

function coturnProblems(p: Partial<Omit<CoturnProps, "provider">>, cfg: { turn: number; tls: number; relay: { min: number; max: number }; target: string }, report: Report): void {
  if (!isHost(p.realm) || /^[\d.]+$/.test(String(p.realm))) report("realm", `${show(p.realm)} is not a host name: use the relay's public DNS name`);
  if (p.externalIp !== undefined && !(isHost(p.externalIp) && /^[\d.:a-fA-F]+$/.test(p.externalIp))) report("externalIp", `${show(p.externalIp)} is not an IP address`);
  const { turn, tls } = cfg;
  if (!isPort(turn)) report("ports.turn", `${show(turn)} is not a port`);
  if (!isPort(tls)) report("ports.tls", `${show(tls)} is not a port`);
  if (turn === tls) report("ports.tls", `port ${tls} clashes with ports.turn`);
  const r = cfg.relay;
  if (!(Number.isInteger(r?.min) && Number.isInteger(r?.max) && r.min >= 1024 && r.max <= 65535 && r.min <= r.max)) report("relayPorts", `${show(r)} is not a port range: use { min, max } within 1024–65535, min ≤ max`);
  else if (r.max - r.min + 1 > 16384) report("relayPorts", `${r.max - r.min + 1} relay ports is too many: bound the range to at most 16384`);
  else if ([turn, tls].some((x) => x >= r.min && x <= r.max)) report("relayPorts", "the relay range must not contain ports.turn or ports.tls");
  const target = cfg.target;
  if (!["podman", "kubernetes", "akash"].includes(target)) report("target", `${show(p.target)} is not allowed: use "podman", "kubernetes" or "akash"`);
  if (target === "podman") {
    const why = p.host === undefined ? "name the machine that runs the relay (its bundle is hosts/<host>/), e.g. \"relay-1\" or a hub's id" : idProblem(p.host);
    if (why) report("host", why);
  } else if (p.host !== undefined) report("host", `only a "podman" relay runs on a named host; target ${show(target)} places it itself`);
  if (target === "akash") {
    if (r && Number.isInteger(r.min) && Number.isInteger(r.max) && r.max - r.min + 1 > 64) report("relayPorts", `${r.max - r.min + 1} relay ports cannot be exposed on Akash: each port is its own expose entry, use at most 64`);
    if (p.relayPorts === undefined) report("relayPorts", "set a relay range of at most 64 ports for Akash (each is exposed on the leased IP)");
    pricingCheck((f, m) => report(`akash.${f}`, m), p.akash?.pricing);
  }
}
