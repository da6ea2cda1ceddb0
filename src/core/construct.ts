/**
 * The construct base: every tLOS construct is a `constructs` node (paths, ids, tree walk) that
 * records problems instead of throwing, so one synth reports every problem of the grid at once.
 */
import { Construct, type IConstruct } from "constructs";
import { resolveImage } from "./image.js";
import { idProblem } from "./names.js";
import { attempt, type Problem } from "./errors.js";
import { plainProps } from "./plain-props.js";
import { checkKnownKeys, type KeySchema } from "./known-keys.js";

/** A non-fatal finding, e.g. an image tag without a digest. */
export interface Warning {
  readonly path: string;
  readonly field: string;
  readonly message: string;
}

const MARK = Symbol.for("@tlos/grid.TlosConstruct");
const KIND = Symbol.for("@tlos/grid.kind");

/**
 * What a tLOS construct is, stored under `Symbol.for("@tlos/grid.kind")` so two loaded copies of
 * this library recognize each other's constructs (as `constructs` marks its own with `Symbol.for`).
 * Each class's `static isX()` reads it; the Pulumi adapter maps each kind to one type token.
 */
export type ConstructKind = "Lattice" | "JoinedLattice" | "TlosNode" | "AkashGpuPool" | "SpinKubeCluster" | "R2Backup" | "TurnRelay" | "AiGateway" | "App" | "Registry";

/** The kind of a tLOS construct, or undefined for anything else. */
export function kindOf(x: unknown): ConstructKind | undefined {
  if (typeof x !== "object" || x === null) return undefined;
  const k = (x as Record<symbol, unknown>)[KIND];
  return typeof k === "string" ? (k as ConstructKind) : undefined;
}
/** Ids a construct directly under the grid cannot take: they name folders of every output. */
const RESERVED_TOP_IDS = ["secrets", "hosts", "diagram"];
const pending = new WeakMap<IConstruct, Problem[]>();
let substitutes = 0;

/**
 * Checks a child id before the construct exists: a bad or duplicate id is recorded as a problem
 * on the root and replaced by a unique stand-in, so construction can go on and report the rest.
 */
function admitId(scope: Construct, id: string): string {
  const root = scope.node.root;
  const list = pending.get(root) ?? [];
  pending.set(root, list);
  const base = `${scope.node.path}/${String(id)}`;
  const why = idProblem(id);
  if (why) {
    list.push({ path: base, field: "id", message: why, code: "bad-id" });
    return `invalid-id-${++substitutes}`;
  }
  if (scope.node.scope === undefined && RESERVED_TOP_IDS.includes(id)) {
    list.push({ path: base, field: "id", message: `${JSON.stringify(id)} names a top-level folder of the synth output (${RESERVED_TOP_IDS.join(", ")}): use another id`, code: "reserved-id" });
    return `invalid-id-${++substitutes}`;
  }
  if (scope.node.tryFindChild(id)) {
    list.push({ path: base, field: "id", message: `duplicate id ${JSON.stringify(id)}: ${scope.node.path} already has a child with this id; ids must be unique among siblings`, code: "duplicate-id" });
    return `duplicate-id-${++substitutes}`;
  }
  return id;
}

/** Problems recorded against ids under `root` (bad or duplicate ids). */
export function idProblems(root: IConstruct): readonly Problem[] {
  return pending.get(root) ?? [];
}

/** Base class of every tLOS construct. */
export abstract class TlosConstruct extends Construct {
  /** True for any tLOS construct, also across two loaded copies of this library. */
  static isTlosConstruct(x: unknown): x is TlosConstruct {
    return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[MARK] === true;
  }

  /** Problems and warnings about the props, found once while the constructor resolves them (props do not change). */
  private readonly problemList: Problem[] = [];
  private readonly warningList: Warning[] = [];
  /** Where the tree rules report while {@link _collect} runs them: fresh lists on every call. */
  private treeSink: { problems: Problem[]; warnings: Warning[] } | undefined;

  protected constructor(scope: Construct, id: string, kind: ConstructKind) {
    super(scope, admitId(scope, id));
    Object.defineProperty(this, MARK, { value: true });
    Object.defineProperty(this, KIND, { value: kind });
  }

  /** What this construct is (see {@link ConstructKind}). */
  get kind(): ConstructKind {
    return kindOf(this)!;
  }

  /** Construct path as users see it in errors, e.g. `tlos/lattice/home-1`. */
  get path(): string {
    return this.node.path;
  }

  /**
   * The props as plain data (see `plainProps`): what a constructor reads first, so a getter that
   * throws, a proxy, a cycle or a huge list becomes a problem on its field, never an exception.
   */
  protected plain<T>(props: T): T {
    return plainProps(props, (f, m) => this.problem(f, m));
  }

  /** Records a problem with a prop of this construct. */
  protected problem(field: string, message: string, code?: string): void {
    (this.treeSink?.problems ?? this.problemList).push({ path: this.path, field, message, ...(code ? { code } : {}) });
  }

  /** Records a warning about a prop of this construct. */
  protected warn(field: string, message: string): void {
    (this.treeSink?.warnings ?? this.warningList).push({ path: this.path, field, message });
  }

  /**
   * Runs `fn` and records a `RangeError`/`TypeError` it throws as a problem with `field`;
   * returns `fallback` then. Keeps prop parsing one line per prop in constructors.
   */
  protected attempt<T>(field: string, fn: () => T, fallback: T): T {
    return attempt((f, m) => this.problem(f, m), field, fn, fallback);
  }

  /**
   * An image prop checked: a bad reference is a problem, a tag without a digest a warning, both on
   * `field`. Returns the fully qualified reference, or `fallback` when it does not parse.
   */
  protected checkedImage(field: string, ref: unknown, fallback?: string): string {
    return resolveImage((f, m) => this.problem(f, m), (f, m) => this.warn(f, m), field, ref, fallback);
  }

  /**
   * Records every prop (nested ones too) that `schema` does not know, with the closest known name.
   * @param plain the props as {@link plain} copied them (a getter that throws or a proxy is its
   *   problem, reported there once; the props are copied once per constructor)
   */
  protected knownKeys(plain: unknown, schema: KeySchema): void {
    checkKnownKeys((f, m) => this.problem(f, m, "unknown-prop"), plain, schema);
  }

  /** True when a problem was recorded on this construct so far (its derived values may be fallbacks). */
  protected hasProblems(): boolean {
    return this.problemList.length > 0 || (this.treeSink?.problems.length ?? 0) > 0;
  }

  /**
   * Runs once the tree is complete, before validation: a construct hands what it contributes to
   * another one (e.g. an R2Backup's CronJob to its lattice's cluster). Must be idempotent: it
   * runs on every validate().
   */
  protected prepare(): void {}

  /** @internal Runs {@link prepare}. */
  _prepare(): void {
    this.prepare();
  }

  /** Cross-tree rules, checked once the tree is complete (at synth). Override to add some. */
  protected validateTree(): void {}

  /**
   * @internal The props' problems and warnings, then the tree rules run afresh into new lists:
   * nothing from an earlier call is kept, so validating twice gives the same answer.
   */
  _collect(): { problems: Problem[]; warnings: Warning[] } {
    const sink = { problems: [] as Problem[], warnings: [] as Warning[] };
    this.treeSink = sink;
    try {
      this.validateTree();
    } finally {
      this.treeSink = undefined;
    }
    return { problems: [...this.problemList, ...sink.problems], warnings: [...this.warningList, ...sink.warnings] };
  }
}
