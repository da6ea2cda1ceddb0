/**
 * `tlos status`, the wasmCloud part: for v1 the apps wadm deploys against the models synth wrote
 * and the hosts' inventories against what wadm wants; for v2 the host groups the hosts'
 * heartbeats report against the declared ones. Pure: the CLI gathers, this judges.
 * @see https://github.com/wasmCloud/wadm/blob/main/crates/wadm-types/src/api.rs (ListModelsResponse, ModelSummary, GetModelResponse)
 * @see https://github.com/wasmCloud/wasmCloud/blob/main/crates/control-interface/src/types/component.rs (ComponentDescription)
 * @see https://github.com/wasmCloud/wasmCloud/blob/main/crates/wash-runtime/src/washlet/mod.rs (heartbeat_subject, HEARTBEAT_INTERVAL)
 */
import type { ExpectedApp, LatticeExpectation } from "./expectation.js";
import { wadmComponents, wadmDigest } from "../wasmcloud/wadm-digest.js";

/** One entry of wadm's `model.list` reply (`models`; the fields used). */
export interface ModelSummary {
  readonly name: string;
  readonly version?: string;
  readonly deployed_version?: string | null;
  readonly detailed_status?: { readonly status?: { readonly type?: string; readonly message?: string } };
}

/** What wadm answered: its model list, and per deployed app the manifest of the deployed version (`model.get`). */
export interface WadmObserved {
  /** undefined: wadm did not answer `model.list`. */
  readonly models?: readonly ModelSummary[];
  readonly manifests: Readonly<Record<string, Parameters<typeof wadmDigest>[0] | undefined>>;
}

/** A v1 host's `host.get` inventory (`response` of the control interface reply; the fields used). */
export interface HostInventory {
  readonly host_id: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly components?: readonly { readonly id?: string; readonly image_ref?: string; readonly name?: string; readonly annotations?: Readonly<Record<string, string>> | null; readonly max_instances?: number }[];
  readonly providers?: readonly { readonly id?: string; readonly image_ref?: string; readonly name?: string; readonly annotations?: Readonly<Record<string, string>> | null }[];
}

/** A v2 host's heartbeat on `runtime.operator.heartbeat.<id>` (protojson of HostHeartbeat; the fields used). */
export interface HostHeartbeat {
  readonly id?: string;
  readonly friendlyName?: string;
  readonly hostname?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface AppStatus {
  readonly name: string;
  readonly declared: string;
  readonly deployed?: string;
  readonly state: string;
  /** Components (and providers) of the app: how many answering hosts run each. */
  readonly components: readonly { readonly name: string; readonly hosts: number }[];
}

export interface HostGroupStatus { readonly group: string; readonly declared: number; readonly seen: number; readonly hosts: readonly string[] }

/** wadm tags what it starts with the app's name (`wasmcloud.dev/appspec`). */
const APPSPEC = "wasmcloud.dev/appspec";

function runsOn(inv: readonly HostInventory[], app: string, c: { name: string; type: string; image: string }): number {
  return inv.filter((h) => (c.type === "capability" ? h.providers : h.components)?.some((x) => x.image_ref === c.image && (x.annotations?.[APPSPEC] ?? app) === app)).length;
}

function judgeApp(a: ExpectedApp, w: WadmObserved, inv: readonly HostInventory[], drift: string[]): AppStatus {
  const m = w.models?.find((x) => x.name === a.name);
  const deployed = m?.deployed_version ?? undefined;
  const state = m?.detailed_status?.status?.type ?? (m ? "unknown" : "absent");
  const components = a.components.map((c) => ({ name: c.name, hosts: runsOn(inv, a.name, c) }));
  if (!m) drift.push(`app ${a.name}: wadm has no model ${JSON.stringify(a.name)} (${a.version} declared: wash app deploy ${a.name}/wadm.yaml)`);
  else if (!deployed) drift.push(`app ${a.name}: not deployed (${a.version} declared)`);
  else if (deployed !== a.version) drift.push(`app ${a.name}: ${deployed} deployed, ${a.version} declared`);
  else {
    const got = w.manifests[a.name];
    if (!got) drift.push(`app ${a.name}: wadm did not return the manifest of ${deployed}`);
    else if (wadmDigest(got) !== a.digest) {
      const want = new Map(a.components.map((c) => [c.name, c.image]));
      const differs = wadmComponents(got).filter((c) => want.get(c.name) !== c.image).map((c) => c.name);
      drift.push(`app ${a.name}: the deployed model ${deployed} is not the synthesized one (digest differs${differs.length > 0 ? `; components ${differs.join(", ")} differ` : ""})`);
    }
    if (state !== "deployed") drift.push(`app ${a.name}: wadm reports ${state}${m.detailed_status?.status?.message ? `: ${m.detailed_status.status.message}` : ""}`);
  }
  if (m && deployed) for (const c of components.filter((x) => x.hosts === 0)) drift.push(`app ${a.name}: component ${c.name} runs on no host (wadm wants it)`);
  return { name: a.name, declared: a.version, ...(deployed ? { deployed } : {}), state, components };
}

/** v1: every declared app as wadm reports it, each component on some host; wadm not answering is drift. */
export function appsStatus(e: LatticeExpectation, w: WadmObserved | undefined, inv: readonly HostInventory[], drift: string[]): AppStatus[] | undefined {
  if (!w || !e.apps) return undefined;
  if (!w.models) {
    if (e.apps.length > 0) drift.push(`wadm: does not answer wadm.api.${e.lattice}.model.list`);
    return e.apps.map((a) => ({ name: a.name, declared: a.version, state: "unknown", components: [] }));
  }
  return e.apps.map((a) => judgeApp(a, w, inv, drift));
}

/** v2: each declared host group heartbeats with as many hosts as declared; a group no member declares is drift. */
export function hostGroupsStatus(e: LatticeExpectation, beats: readonly HostHeartbeat[] | undefined, drift: string[]): HostGroupStatus[] | undefined {
  if (!beats || !e.hostGroups) return undefined;
  const byHost = new Map<string, HostHeartbeat>();
  for (const b of beats) byHost.set(b.id ?? b.hostname ?? "", b);
  const groupOf = (b: HostHeartbeat) => b.labels?.["hostgroup"] ?? "";
  const out = e.hostGroups.map((g) => {
    const hosts = [...byHost.values()].filter((b) => groupOf(b) === g.group).map((b) => b.friendlyName || b.hostname || b.id || "?").sort();
    if (hosts.length === 0) drift.push(`host group ${g.group}: no host heartbeats (${g.hosts} declared: ${g.members.join(", ")})`);
    else if (hosts.length < g.hosts) drift.push(`host group ${g.group}: ${hosts.length} of ${g.hosts} hosts heartbeat`);
    return { group: g.group, declared: g.hosts, seen: hosts.length, hosts };
  });
  const known = new Set(e.hostGroups.map((g) => g.group));
  for (const [id, b] of [...byHost].sort(([x], [y]) => (x < y ? -1 : 1))) if (!known.has(groupOf(b))) drift.push(`host ${b.friendlyName || id}: heartbeats in host group ${JSON.stringify(groupOf(b))}, which no member declares`);
  return out;
}
