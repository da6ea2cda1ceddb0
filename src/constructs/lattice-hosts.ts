/** What a lattice puts on each hub machine: its units and configs, its TLS files, v1 wadm and policy. */
import { PHASE, type HostItem, type PlanStep } from "../core/host-items.js";
import type { LatticePki } from "../tls/pki.js";

export interface HubHostInput {
  readonly hub: string;
  /** The hub's host name or address. */
  readonly host: string;
  readonly monitorPort: number;
  /** Lattice construct id (secret and folder names). */
  readonly base: string;
  readonly podmanVersion: string;
  /** Quadlet file name → content (units, the config and the operator JWT they mount). */
  readonly unitFiles: readonly { readonly file: string; readonly content: string; readonly unit: boolean }[];
  /** The pod's service, started by install.sh. */
  readonly podService: string;
  readonly secretNames: { readonly ca: string; readonly cert: string; readonly key: string };
  readonly caPem: string;
  /** Undefined when the grid brings its own CA: the hub's certificate and key then come from the user. */
  readonly pki: LatticePki | undefined;
  /** wasmCloud v1: wadm creds (a Podman secret), the policy responder's user unit and creds. */
  readonly v1?: { readonly wadmSecret: string; readonly wadmCreds: string; readonly policyUnit: { file: string; content: string }; readonly policyCreds: string };
}

export function hubHostItems(i: HubHostInput): HostItem[] {
  const own = i.pki?.hubs.get(i.hub);
  const byo = "a CA of your own (caCertificate): put this hub's certificate and key here";
  const items: HostItem[] = [
    { kind: "secret", name: i.secretNames.ca, file: "ca.pem", content: i.caPem, public: true },
    own ? { kind: "secret", name: i.secretNames.cert, file: "tls-cert.pem", content: own.cert, public: true } : { kind: "secret", name: i.secretNames.cert, file: "tls-cert.pem", optional: byo },
    own ? { kind: "secret", name: i.secretNames.key, file: "tls-key.pem", content: own.key } : { kind: "secret", name: i.secretNames.key, file: "tls-key.pem", optional: byo },
    ...i.unitFiles.map((f): HostItem => ({ kind: "unit", file: f.file, content: f.content, ...(f.unit ? { podmanVersion: i.podmanVersion } : {}) })),
    { kind: "start", unit: i.podService, order: 10 },
    { kind: "address", value: i.host },
    { kind: "check", text: `podman exec tlos-${i.hub}-nats wget -qO- 'http://127.0.0.1:${i.monitorPort}/healthz?js-enabled-only=true' answers ok; once the other hubs are up, /routez there shows the routes and /jsz a meta leader, and podman logs tlos-${i.hub}-nats shows no TLS error` },
  ];
  if (i.v1) {
    items.push(
      { kind: "secret", name: i.v1.wadmSecret, file: "wadm.creds", content: i.v1.wadmCreds },
      { kind: "user-unit", file: i.v1.policyUnit.file, content: i.v1.policyUnit.content },
      { kind: "home-file", dest: `.config/tlos/${i.base}/policy.creds`, file: "policy.creds", content: i.v1.policyCreds, secret: true },
      { kind: "start", unit: i.v1.policyUnit.file, enable: true, order: 20 },
      { kind: "needs", program: "tlos", why: "the policy responder runs tlos policy-responder (npm install -g @tlos/grid)" },
    );
  }
  return items;
}

/**
 * The operator's step once the hubs are up: JetStream assets (v1) and the account JWT pushed to the
 * hubs' resolvers, through a tunnel to one hub's loopback client port (the admin and system creds
 * never leave the operator's machine).
 */
export function latticeInitStep(name: string, base: string, hub: { id: string; host: string; ports: { client: number } } | undefined, v1: boolean): PlanStep {
  const local = 14222;
  return {
    phase: PHASE.latticeInit,
    machine: "operator",
    title: `${v1 ? "lattice-init and " : ""}claims push for lattice ${name}`,
    commands: [
      `# the hubs' client port listens on their loopback only: tunnel to ${hub?.id ?? "a hub"}`,
      `ssh -N -L ${local}:127.0.0.1:${hub?.ports.client ?? 4222} ${hub?.host ?? "<hub>"} &`,
      ...(v1 ? [`tlos lattice-init ${base}/jetstream.json --server nats://127.0.0.1:${local} --creds secrets/${base}/admin.creds`] : []),
      `tlos claims push ${base}/account.jwt --server nats://127.0.0.1:${local} --creds secrets/${base}/sys.creds`,
    ],
    check: `claims push reports every hub stored the account JWT${v1 ? "; lattice-init reports wadm's streams and the KV buckets created or found at the hubs' replica count" : ""}; run claims push again after any change to limits or revokedNodes`,
  };
}
