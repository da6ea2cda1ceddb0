/** A node's units as text (file name and content) and the service of its pod, if it has one. */
interface RenderedUnits {
  readonly rendered: readonly { readonly file: string; readonly content: string }[];
  readonly podService: string | undefined;
}

function renderedUnits(units: readonly QuadletUnit[]): RenderedUnits {
  const pod = units.find((u) => u.type === "pod");
  return { rendered: units.map((u) => ({ file: unitFileName(u), content: renderUnit(u) })), podService: pod ? serviceName(pod) : undefined };
}

/**
 * `TlosNode`: one tLOS node in a lattice. Target `podman`: a rootless pod holding a NATS leaf
 * (loopback only, dials out to the hubs over TLS with its own credentials) and a wasmCloud host
 * (v2 `wash host` or v1.9 `wasmcloud`), a JetStream volume, and Podman secrets for credentials.
 */
import { nodeDirs } from "../core/layout.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { asString, show } from "../core/errors.js";
import { DEFAULT_IMAGES } from "../core/images.js";
import type { IniEntry } from "../core/ini.js";
import { isPort } from "../core/names.js";
import { renderNatsConf } from "../core/natsconf.js";
import { Cpu, Memory } from "../core/quantity.js";
import type { MasterSeed } from "../core/seed.js";
import { leafConfig } from "../nats/config.js";
import { fitToPodman } from "../quadlet/compat.js";
import { serviceName, unitFileName, type QuadletUnit } from "../quadlet/model.js";
import { renderUnit } from "../quadlet/render.js";
import { nodeUnits, type PublishedPort } from "../quadlet/tlos-node.js";
import { hostLaunch, type HostLaunch } from "../wasmcloud/host.js";
import { fileAdder, type SynthContext } from "../core/artifact.js";
import { PHASE, type HostItem } from "../core/host-items.js";
import { Lattice } from "./lattice.js";
import type { LatticeMember, LocalHost } from "./lattice-member.js";
import { akashNodeSdl, deployableAkashNodeSdl, resolveAkashNode, synthAkashNode, type AkashNodeResolved } from "./tlos-node-akash.js";
import type { MonthlyCost } from "../akash/cost.js";
import type { Sdl } from "../akash/sdl.js";
import type { TlosNodeProps } from "./tlos-node-props.js";
import { absPathProblem } from "./validate.js";
import { resolvePodman } from "./podman-checks.js";
import { resolveExtraKeys } from "./extra-keys.js";
import { NODE_KEYS } from "./prop-keys.js";
import { isIP } from "node:net";

export type { TlosNodeProps, PodmanNodeProps, AkashNodeTargetProps, TlosNodeCommonProps, PodmanProps, PublishPortProps, NodeTarget, AkashNodeProps } from "./tlos-node-props.js";

const TARGETS = ["podman", "akash"];
const LABEL_KEY = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export class TlosNode extends TlosConstruct implements LatticeMember {
  /** True for any TlosNode, also across two loaded copies of this library. */
  static isTlosNode(x: unknown): x is TlosNode {
    return kindOf(x) === "TlosNode";
  }
  /** The node id (a DNS label), used for unit names and the leaf's JetStream domain. */
  readonly id: string;
  readonly lattice: Lattice;
  readonly target: string;
  readonly podmanVersion: string;
  readonly userNS: string;
  readonly autoUpdate: "registry" | "local" | undefined;
  readonly cpu: Cpu | undefined;
  readonly memory: Memory | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly natsImage: string;
  readonly hostImage: string;
  readonly clientPort: number;
  readonly monitorPort: number;
  readonly storeDir: string;
  readonly configDir: string;
  readonly jsMaxMemory: Memory;
  readonly jsMaxFile: Memory;
  readonly publish: readonly PublishedPort[];
  private readonly extra: Readonly<Record<"pod" | "nats" | "host", IniEntry[]>>;
  private readonly akash: AkashNodeResolved | undefined;

  /**
   * @param lattice the lattice the node joins
   * @param id node id: a lowercase DNS label, unique in the grid
   */
  constructor(lattice: Lattice, id: string, props: TlosNodeProps) {
    super(lattice, id, "TlosNode");
    const p = (this.plain(props) ?? {}) as Partial<TlosNodeProps>;
    this.knownKeys(p, NODE_KEYS);
    this.id = this.node.id;
    if (!Lattice.isLattice(lattice)) this.problem("scope", `a TlosNode must be created inside a Lattice, got ${show((lattice as { constructor?: { name?: string } } | undefined)?.constructor?.name)}`);
    this.lattice = lattice;
    this.target = p.target as string;
    if (!TARGETS.includes(this.target)) this.problem("target", `${show(p.target)} is not a node target: use ${TARGETS.map((t) => `"${t}"`).join(", ")}`);

    const pm = p.podman ?? {};
    this.extra = resolveExtraKeys(pm.extraKeys, pm.allowInsecure, (f, m) => this.problem(f, m), (f, m) => this.warn(f, m)).entries;

    const r = p.resources ?? {};
    this.cpu = r.cpu === undefined ? undefined : this.attempt("resources.cpu", () => Cpu.parse(r.cpu as string), undefined);
    this.memory = r.memory === undefined ? undefined : this.attempt("resources.memory", () => Memory.parse(r.memory as string), undefined);
    if (this.memory && this.memory.bytes < 64 * 2 ** 20) this.problem("resources.memory", `${show(r.memory)} is too little for a wasmCloud host: give it at least 64Mi`);

    this.labels = this.checkLabels(p.labels);
    const version = Lattice.isLattice(lattice) ? lattice.wasmcloud : "v2";
    this.natsImage = this.checkedImage("images.nats", p.images?.nats ?? DEFAULT_IMAGES.nats, DEFAULT_IMAGES.nats);
    const defHost = version === "v1" ? DEFAULT_IMAGES.wasmcloudV1 : DEFAULT_IMAGES.washHost;
    this.hostImage = this.checkedImage("images.host", p.images?.host ?? defHost, defHost);
    ({ podmanVersion: this.podmanVersion, userNS: this.userNS, autoUpdate: this.autoUpdate } = resolvePodman((f, m) => this.problem(f, m), pm, "keep-id:uid=1000", [this.natsImage, this.hostImage]));

    const n = p.nats ?? {};
    this.clientPort = this.port("nats.clientPort", n.clientPort ?? 4222);
    this.monitorPort = this.port("nats.monitorPort", n.monitorPort ?? 8222);
    if (this.clientPort === this.monitorPort) this.problem("nats.monitorPort", `port ${this.monitorPort} clashes with nats.clientPort: both listen in the same pod`);
    const storeDir = n.storeDir ?? "/data";
    const configDir = n.configDir ?? "/etc/nats";
    const sp = absPathProblem(storeDir);
    if (sp) this.problem("nats.storeDir", sp);
    const cp = absPathProblem(configDir);
    if (cp) this.problem("nats.configDir", cp);
    this.storeDir = sp ? "/data" : storeDir;
    this.configDir = cp ? "/etc/nats" : configDir;
    this.jsMaxMemory = this.attempt("nats.jetstream.maxMemory", () => Memory.parse(n.jetstream?.maxMemory ?? "256Mi"), Memory.parse("256Mi"));
    this.jsMaxFile = this.attempt("nats.jetstream.maxFile", () => Memory.parse(n.jetstream?.maxFile ?? "4Gi"), Memory.parse("4Gi"));
    this.publish = this.publishPorts(p.publishPorts);
    this.akash = this.target === "akash" ? resolveAkashNode((f, m) => this.problem(f, m), (f, m) => this.warn(f, m), p.akash) : undefined;
    if (this.target === "akash" && this.publish.length > 0) this.problem("publishPorts", "an Akash node publishes nothing: it dials out to the hubs");
  }

  /** Worst-case monthly cost on Akash (target `akash`). */
  get cost(): MonthlyCost | undefined {
    return this.akash?.cost;
  }

  /** The reviewable SDL model of a node on Akash (credentials as `<secret:…>`); undefined for other targets. */
  akashSdl(): Sdl | undefined {
    return this.akash ? akashNodeSdl(this, this.akash, this.lattice.caCertificate) : undefined;
  }

  private port(field: string, v: unknown): number {
    if (isPort(v)) return v;
    this.problem(field, `${show(v)} is not a port: use an integer from 1 to 65535`);
    return 1;
  }

  private checkLabels(labels: unknown): Record<string, string> {
    if (labels === undefined) return {};
    if (typeof labels !== "object" || labels === null || Array.isArray(labels)) {
      this.problem("labels", `must be an object of string labels, got ${show(labels)}`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(labels)) {
      if (!LABEL_KEY.test(k)) this.problem(`labels.${k}`, `${show(k)} is not a label key: use letters, digits, '.', '_' and '-', starting with a letter or digit`);
      else if (k.startsWith("hostcore.")) this.problem(`labels.${k}`, `the "hostcore." prefix is reserved by wasmCloud`);
      else if (typeof v !== "string" || v.length > 253 || /[\u0000-\u001f\u007f-\u009f"\\\u2028\u2029\u202a-\u202e\u2066-\u2069]/.test(v)) this.problem(`labels.${k}`, `${show(v)} is not a label value: use up to 253 characters without quotes, backslashes, control characters or line breaks`);
      else out[k] = v;
    }
    return out;
  }

  private publishPorts(ports: unknown): PublishedPort[] {
    if (ports === undefined) return [];
    if (!Array.isArray(ports)) {
      this.problem("publishPorts", `must be a list of { host, container }, got ${show(ports)}`);
      return [];
    }
    const seen = new Map<string, number>();
    const out: PublishedPort[] = [];
    ports.forEach((raw: unknown, i: number) => {
      const f = `publishPorts[${i}]`;
      const q = (raw ?? {}) as Record<string, unknown>;
      const protocol = (q["protocol"] ?? "tcp") as "tcp" | "udp";
      if (protocol !== "tcp" && protocol !== "udp") this.problem(`${f}.protocol`, `${show(q["protocol"])} is not a protocol: use "tcp" or "udp"`);
      if (!isPort(q["host"])) this.problem(`${f}.host`, `${show(q["host"])} is not a port: use an integer from 1 to 65535`);
      if (!isPort(q["container"])) this.problem(`${f}.container`, `${show(q["container"])} is not a port: use an integer from 1 to 65535`);
      if (q["hostIp"] !== undefined && !(typeof q["hostIp"] === "string" && isIP(q["hostIp"]) !== 0)) this.problem(`${f}.hostIp`, `${show(q["hostIp"])} is not an IP address: use an IPv4 or IPv6 address of this host, e.g. "192.0.2.10" (Podman's PublishPort takes an address, not a name)`);
      const key = `${protocol}/${asString(q["host"])}`;
      if (seen.has(key)) this.problem(`${f}.host`, `host port ${asString(q["host"])}/${protocol} is already published by publishPorts[${seen.get(key)}]`);
      seen.set(key, i);
      if (protocol === "tcp" && (q["container"] === this.clientPort || q["container"] === this.monitorPort)) {
        this.problem(`${f}.container`, `port ${asString(q["container"])} is the node's NATS ${q["container"] === this.clientPort ? "client" : "monitoring"} port, which stays on loopback: publish another port`);
      }
      out.push({ host: q["host"] as number, container: q["container"] as number, protocol, ...(q["hostIp"] ? { hostIp: q["hostIp"] as string } : {}) });
    });
    return out;
  }

  /** The wasmCloud host launch for this node. */
  private launch(): HostLaunch {
    return hostLaunch({
      version: this.lattice.wasmcloud,
      lattice: this.lattice.name,
      hostName: this.id,
      natsPort: this.clientPort,
      jsDomain: this.lattice.jetstreamDomain,
      labels: this.labels,
      policyTopic: this.lattice.policyTopic(),
    });
  }

  /** Podman secret names of this node. */
  secretNames(): { leafCreds: string; hostSeed: string; ca: string } {
    return { leafCreds: `tlos-${this.id}-leaf-creds`, hostSeed: `tlos-${this.id}-host-seed`, ca: this.lattice.secretNames().ca };
  }

  /** @internal The node's Quadlet units fitted to its Podman version, with the keys it could not fit. */
  units(): { units: QuadletUnit[]; errors: string[] } {
    const launch = this.launch();
    const names = this.secretNames();
    const raw = nodeUnits({
      node: this.id,
      lattice: this.lattice.name,
      natsImage: this.natsImage,
      hostImage: this.hostImage,
      natsConfFile: `${this.id}-nats.conf`,
      configDir: this.configDir,
      storeDir: this.storeDir,
      monitorPort: this.monitorPort,
      userNS: this.userNS,
      autoUpdate: this.autoUpdate,
      publish: this.publish,
      cpus: this.cpu?.toCores(),
      memory: this.memory?.toPodman(),
      hostExec: launch.exec,
      hostEnv: launch.env,
      hostSecretEnv: Object.fromEntries(Object.keys(launch.secretEnv).map((k) => [k, names.hostSeed])),
      secrets: { leafCreds: names.leafCreds, ca: names.ca },
      labels: { ...this.labels, "tlos.grid/lattice": this.lattice.name, "tlos.grid/node": this.id },
      extra: this.extra,
    });
    const fitted = raw.map((u) => fitToPodman(u, this.podmanVersion));
    return { units: fitted.map((f) => f.unit), errors: fitted.flatMap((f) => f.errors.map((e) => e.message)) };
  }

  /**
   * The units the last validation fitted, already rendered: the synth right after it (Grid.synth
   * validates first) writes these. Text, not the unit models: at 10k nodes the models held from
   * validation to each node's synth were 66 MB, their text is a third of that. Fitting only at
   * validation and rendering at the node's synth instead was tried: 13–14% more CPU for a 1k-node
   * `tlos synth` (fresh processes, interleaved), for ~12 MiB less peak RSS at 10k.
   */
  private fitted: RenderedUnits | undefined;

  protected override validateTree(): void {
    this.fitted = undefined;
    // units are only fitted when every prop is sound (otherwise they hold fallbacks)
    if (!Lattice.isLattice(this.lattice) || this.hasProblems() || this.target !== "podman") return;
    const fitted = this.units();
    this.fitted = renderedUnits(fitted.units);
    for (const e of fitted.errors) {
      const field = /'(\w+)'/.exec(e)?.[1];
      const fromExtra = Object.values(this.extra).some((list) => list.some(([k]) => k === field));
      this.problem(fromExtra ? `podman.extraKeys` : "podman.version", e, "quadlet-key-version");
    }
  }

  /** @internal */
  _localHost(): LocalHost {
    const l = this.launch();
    return { natsImage: this.natsImage, hostImage: this.hostImage, exec: l.exec, env: l.env, leafCreds: this.leafCredsPath() };
  }

  private leafCredsPath(): string {
    return nodeDirs(this.lattice.node.id, this.id).leafCreds;
  }

  /** With target `akash`: the deployable SDL (holds credentials), as synth writes it under `secrets/`. */
  deployableSdl(seed: MasterSeed, issuedAt: number): string {
    if (!this.akash) throw new Error(`internal: ${this.path} is not an Akash node`);
    return deployableAkashNodeSdl(this, this.akash, this.lattice.leafSecrets(seed, issuedAt, this.id), this.lattice.caPem(seed), seed);
  }

  _synthesize(ctx: SynthContext): void {
    if (this.akash) {
      synthAkashNode(ctx, this, this.akash);
      return;
    }
    const leaf = this.lattice.leafSecrets(ctx.seed, ctx.issuedAt, this.id);
    const lat = this.lattice.node.id;
    const dir = nodeDirs(lat, this.id).quadlet;
    const add = fileAdder(ctx);
    const conf = leafConfig({
      serverName: this.id,
      clientPort: this.clientPort,
      monitorPort: this.monitorPort,
      storeDir: this.storeDir,
      domain: this.id,
      maxMemory: this.jsMaxMemory.toNats(),
      maxFile: this.jsMaxFile.toNats(),
      hubs: this.lattice.leafUrls(),
      credentialsFile: `${this.configDir}/leaf.creds`,
      caFile: `${this.configDir}/tls/ca.pem`,
    });
    const confText = renderNatsConf(conf, [`NATS leaf of tLOS node ${this.id}, lattice ${this.lattice.name}. Generated by tlos; do not edit.`]);
    add(`${dir}/${this.id}-nats.conf`, confText, "nats-config", "nats");
    // each unit rendered once: the same text goes to the node's folder and its host bundle
    const { rendered, podService } = this.fitted ?? renderedUnits(this.units().units);
    this.fitted = undefined;
    for (const r of rendered) ctx.add({ path: `${dir}/${r.file}`, content: r.content, kind: "quadlet-unit", target: "podman", secret: false, podmanVersion: this.podmanVersion });
    add(this.leafCredsPath(), leaf.leafCreds, "nats-creds", "nats", true);
    const names = this.secretNames();
    const items: HostItem[] = [
      { kind: "secret", name: names.leafCreds, file: "leaf.creds", content: leaf.leafCreds },
      { kind: "secret", name: names.ca, file: "ca.pem", content: this.lattice.caPem(ctx.seed), public: true },
    ];
    if (this.lattice.wasmcloud === "v1") {
      add(nodeDirs(lat, this.id).hostSeed, leaf.hostSeed, "nats-creds", "podman", true);
      items.push({ kind: "secret", name: names.hostSeed, file: "host.seed", content: leaf.hostSeed });
    }
    items.push(
      ...rendered.map((r): HostItem => ({ kind: "unit", file: r.file, content: r.content, podmanVersion: this.podmanVersion })),
      { kind: "unit", file: `${this.id}-nats.conf`, content: confText },
      { kind: "start", unit: podService ?? `${this.id}-pod.service`, order: 10 },
      { kind: "check", text: `podman exec tlos-${this.id}-nats wget -qO- http://127.0.0.1:${this.monitorPort}/leafz shows one leaf connection to a hub; on a hub, /leafz lists ${this.id}` },
    );
    ctx.host(this.id, `node ${this.id} of lattice ${this.lattice.name}`, items, PHASE.nodes);
  }
}
