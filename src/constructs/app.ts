/**
 * `App`: an application on a lattice, declared once. A v1 lattice gets a wadm OAM manifest
 * (`apps/<id>/wadm.yaml`), a v2 lattice a `WorkloadDeployment` (`apps/<id>/workload-deployment.yaml`).
 * wadm's own manifest checks run at synth.
 * @see https://wasmcloud.com/docs/v1/ecosystem/wadm/model
 */
import { appDir } from "../core/layout.js";
import { kindOf, TlosConstruct } from "../core/construct.js";
import { asString, show } from "../core/errors.js";
import { ID_PATTERN } from "../core/names.js";
import { renderYaml } from "../core/yaml.js";
import type { AppSpec, ComponentSpec, HostInterfaceSpec, LinkSpec, ProviderSpec, Scaling } from "../wasmcloud/app-model.js";
import { oamApplication } from "../wasmcloud/oam.js";
import { wadmProblems } from "../wasmcloud/wadm-rules.js";
import { workloadDeployment } from "../wasmcloud/workload.js";
import { componentWorkflow } from "../wasmcloud/pipeline.js";
import { ImageRef } from "../core/image.js";
import type { SynthContext } from "../core/artifact.js";
import { Lattice } from "./lattice.js";
import { declaredHosts } from "./declared-hosts.js";
import { placementProblems, trustWarnings } from "../wasmcloud/placement-check.js";
import type { AppComponentProps, AppLinkProps, AppProps, AppProviderProps, HostInterfaceProps } from "./app-props.js";
import { asNumber } from "./validate.js";
import { APP_KEYS } from "./prop-keys.js";

export type * from "./app-props.js";

const WIT_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const LABEL = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,62}$/;

/** The most replicas of a workload (a Kubernetes int32 would allow more; no grid needs them). */
const MAX_REPLICAS = 10_000;

export class App extends TlosConstruct {
  /** True for any App, also across two loaded copies of this library. */
  static isApp(x: unknown): x is App {
    return kindOf(x) === "App";
  }
  readonly lattice: Lattice;
  private readonly builds = new Map<string, { crate: string; claimsExpireDays: number }>();
  /** The resolved description both renderers use. */
  readonly spec: AppSpec;

  constructor(lattice: Lattice, id: string, props: AppProps) {
    super(lattice, id, "App");
    const p = (this.plain(props) ?? {}) as Partial<AppProps>;
    this.knownKeys(p, APP_KEYS);
    this.lattice = lattice;
    if (!Lattice.isLattice(lattice)) this.problem("scope", "an App must be created inside a Lattice");
    const version = typeof p.version === "string" && p.version.trim() !== "" ? p.version : "";
    if (!version) this.problem("version", `${show(p.version)} is not a version: use a release version like "1.2.0"`);
    const list = <T>(field: string, v: unknown, required = false): T[] => {
      if (v === undefined && !required) return [];
      if (Array.isArray(v) && (!required || v.length > 0)) return v as T[];
      this.problem(field, `must be a ${required ? "non-empty " : ""}list, got ${show(v)}`);
      return [];
    };
    const v2 = !Lattice.isLattice(lattice) || lattice.wasmcloud === "v2";
    const providers = list<AppProviderProps>("providers", p.providers);
    if (v2 && providers.length > 0) this.problem("providers", "capability providers are a wasmCloud v1 concept: on a v2 lattice use hostInterfaces (the host provides them)");
    const hostInterfaces = list<HostInterfaceProps>("hostInterfaces", p.hostInterfaces);
    if (!v2 && hostInterfaces.length > 0) this.problem("hostInterfaces", "host interfaces are a wasmCloud v2 concept: on a v1 lattice link to a capability provider");
    const namespace = p.namespace ?? "default";
    if (typeof namespace !== "string" || !ID_PATTERN.test(namespace)) this.problem("namespace", `${show(namespace)} is not a Kubernetes namespace: use a lowercase DNS label`);
    const replicas = p.replicas ?? 1;
    if (!Number.isInteger(replicas) || replicas < 1 || replicas > MAX_REPLICAS) this.problem("replicas", `${show(replicas)} is not allowed: use an integer from 1 to ${MAX_REPLICAS}`);
    this.spec = {
      name: this.node.id,
      version,
      ...(typeof p.description === "string" ? { description: p.description } : {}),
      components: list<AppComponentProps>("components", p.components, true).map((c, i) => this.component(c, `components[${i}]`)),
      providers: providers.map((c, i) => this.provider(c, `providers[${i}]`)),
      links: list<AppLinkProps>("links", p.links).map((l, i) => this.link(l, `links[${i}]`)),
      hostInterfaces: hostInterfaces.map((h, i) => this.hostInterface(h, `hostInterfaces[${i}]`)),
      namespace: asString(namespace),
      replicas: asNumber(replicas, 1),
      hostSelector: this.labels("hostSelector", p.hostSelector),
    };
    for (const rp of wadmProblems(this.spec)) if (rp.field !== "id") this.problem(rp.field, rp.message);
  }

  private labels(field: string, v: unknown): Record<string, string> {
    if (v === undefined) return {};
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
      this.problem(field, `must be an object of label → value, got ${show(v)}`);
      return {};
    }
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (!LABEL.test(k) || typeof x !== "string") this.problem(`${field}.${k}`, `${show(k)}: ${show(x)} is not a label: use a key of letters, digits, '.', '_', '-', '/' and a string value`);
      else out[k] = x;
    }
    return out;
  }

  private count(field: string, v: unknown): number {
    if (v === undefined) return 1;
    if (Number.isInteger(v) && (v as number) >= 1 && (v as number) <= 10_000) return v as number;
    this.problem(field, `${show(v)} is not allowed: use an integer from 1 to 10000`);
    return 1;
  }

  private scaling(c: Partial<AppComponentProps>, f: string): Scaling {
    const instances = this.count(`${f}.instances`, c.instances);
    if (c.perHost) {
      if (c.spread !== undefined) this.problem(`${f}.perHost`, "perHost and spread exclude each other: perHost runs on every matching host");
      const req = typeof c.perHost === "object" ? this.labels(`${f}.perHost.requirements`, c.perHost.requirements) : {};
      return { kind: "perHost", instances, requirements: req };
    }
    const spread = c.spread === undefined ? [] : Array.isArray(c.spread) ? c.spread : (this.problem(`${f}.spread`, `must be a list, got ${show(c.spread)}`), []);
    return {
      kind: "spread",
      instances,
      spread: spread.map((s, j) => {
        const sf = `${f}.spread[${j}]`;
        if (typeof s?.name !== "string" || !/^[-\w]+$/.test(s.name)) this.problem(`${sf}.name`, `${show(s?.name)} is not a spread name: use letters, digits, '_' and '-'`);
        if (s?.weight !== undefined && !(Number.isInteger(s.weight) && s.weight >= 0 && s.weight <= 100)) this.problem(`${sf}.weight`, `${show(s.weight)} is not a weight: use an integer from 0 to 100`);
        return { name: asString(s?.name), requirements: this.labels(`${sf}.requirements`, s?.requirements ?? {}), ...(s?.weight !== undefined ? { weight: s.weight } : {}) };
      }),
    };
  }

  private component(c: AppComponentProps, f: string): ComponentSpec {
    const crate = c?.build?.crate ?? asString(c?.name);
    if (typeof crate !== "string" || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(crate)) this.problem(`${f}.build.crate`, `${show(crate)} is not a Cargo package name`);
    const days = c?.build?.claimsExpireDays ?? 365;
    if (!Number.isInteger(days) || days < 1 || days > 3650) this.problem(`${f}.build.claimsExpireDays`, `${show(days)} is not allowed: use whole days from 1 to 3650`);
    this.builds.set(asString(c?.name), { crate, claimsExpireDays: days });
    const secrets = c?.secrets === undefined ? [] : Array.isArray(c.secrets) ? c.secrets : (this.problem(`${f}.secrets`, `must be a list, got ${show(c.secrets)}`), []);
    secrets.forEach((s, j) => {
      if (typeof s?.name !== "string" || !ID_PATTERN.test(s.name)) this.problem(`${f}.secrets[${j}].name`, `${show(s?.name)} is not a secret name: use a lowercase DNS label`);
      if (typeof s?.key !== "string" || s.key === "") this.problem(`${f}.secrets[${j}].key`, `${show(s?.key)} is not a secret key`);
    });
    return {
      name: asString(c?.name),
      image: this.checkedImage(`${f}.image`, c?.image),
      config: this.labels(`${f}.config`, c?.config),
      secrets: secrets.map((s) => ({ name: asString(s?.name), key: asString(s?.key), ...(s?.field ? { field: asString(s.field) } : {}) })),
      scaling: this.scaling(c ?? {}, f),
    };
  }

  private provider(p: AppProviderProps, f: string): ProviderSpec {
    return {
      name: asString(p?.name),
      image: this.checkedImage(`${f}.image`, p?.image),
      config: this.labels(`${f}.config`, p?.config),
      scaling: { kind: "perHost", instances: this.count(`${f}.instances`, p?.instances), requirements: this.labels(`${f}.requirements`, p?.requirements) },
    };
  }

  private wit(f: string, l: { namespace?: unknown; package?: unknown; interfaces?: unknown }): { namespace: string; package: string; interfaces: string[] } {
    for (const k of ["namespace", "package"] as const) {
      if (typeof l?.[k] !== "string" || !WIT_NAME.test(l[k] as string)) this.problem(`${f}.${k}`, `${show(l?.[k])} is not a WIT ${k}: use lowercase words joined by '-', e.g. "wasi", "keyvalue"`);
    }
    const ifs = Array.isArray(l?.interfaces) ? (l.interfaces as unknown[]) : [];
    if (ifs.length === 0) this.problem(`${f}.interfaces`, `${show(l?.interfaces)} is not allowed: name at least one WIT interface, e.g. ["atomics"]`);
    ifs.forEach((x, j) => {
      if (typeof x !== "string" || !WIT_NAME.test(x)) this.problem(`${f}.interfaces[${j}]`, `${show(x)} is not a WIT interface name`);
    });
    return { namespace: asString(l?.namespace), package: asString(l?.package), interfaces: ifs.map((x: unknown) => asString(x)) };
  }

  private link(l: AppLinkProps, f: string): LinkSpec {
    if (l?.name !== undefined && (typeof l.name !== "string" || !/^[-\w]+$/.test(l.name))) this.problem(`${f}.name`, `${show(l.name)} is not a link name`);
    if (typeof l?.from === "string" && l.from === l.to) this.problem(`${f}.to`, `${show(l.to)} links to itself: a link joins a component to another component or a provider (wadm would dispatch the call back into its caller)`);
    return {
      from: asString(l?.from),
      to: asString(l?.to),
      ...this.wit(f, l ?? {}),
      ...(l?.name ? { name: l.name } : {}),
      targetConfig: this.labels(`${f}.targetConfig`, l?.targetConfig),
      sourceConfig: this.labels(`${f}.sourceConfig`, l?.sourceConfig),
    };
  }

  private hostInterface(h: HostInterfaceProps, f: string): HostInterfaceSpec {
    return { ...this.wit(f, h ?? {}), ...(typeof h?.version === "string" ? { version: h.version } : {}), config: this.labels(`${f}.config`, h?.config) };
  }

  /** Tree rules: something schedules the app onto a declared host, and (v1) its publishers are trusted. */
  protected override validateTree(): void {
    if (!Lattice.isLattice(this.lattice)) return;
    for (const f of placementProblems(this.spec, this.lattice.wasmcloud, declaredHosts(this.lattice))) this.problem(f.field, f.message);
    if (this.lattice.wasmcloud === "v1") for (const f of trustWarnings(this.spec, new Set(this.lattice.trustedIssuers))) this.warn(f.field, f.message);
  }

  _synthesize(ctx: SynthContext): void {
    const dir = appDir(this.lattice.node.id, this.node.id);
    // the lattice's Registry, by kind (registry.ts is not imported here): the CI copies there too
    const reg = this.lattice.node.children.find((x) => kindOf(x) === "Registry") as { pushEndpoint?: () => string } | undefined;
    const grid = reg?.pushEndpoint ? { push: reg.pushEndpoint(), user: "ci", caPem: this.lattice.caPem(ctx.seed) } : undefined;
    for (const c of this.spec.components) {
      const image = ImageRef.parse(c.image);
      const build = this.builds.get(c.name) ?? { crate: c.name, claimsExpireDays: 365 };
      const wf = componentWorkflow({ app: this.spec.name, component: c.name, repository: `${image.registry}/${image.repository}`, registry: image.registry, crate: build.crate, wasmcloud: this.lattice.wasmcloud, claimsExpireDays: build.claimsExpireDays, ...(grid ? { grid } : {}) });
      const secrets = `${this.lattice.wasmcloud === "v1" ? "WASH_ISSUER_KEY (secrets/<lattice>/issuer.nk)" : "COSIGN_PRIVATE_KEY and COSIGN_PASSWORD (cosign generate-key-pair)"}${grid ? " and TLOS_REGISTRY_PASSWORD (secrets/<lattice>/registry/<id>/push.password)" : ""}`;
      ctx.add({ path: `${dir}/ci/${c.name}.yml`, content: renderYaml(wf, { header: [`CI of component ${c.name}: copy to .github/workflows/ in its repository and set the secrets ${secrets}.`, "Tag a release (v1.2.3) to build, sign and push it; the job summary prints the digest to pin in the grid. Generated by tlos."] }), kind: "workflow", target: "ci", secret: false });
    }
    if (this.lattice.wasmcloud === "v1") {
      ctx.add({ path: `${dir}/wadm.yaml`, content: renderYaml(oamApplication(this.spec), { header: [`wadm application ${this.spec.name} ${this.spec.version}: wash app deploy wadm.yaml. Generated by tlos.`] }), kind: "wadm-manifest", target: "wasmcloud", secret: false });
    } else {
      ctx.add({ path: `${dir}/workload-deployment.yaml`, content: renderYaml(workloadDeployment(this.spec), { header: [`wasmCloud v2 workload ${this.spec.name} ${this.spec.version}: kubectl apply -f. Generated by tlos.`] }), kind: "wasmcloud-workload", target: "wasmcloud", secret: false });
    }
  }
}
