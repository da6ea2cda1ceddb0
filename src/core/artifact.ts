/** The files a construct adds at synth, each with its provenance, and the context it adds them through. */
import type { MasterSeed } from "./seed.js";
import type { HostItem, PlanStep } from "./host-items.js";

/** Worst-case monthly cost of an Akash deployment (computed by `monthlyCost` in src/akash/cost.ts). */
export interface MonthlyCost {
  readonly denom: string;
  /** Micro-denom per block per replica. */
  readonly amountPerBlock: number;
  readonly replicas: number;
  readonly blocksPerMonth: number;
  /** Worst case, in micro-denom. */
  readonly maxMicroPerMonth: number;
  /** Worst case, in whole AKT (uakt) or ACT (uact, pegged to USD). */
  readonly maxPerMonth: number;
  readonly blockTimeSource: string;
}

/** The kinds of files a synth writes (`manifest.json` lists each file's kind). */
export type ArtifactKind =
  | "quadlet-unit"
  | "nats-config"
  | "nats-creds"
  | "nats-jwt"
  | "script"
  | "compose"
  | "wadm-manifest"
  | "wasmcloud-workload"
  | "workflow"
  | "jetstream-plan"
  | "systemd-unit"
  | "signing-key"
  | "xkey"
  | "tls-certificate"
  | "tls-key"
  | "host-secret"
  | "plan"
  | "akash-sdl"
  | "k8s-manifest"
  | "helm-values"
  | "node-setup"
  | "config"
  | "cloudflare"
  | "summary"
  | "diagram";

/** The targets a file is for. */
export type ArtifactTarget = "podman" | "nats" | "compose" | "tls" | "wasmcloud" | "ci" | "akash" | "kubernetes" | "turn" | "cloudflare" | "backup" | "grid";

/** One output file. */
export interface Artifact {
  /** POSIX path relative to the output folder. */
  readonly path: string;
  readonly content: string;
  readonly kind: ArtifactKind;
  readonly target: ArtifactTarget;
  /** Path of the construct that produced it. */
  readonly construct: string;
  /** Secret material: written under `secrets/` with mode 0600 and never elsewhere. */
  readonly secret: boolean;
  /** Shell scripts are written executable. */
  readonly executable?: boolean;
  /** Quadlet units: the Podman version they target. */
  readonly podmanVersion?: string;
  /** Akash SDLs: the worst-case monthly cost. */
  readonly cost?: MonthlyCost;
}

/** A file as a construct adds it; the synth records the construct's path itself. */
export type NewArtifact = Omit<Artifact, "construct">;

/** What a construct gets while it synthesizes. */
export interface SynthContext {
  readonly seed: MasterSeed;
  /** Issued-at of every JWT, seconds since the epoch. */
  readonly issuedAt: number;
  /** Adds a file, recorded as written by the construct being synthesized. */
  add(file: NewArtifact): void;
  /**
   * Puts items on machine `host` (its bundle `hosts/<host>/`); `role` says what runs there, `phase`
   * when the plan brings the machine up (`PHASE`).
   */
  host(host: string, role: string | undefined, items: readonly HostItem[], phase: number): void;
  /** Adds a step to the bring-up plan (`PLAN.md`). */
  step(step: PlanStep): void;
}

/** `ctx.add` with positional arguments, for constructs that add many files. */
export function fileAdder(ctx: SynthContext) {
  return (path: string, content: string, kind: ArtifactKind, target: ArtifactTarget, secret = false, executable = false) => ctx.add({ path, content, kind, target, secret, executable });
}

/** A construct that adds files at synth: the synth walks the tree and calls each one's `_synthesize`. */
export interface Synthesizable {
  _synthesize(ctx: SynthContext): void;
  /**
   * Called once every construct of the tree ran `_synthesize`, in the same order: for files that
   * need what the constructs below made (a lattice's expectation lists the public keys of the leaf
   * users its members' synths made, so no member's creds wait in memory for the rest).
   */
  _synthesizeLast?(ctx: SynthContext): void;
}

/** True for a construct that adds files at synth. */
export function isSynthesizable(x: unknown): x is Synthesizable {
  return typeof x === "object" && x !== null && typeof (x as Partial<Synthesizable>)._synthesize === "function";
}
