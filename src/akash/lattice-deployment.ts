/**
 * The SDL of one Akash deployment that joins a lattice: a main service (a TlosNode's kernel, a GPU
 * pool's inference server) next to the lattice's NATS leaf and wasmCloud host
 * ({@link latticeServices}), all in one placement, priced per service, `count` replicas each.
 * Both `TlosNode` (target `akash`) and `AkashGpuPool` build their SDL here.
 * @see https://akash.network/docs/network-features/stack-definition-language/
 */
import type { MonthlyCost } from "./cost.js";
import type { Sdl, SdlCompute, SdlService } from "./sdl.js";

/** Where the deployment may run: provider attributes and the auditors that must have signed them. */
export interface LatticePlacement {
  readonly attributes: Readonly<Record<string, string>>;
  readonly anyOf: readonly string[];
  readonly allOf: readonly string[];
}

/** Maximum price per block: the main service's, and each of the two lattice sidecars'. */
export interface LatticePricing {
  readonly denom: string;
  readonly amount: number;
  readonly sidecarAmount: number;
}

export interface LatticeDeploymentInput {
  /** The construct id: names the placement and prefixes every service. */
  readonly id: string;
  readonly main: { readonly name: string; readonly service: SdlService; readonly compute: SdlCompute["resources"] };
  /** The leaf and host services, from `latticeServices` (named `<id>-nats`, `<id>-host`). */
  readonly lattice: Record<string, SdlService>;
  readonly count: number;
  readonly placement: LatticePlacement;
  readonly pricing: LatticePricing;
}

const SIDECAR = { cpu: { units: "500m" }, memory: { size: "512Mi" }, storage: { size: "1Gi" } };

export function latticeDeploymentSdl(i: LatticeDeploymentInput): Sdl {
  const { id, main } = i;
  const nats = `${id}-nats`;
  const host = `${id}-host`;
  const price = (amount: number) => ({ denom: i.pricing.denom, amount });
  const p = i.placement;
  return {
    version: "2.0",
    services: { [main.name]: main.service, ...i.lattice },
    profiles: {
      compute: {
        [main.name]: { resources: main.compute },
        [nats]: { resources: SIDECAR },
        [host]: { resources: { ...SIDECAR, memory: { size: "1Gi" } } },
      },
      placement: {
        [id]: {
          ...(Object.keys(p.attributes).length > 0 ? { attributes: { ...p.attributes } } : {}),
          ...(p.anyOf.length + p.allOf.length > 0 ? { signedBy: { ...(p.anyOf.length ? { anyOf: [...p.anyOf] } : {}), ...(p.allOf.length ? { allOf: [...p.allOf] } : {}) } } : {}),
          pricing: { [main.name]: price(i.pricing.amount), [nats]: price(i.pricing.sidecarAmount), [host]: price(i.pricing.sidecarAmount) },
        },
      },
    },
    deployment: {
      [main.name]: { [id]: { profile: main.name, count: i.count } },
      [nats]: { [id]: { profile: nats, count: i.count } },
      [host]: { [id]: { profile: host, count: i.count } },
    },
  };
}

/** The worst-case cost line of an SDL header (`× replicas` when the deployment has several). */
export function costLine(c: MonthlyCost, perReplica: boolean): string {
  return `Worst case: ${c.maxPerMonth} ${c.denom === "uact" ? "ACT" : "AKT"}/month (${c.amountPerBlock} ${c.denom}/block × ${c.blocksPerMonth} blocks${perReplica ? ` × ${c.replicas}` : ""}; ${c.blockTimeSource}).`;
}
