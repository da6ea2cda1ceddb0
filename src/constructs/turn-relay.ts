/**
 * `TurnRelay`: a TURN relay for peers behind hard NATs. `provider: "cloudflare"` uses Cloudflare
 * Realtime TURN (a key made by Pulumi; hosts mint short-lived ICE servers at run time from
 * `ice-config.json`). `provider: "coturn"` self-hosts coturn as a rootless Podman unit: TLS,
 * shared-secret REST credentials, 3478/5349 and a bounded relay port range, no relaying to private
 * ranges. Synth writes `turn/<id>/` and, for Cloudflare, `cloudflare/turn-<id>.json`.
 */
import { cloudflareStep } from "./plan-steps.js";
import type { Construct } from "constructs";
import { cloudflareFile, relativeFrom, secretPath, turnDir } from "../core/layout.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { show } from "../core/errors.js";
import { idProblem, isHost, isPort } from "../core/names.js";
import { joinArgs } from "../core/ini.js";
import { coturnConfig } from "../turn/coturn.js";
import { cloudflareIceConfig } from "../turn/cloudflare.js";
import { fitToPodman } from "../quadlet/compat.js";
import { renderUnit } from "../quadlet/render.js";
import { HARDENING, RESTART, WANTED_BY_DEFAULT } from "../quadlet/common.js";
import type { QuadletUnit } from "../quadlet/model.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { PHASE } from "../core/host-items.js";
import { pricing as pricingCheck } from "./akash-checks.js";
import { turnKubernetes, turnAkashSdl } from "../turn/targets.js";
import { renderYaml } from "../core/yaml.js";
import { renderSdl } from "../akash/sdl.js";
import { turnKeys } from "./prop-keys.js";
import type { CloudflareTurnProps, CoturnProps, TurnRelayProps } from "./turn-relay-props.js";

export type { TurnRelayProps, CloudflareTurnProps, CoturnProps } from "./turn-relay-props.js";

/** coturn's official image (tag only: pin a digest in your grid). */
export const DEFAULT_TURN_IMAGE = "docker.io/coturn/coturn:4.6.3";
const ACCOUNT = /^[0-9a-f]{32}$/;

export class TurnRelay extends TlosConstruct {
  /** True for any TurnRelay, also across two loaded copies of this library. */
  static isTurnRelay(x: unknown): x is TurnRelay {
    return kindOf(x) === "TurnRelay";
  }
  readonly props: TurnRelayProps;
  readonly image: string;
  /** The machine a Podman relay runs on; undefined for other targets and providers. */
  readonly host: string | undefined;
  /** The props with their defaults, resolved once (the coturn ones apply to provider "coturn"). */
  private readonly cfg: { readonly ttl: number; readonly turn: number; readonly tls: number; readonly relay: { readonly min: number; readonly max: number }; readonly podmanVersion: string; readonly target: string };

  /**
   * Every IP address the grid's hosts listen on (hub hosts given as addresses, published host
   * IPs, other relays' external IPs). Hosts given by name are not resolved at synth time.
   */
  private gridAddresses(): string[] {
    const out = new Set<string>();
    const ip = (v: unknown) => typeof v === "string" && /^[\d.]+$|:/.test(v) && isHost(v);
    for (const c of this.node.root.node.findAll()) {
      const hubs = (c as { hubs?: unknown }).hubs;
      if (Array.isArray(hubs)) for (const h of hubs) if (ip((h as { host?: unknown })?.host)) out.add((h as { host: string }).host);
      const publish = (c as { publish?: unknown }).publish;
      if (Array.isArray(publish)) for (const q of publish) if (ip((q as { hostIp?: unknown })?.hostIp)) out.add((q as { hostIp: string }).hostIp);
      const ext = (c as { props?: { externalIp?: unknown } }).props?.externalIp;
      if (c !== this && TurnRelay.isTurnRelay(c) && ip(ext)) out.add(ext as string);
    }
    for (const a of out) if (a === "0.0.0.0" || a === "::") out.delete(a);
    return [...out].sort();
  }

  constructor(scope: Construct, id: string, props: TurnRelayProps) {
    super(scope, id, "TurnRelay");
    this.props = (this.plain(props) ?? {}) as TurnRelayProps;
    this.knownKeys(this.props, turnKeys(this.props));
    const p = this.props as Partial<Omit<CoturnProps, "provider"> & Omit<CloudflareTurnProps, "provider">> & { provider?: unknown };
    this.image = DEFAULT_TURN_IMAGE;
    this.host = p.provider === "coturn" && (p.target ?? "podman") === "podman" && typeof p.host === "string" ? p.host : undefined;
    const ttl = p.ttlSeconds ?? 86400;
    this.cfg = { ttl, turn: p.ports?.turn ?? 3478, tls: p.ports?.tls ?? 5349, relay: p.relayPorts ?? { min: 49152, max: 49407 }, podmanVersion: p.podmanVersion ?? "5.0", target: p.target ?? "podman" };
    if (!(Number.isInteger(ttl) && ttl >= 60 && ttl <= 172800)) this.problem("ttlSeconds", `${show(ttl)} is not allowed: use whole seconds from 60 to 172800`);
    if (p.provider === "cloudflare") {
      if (typeof p.accountId !== "string" || !ACCOUNT.test(p.accountId)) this.problem("accountId", `${show(p.accountId)} is not a Cloudflare account id (32 lowercase hex digits)`);
    } else if (p.provider === "coturn") {
      if (!isHost(p.realm) || /^[\d.]+$/.test(String(p.realm))) this.problem("realm", `${show(p.realm)} is not a host name: use the relay's public DNS name`);
      if (p.externalIp !== undefined && !(isHost(p.externalIp) && /^[\d.:a-fA-F]+$/.test(p.externalIp))) this.problem("externalIp", `${show(p.externalIp)} is not an IP address`);
      const { turn, tls } = this.cfg;
      if (!isPort(turn)) this.problem("ports.turn", `${show(turn)} is not a port`);
      if (!isPort(tls)) this.problem("ports.tls", `${show(tls)} is not a port`);
      if (turn === tls) this.problem("ports.tls", `port ${tls} clashes with ports.turn`);
      const r = this.cfg.relay;
      if (!(Number.isInteger(r?.min) && Number.isInteger(r?.max) && r.min >= 1024 && r.max <= 65535 && r.min <= r.max)) this.problem("relayPorts", `${show(r)} is not a port range: use { min, max } within 1024–65535, min ≤ max`);
      else if (r.max - r.min + 1 > 16384) this.problem("relayPorts", `${r.max - r.min + 1} relay ports is too many: bound the range to at most 16384`);
      else if ([turn, tls].some((x) => x >= r.min && x <= r.max)) this.problem("relayPorts", "the relay range must not contain ports.turn or ports.tls");
      const target = this.cfg.target;
      if (!["podman", "kubernetes", "akash"].includes(target)) this.problem("target", `${show(p.target)} is not allowed: use "podman", "kubernetes" or "akash"`);
      if (target === "podman") {
        const why = p.host === undefined ? "name the machine that runs the relay (its bundle is hosts/<host>/), e.g. \"relay-1\" or a hub's id" : idProblem(p.host);
        if (why) this.problem("host", why);
      } else if (p.host !== undefined) this.problem("host", `only a "podman" relay runs on a named host; target ${show(target)} places it itself`);
      if (target === "akash") {
        if (r && Number.isInteger(r.min) && Number.isInteger(r.max) && r.max - r.min + 1 > 64) this.problem("relayPorts", `${r.max - r.min + 1} relay ports cannot be exposed on Akash: each port is its own expose entry, use at most 64`);
        if (p.relayPorts === undefined) this.problem("relayPorts", "set a relay range of at most 64 ports for Akash (each is exposed on the leased IP)");
        pricingCheck((f, m) => this.problem(`akash.${f}`, m), p.akash?.pricing);
      }
      this.image = this.checkedImage("image", p.image ?? DEFAULT_TURN_IMAGE, DEFAULT_TURN_IMAGE);
    } else {
      this.problem("provider", `${show(p.provider)} is not a TURN provider: use "cloudflare" or "coturn"`);
    }
  }

  /** The coturn shared secret, derived from the master seed (hex). */
  secret(ctx: { seed: { derive(purpose: string, length?: number): Uint8Array } }): string {
    return Buffer.from(ctx.seed.derive(`turn/${this.path}/secret`, 32)).toString("hex");
  }

  /** The coturn unit as written for the newest Podman; fitted to `podmanVersion` where it is used. */
  private rawUnit(): QuadletUnit {
    const p = this.props as CoturnProps;
    const id = this.node.id;
    const { turn, tls, relay: r } = this.cfg;
    return {
      type: "container",
      name: id,
      header: [`coturn TURN relay ${id} (${p.realm}): 3478/5349 and relay ports ${r.min}-${r.max}/udp.`],
      unit: [["Description", `tLOS TURN relay ${id}`]],
      body: [
        ["ContainerName", `tlos-${id}`],
        ["Image", this.image],
        ["Exec", joinArgs(["-c", "/etc/coturn/turnserver.conf"])],
        ["Network", "pasta"],
        ["UserNS", "auto"],
        ...[`${turn}:${turn}/udp`, `${turn}:${turn}/tcp`, `${tls}:${tls}/tcp`, `${tls}:${tls}/udp`, `${r.min}-${r.max}:${r.min}-${r.max}/udp`].map((x) => ["PublishPort", x] as [string, string]),
        ["Secret", `tlos-${id}-config,type=mount,target=/etc/coturn/turnserver.conf,mode=0400`],
        ["Secret", `tlos-${id}-tls-cert,type=mount,target=/etc/coturn/tls/cert.pem,mode=0444`],
        ["Secret", `tlos-${id}-tls-key,type=mount,target=/etc/coturn/tls/key.pem,mode=0400`],
        ["ReadOnly", "true"],
        ...HARDENING,
      ],
      service: RESTART,
      install: WANTED_BY_DEFAULT,
    };
  }

  /**
   * Every key the target Podman lacks is rewritten (an equivalent `PodmanArgs=` flag) or refused
   * here: fitting the raw unit, never an already fitted one, so no key is dropped silently.
   */
  protected override validateTree(): void {
    if (this.hasProblems() || this.props.provider !== "coturn" || this.cfg.target !== "podman") return;
    for (const e of fitToPodman(this.rawUnit(), this.cfg.podmanVersion).errors) this.problem("podmanVersion", e.message, "quadlet-key-version");
  }

  _synthesize(ctx: SynthContext): void {
    const id = this.node.id;
    const dir = turnDir(id);
    const add = fileAdder(ctx);
    const ttl = this.cfg.ttl;
    if (this.props.provider === "cloudflare") {
      const p = this.props;
      ctx.step(cloudflareStep(this.path, "Realtime TURN key"));
      add(cloudflareFile(`turn-${id}`), `${JSON.stringify({ resource: "cloudflare:index/callsTurnApp:CallsTurnApp", name: `tlos-${id}`, args: { accountId: p.accountId, name: `tlos-${id}` }, outputs: { keyId: "computed", key: "computed (secret)" } }, null, 2)}\n`, "cloudflare", "cloudflare");
      add(`${dir}/ice-config.json`, `${JSON.stringify(cloudflareIceConfig(`<pulumi output ${this.path}.keyId>`, `<secret: pulumi output ${this.path}.key>`, ttl), null, 2)}\n`, "config", "turn");
      return;
    }
    const p = this.props;
    const secret = this.secret(ctx);
    const { turn, tls, relay: r, target: t } = this.cfg;
    const conf = (s: string) => coturnConfig({ realm: p.realm, secret: s, listenIp: "0.0.0.0", ...(p.externalIp ? { externalIp: p.externalIp } : {}), deniedPeers: this.gridAddresses(), port: turn, tlsPort: tls, minPort: r.min, maxPort: r.max, certFile: "/etc/coturn/tls/cert.pem", keyFile: "/etc/coturn/tls/key.pem" });
    add(`${dir}/turnserver.conf`, conf("<secret:turn-shared-secret>"), "config", "turn");
    add(secretPath(`${dir}/turnserver.conf`), conf(secret), "config", "turn", true);
    add(secretPath(`${dir}/shared-secret`), `${secret}\n`, "config", "turn", true);
    if (t === "kubernetes") {
      const k = turnKubernetes({ id, image: this.image, config: conf(secret), turn, tls, relay: r });
      add(`${dir}/k8s/turn.yaml`, renderYaml(k.objects, { multi: true, header: [`coturn ${id} on Kubernetes: kubectl label node <node> tlos.grid/turn=true; kubectl apply -f ${relativeFrom(`${dir}/k8s`, secretPath(`${dir}/k8s/turn-secret.yaml`))} -f turn.yaml. Generated by tlos.`] }), "k8s-manifest", "kubernetes");
      add(secretPath(`${dir}/k8s/turn-secret.yaml`), renderYaml(k.secret), "k8s-manifest", "kubernetes", true);
    }
    if (t === "akash" && p.akash) {
      const pr = pricingCheck(() => undefined, p.akash.pricing);
      add(`${dir}/akash/deploy.yaml`, renderSdl(turnAkashSdl({ id, image: this.image, config: conf("<secret:turn-shared-secret>"), turn, tls, relay: r, pricing: pr }), [`coturn ${id} on Akash with a leased IP. Reviewable copy; deploy the one under secrets/. Generated by tlos.`]), "akash-sdl", "akash");
      add(secretPath(`${dir}/akash/deploy.yaml`), renderSdl(turnAkashSdl({ id, image: this.image, config: conf(secret), turn, tls, relay: r, pricing: pr })), "akash-sdl", "akash", true);
    }
    if (t === "podman") {
      const u = fitToPodman(this.rawUnit(), this.cfg.podmanVersion).unit;
      ctx.add({ path: `${dir}/quadlet/${u.name}.container`, content: renderUnit(u), kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.cfg.podmanVersion });
      const cert = `the TLS certificate of ${p.realm} (e.g. from your ACME client)`;
      ctx.host(this.host ?? id, `TURN relay ${id} (${p.realm})`, [
        { kind: "secret", name: `tlos-${id}-config`, file: `${id}-turnserver.conf`, content: conf(secret) },
        { kind: "secret", name: `tlos-${id}-tls-cert`, file: `${id}-tls-cert.pem`, optional: cert },
        { kind: "secret", name: `tlos-${id}-tls-key`, file: `${id}-tls-key.pem`, optional: `the key of ${cert}` },
        { kind: "unit", file: `${u.name}.container`, content: renderUnit(u), podmanVersion: this.cfg.podmanVersion },
        { kind: "start", unit: `${id}.service`, order: 40 },
        { kind: "check", text: `turnutils_uclient -u <user> -w <credential> ${p.realm} (credentials minted with turnRestCredentials) relays; ports ${turn}/udp+tcp, ${tls}/tcp and ${r.min}-${r.max}/udp are reachable from outside` },
      ], PHASE.otherHosts);
    }
    add(`${dir}/ice-config.json`, `${JSON.stringify({ provider: "coturn", urls: [`turn:${p.realm}:${turn}?transport=udp`, `turn:${p.realm}:${turn}?transport=tcp`, `turns:${p.realm}:${tls}?transport=tcp`], sharedSecret: secretPath(`${dir}/shared-secret`), ttlSeconds: ttl, mint: "username = <expiry>:<user>, credential = base64(HMAC-SHA1(secret, username))" }, null, 2)}\n`, "config", "turn");
  }
}
