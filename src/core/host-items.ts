/**
 * What a construct puts on a machine the grid names (a hub, a node, a relay host) and the steps of
 * the bring-up plan: the vocabulary constructs speak at synth; src/synth/host-bundle.ts collects it.
 */

/** One thing a construct puts on a machine. */
export type HostItem =
  /** A Quadlet unit or a file a unit mounts by a relative path: installed beside the units. */
  | { readonly kind: "unit"; readonly file: string; readonly content: string; readonly podmanVersion?: string }
  /** A Podman secret created from a bundle file (`optional`: the user supplies it later). */
  | { readonly kind: "secret"; readonly name: string; readonly file: string; readonly content?: string; readonly optional?: string; readonly public?: boolean }
  /** A systemd user unit (a timer, a plain service), installed into the user unit folder. */
  | { readonly kind: "user-unit"; readonly file: string; readonly content: string }
  /** A file for a program on the host, at `$HOME/<dest>`, secret files 0600. */
  | { readonly kind: "home-file"; readonly dest: string; readonly file: string; readonly content: string; readonly secret: boolean }
  /** A service to start (Quadlet-generated) or a user unit to enable and start. */
  | { readonly kind: "start"; readonly unit: string; readonly enable?: boolean; readonly order: number }
  /** A program the machine must have on its PATH. */
  | { readonly kind: "needs"; readonly program: string; readonly why: string }
  /** The address the operator reaches the machine at (ssh/scp), when the grid knows it. */
  | { readonly kind: "address"; readonly value: string }
  /** What to check once the machine is up (the bring-up plan shows it). */
  | { readonly kind: "check"; readonly text: string };

/**
 * Bring-up phases, in plan order. Machines are installed in the phase of what they run; the
 * operator's steps (lattice-init, Kubernetes, Akash, Cloudflare, backup) sit between them.
 */
export const PHASE = { hubs: 10, latticeInit: 20, nodes: 30, otherHosts: 35, kubernetes: 40, akash: 50, cloudflare: 60, backup: 70 } as const;

/** One step of the bring-up plan that is not a bundle install. */
export interface PlanStep {
  readonly phase: number;
  /** Where it runs: `operator` (the machine holding secrets/ and the master seed) or a host. */
  readonly machine: string;
  readonly title: string;
  readonly commands: readonly string[];
  readonly check: string;
}

/** Every item of one machine, as the synth collected it (src/synth/host-bundle.ts). */
export interface HostBundle {
  readonly host: string;
  /** The items in the order they were added; file items hold no content (it went out as a file). */
  readonly items: readonly HostItem[];
  /** What runs there, for the plan: "hub hub-1 of lattice tlos", … */
  readonly roles: readonly string[];
  /** When the machine is brought up in the plan (lowest phase of what runs there). */
  readonly phase: number;
}
