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
import { coturnConfig, coturnIceConfig } from "../turn/coturn.js";
import { cloudflareIceConfig, cloudflareTurnResource } from "../turn/cloudflare.js";
import { coturnUnit } from "../turn/quadlet.js";
import { isHost } from "../core/names.js";
import { fitToPodman } from "../quadlet/compat.js";
import { renderUnit } from "../quadlet/render.js";
import type { QuadletUnit } from "../quadlet/model.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { PHASE } from "../core/host-items.js";
import { pricing as pricingCheck } from "./akash-checks.js";
import { turnKubernetes, turnAkashSdl } from "../turn/targets.js";
import { renderYaml } from "../core/yaml.js";
import { renderSdl } from "../akash/sdl.js";
import { turnKeys } from "./prop-keys.js";
import { resolveTurnRelay, type CoturnProps, type ResolvedTurnRelay, type TurnRelayProps } from "./turn-relay-props.js";

export type { TurnRelayProps, CloudflareTurnProps, CoturnProps } from "./turn-relay-props.js";

export { DEFAULT_TURN_IMAGE } from "./turn-relay-props.js";

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
  private readonly cfg: ResolvedTurnRelay["cfg"];

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
    ({ image: this.image, host: this.host, cfg: this.cfg } = resolveTurnRelay(this.props, (f, m) => this.problem(f, m), (f, m) => this.warn(f, m)));
  }

  /** The coturn shared secret, derived from the master seed (hex). */
  secret(ctx: { seed: { derive(purpose: string, length?: number): Uint8Array } }): string {
    return Buffer.from(ctx.seed.derive(`turn/${this.path}/secret`, 32)).toString("hex");
  }

  /** The coturn unit as written for the newest Podman; fitted to `podmanVersion` where it is used. */
  private rawUnit(): QuadletUnit {
    const { turn, tls, relay } = this.cfg;
    return coturnUnit({ id: this.node.id, realm: (this.props as CoturnProps).realm, image: this.image, turn, tls, relay });
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
      add(cloudflareFile(`turn-${id}`), `${JSON.stringify(cloudflareTurnResource(id, p.accountId), null, 2)}\n`, "cloudflare", "cloudflare");
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
    add(`${dir}/ice-config.json`, `${JSON.stringify(coturnIceConfig({ realm: p.realm, turn, tls, sharedSecretPath: secretPath(`${dir}/shared-secret`), ttl }), null, 2)}\n`, "config", "turn");
  }
}
