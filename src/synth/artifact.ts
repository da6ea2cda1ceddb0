/** What synth produces: files in memory, each with its provenance, before anything is written. */
import type { MasterSeed } from "../core/seed.js";
import type { Warning } from "../core/construct.js";
import type { HostItem, PlanStep } from "./host-bundle.js";

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
  | "summary";

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
  readonly cost?: import("../akash/cost.js").MonthlyCost;
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

/** The result of a synth, all in memory. */
export interface SynthResult {
  /** Files sorted by path. */
  readonly files: readonly Artifact[];
  readonly warnings: readonly Warning[];
}

/** `ctx.add` with positional arguments, for constructs that add many files. */
export function fileAdder(ctx: SynthContext) {
  return (path: string, content: string, kind: ArtifactKind, target: ArtifactTarget, secret = false, executable = false) => ctx.add({ path, content, kind, target, secret, executable });
}
