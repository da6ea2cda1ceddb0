/**
 * Per-construct components for a team's own stack: `new AkashGpuPool(name, args, opts)` and
 * `new SpinKubeCluster(name, args, opts)` define one construct — args are the construct's props
 * plus the lattice it joins (a {@link TeamLattice} from the platform's exports) — without the
 * master seed. Each builds a one-construct tree (a `Grid` holding a `JoinedLattice` holding the
 * construct), renders it through the same synth and target modules as `tlos synth`, and
 * registers the same component (type token, files, secret files) and real resources as
 * `TlosGrid` does for that construct. What is the team's own (the leaf user key, the host seed,
 * the pool's xkey) derives from the team's seed (`teamSeed`, or the secret `tlos:teamSeed`);
 * leaf user JWTs are signed with the scoped signing key of the construct's role.
 * @see https://www.pulumi.com/docs/iac/concepts/resources/components/
 */
import * as pulumi from "@pulumi/pulumi";
import type * as K8s from "@pulumi/kubernetes";
import { Grid } from "../synth/grid.js";
import { synthesize } from "../synth/synthesize.js";
import { ValidationError, type Problem } from "../core/errors.js";
import type { MasterSeed } from "../core/seed.js";
import { JoinedLattice } from "../constructs/joined-lattice.js";
import { AkashGpuPool as PoolConstruct, type AkashGpuPoolProps } from "../constructs/akash-gpu-pool.js";
import { SpinKubeCluster as ClusterConstruct, type SpinKubeClusterProps } from "../constructs/spinkube-cluster.js";
import type { TlosConstruct } from "../core/construct.js";
import { TlosConstructResource, TYPE_TOKENS } from "./components.js";
import { readStackConfig, type DeployTarget } from "./config.js";
import { masterSeedOutput, masterSeedProblems, type SeedKey } from "./seed.js";
import { TargetWiring } from "./targets.js";
import type { AkashDeployment, AkashDeploymentArgs } from "./akash/deployment.js";
import type { TeamLattice } from "./team.js";

const TEAM_SEED: SeedKey = { arg: "teamSeed", config: "tlos:teamSeed" };

/** What every team component takes besides the construct's props. */
export interface TeamMemberArgs {
  /** The lattice it joins: `await joinLattice(new pulumi.StackReference("<org>/<platform>/<stack>"), "<lattice output>", "<keys output>")`. */
  readonly lattice: TeamLattice;
  /**
   * The team's own seed (hex or base64, ≥ 32 bytes): the member's leaf user key, host seed and
   * xkey derive from it. Never the platform's master seed.
   * @default the secret stack config `tlos:teamSeed`
   */
  readonly teamSeed?: pulumi.Input<string>;
  /**
   * Issued-at of the member's user JWT; change it to re-issue.
   * @default 2025-01-01T00:00:00Z
   */
  readonly issuedAt?: Date;
  /**
   * The targets whose real resources register (`akash`, `kubernetes`).
   * @default the stack config `tlos:deploy`, else none
   */
  readonly deploy?: readonly DeployTarget[];
}

/** Args of {@link AkashGpuPool}: the pool's props, the lattice, and optionally the Akash deployment's settings. */
export type AkashGpuPoolArgs = AkashGpuPoolProps & TeamMemberArgs & {
  /**
   * Deposit, endpoints and timeouts of the Akash deployment; implies `akash` in `deploy`.
   * @default the stack config `tlos:akash`; the wallet is `tlos:akashMnemonic`
   */
  readonly akash?: Omit<AkashDeploymentArgs, "sdl">;
};

/** Args of {@link SpinKubeCluster}: the cluster's props, the lattice, and optionally its Kubernetes provider. */
export type SpinKubeClusterArgs = SpinKubeClusterProps & TeamMemberArgs & {
  /**
   * The cluster's Kubernetes provider; implies `kubernetes` in `deploy`.
   * @default one from `tlos:kubeconfig` and the `tlos:kubernetes` context of `<lattice id>/<name>`, else the default provider
   */
  readonly kubernetes?: { readonly provider?: K8s.Provider };
};

interface Built<C> {
  readonly grid: Grid;
  readonly member: C;
  readonly wiring: TargetWiring;
  readonly seed: pulumi.Output<MasterSeed>;
  readonly files: ReturnType<typeof TlosConstructResource.filesOf>;
}

/**
 * The one-construct tree of a team component, validated with the stack config and the seed
 * before anything registers (one ValidationError listing every problem), and its synth.
 */
function build<C extends TlosConstruct>(name: string, args: TeamMemberArgs, make: (lattice: JoinedLattice) => C, targets: { akash?: Omit<AkashDeploymentArgs, "sdl">; kubernetes?: { provider?: K8s.Provider } }): Built<C> {
  const ref = args.lattice?.reference;
  const grid = new Grid(typeof ref?.team === "string" && /^[a-z][a-z0-9-]{0,39}$/.test(ref.team) ? ref.team : "team", args.issuedAt ? { issuedAt: args.issuedAt } : {});
  const lattice = new JoinedLattice(grid, ref as TeamLattice["reference"]);
  const member = make(lattice);
  const validated = grid.validate();
  const problems: Problem[] = [...validated.problems, ...masterSeedProblems(grid.node.path, args.teamSeed, TEAM_SEED)];
  const { config, problems: configProblems } = readStackConfig(grid.node.path);
  problems.push(...configProblems);
  const deploy = new Set<DeployTarget>(args.deploy ?? config.deploy);
  if (targets.akash) deploy.add("akash");
  if (targets.kubernetes) deploy.add("kubernetes");
  const kubernetes = targets.kubernetes ? { providers: targets.kubernetes.provider ? { [member.node.path]: targets.kubernetes.provider } : {} } : undefined;
  const wiring = new TargetWiring(grid, deploy, config, { ...(targets.akash ? { akash: targets.akash } : {}), ...(kubernetes ? { kubernetes } : {}) });
  problems.push(...wiring.problems([member], new Map([[member.node.path, name]])));
  if (problems.length > 0) throw new ValidationError(problems);
  const teamSeed = masterSeedOutput(grid.node.path, args.teamSeed, undefined, TEAM_SEED);
  // the scoped keys are used for this seed only; a seed that is not the reference's key fails here
  // (a secret: the team seed is one)
  const keys = pulumi.output(args.lattice.signingKeySeeds);
  const seed = teamSeed.apply((s) => keys.apply((k) => {
    lattice.useSigningKeys(s, k);
    return s;
  }));
  const result = seed.apply((s) => synthesize(grid, { masterSeed: s }, validated));
  return { grid, member, wiring, seed, files: TlosConstructResource.filesOf(result, member.node.path) };
}

/**
 * One Akash GPU pool in a team's stack, joined to the platform's lattice with the GPU pool role
 * (`ai-pool`): the component `tlos:akash:AkashGpuPool` with its SDLs as files, and with `akash`
 * deploying, the `AkashDeployment` of its deployable SDL.
 */
export class AkashGpuPool extends TlosConstructResource {
  /** The deployable SDL (holds the pool's leaf creds and xkey seed), as a secret. */
  readonly sdl: pulumi.Output<string>;
  /** The Akash deployment, when `akash` deploys. */
  readonly deployment: AkashDeployment | undefined;

  constructor(name: string, args: AkashGpuPoolArgs, opts?: pulumi.ComponentResourceOptions) {
    const { lattice, teamSeed, issuedAt, deploy, akash, ...props } = args;
    const b = build(name, { lattice, teamSeed, issuedAt, deploy }, (l) => new PoolConstruct(l, name, props), { ...(akash ? { akash } : {}) });
    super(TYPE_TOKENS.AkashGpuPool as string, name, { path: b.member.node.path, ...b.files }, opts);
    b.wiring.wire(b.member, name, this, b.seed);
    this.sdl = b.wiring.akashSdls[b.member.node.path]!;
    this.deployment = b.wiring.deployments[b.member.node.path];
  }
}

/**
 * One SpinKube cluster in a team's stack, its in-cluster leaf joined to the platform's lattice
 * with the cluster leaf role (`k8s-leaf`): the component `tlos:kubernetes:SpinKubeCluster` with its
 * manifests as files, and with `kubernetes` deploying, the same Kubernetes objects `TlosGrid` creates.
 */
export class SpinKubeCluster extends TlosConstructResource {
  /** The cluster's Kubernetes objects by name, when `kubernetes` deploys. */
  readonly kubernetesObjects: Readonly<Record<string, pulumi.Resource>>;

  constructor(name: string, args: SpinKubeClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const { lattice, teamSeed, issuedAt, deploy, kubernetes, ...props } = args;
    const b = build(name, { lattice, teamSeed, issuedAt, deploy }, (l) => new ClusterConstruct(l, name, props), { ...(kubernetes ? { kubernetes } : {}) });
    super(TYPE_TOKENS.SpinKubeCluster as string, name, { path: b.member.node.path, ...b.files }, opts);
    b.wiring.wire(b.member, name, this, b.seed);
    this.kubernetesObjects = b.wiring.kubernetesObjects[b.member.node.path] ?? {};
  }
}
