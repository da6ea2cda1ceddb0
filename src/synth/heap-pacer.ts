/**
 * Full garbage collections paced for a big synth to disk. V8 lets its old generation grow to about
 * four times what was live at its last full collection before it collects again (its growing
 * factor on a machine with a large heap limit); at 10k nodes that took the heap from ~60 to ~270 MiB
 * of mostly garbage, the most of the synth's 400 MiB peak RSS. Run-time V8 flags do not help
 * here: `--max-old-space-size` and `--max-semi-space-size` set by `v8.setFlagsFromString` after
 * start-up do not change the heap (its limits are fixed when it is made); `--heap-growing-percent`
 * does, but collects at every small growth, also where nothing needs it.
 * The pacer asks for a full collection only when the heap in use passes both a floor (a synth that
 * stays under it, 1k nodes and below, never pays for one) and half again what was live after the
 * last one it asked for (at least 32 MiB more).
 */
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Heap in use below which no collection is asked for. */
const FLOOR = 128 << 20;
/** Growth over the live heap allowed before the next one: this share of it, at least {@link MIN_SLACK}. */
const SLACK = 0.5;
const MIN_SLACK = 32 << 20;
/** Calls between two looks at the heap (a look costs about a microsecond). */
const EVERY = 256;

let collect: (() => void) | undefined;

/** V8's `gc()`, from a fresh context (the flag exposes it to contexts made after it is set, not to this one's globals). */
function fullCollection(): () => void {
  if (!collect) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  return collect;
}

/**
 * A function to call once per file (or piece) handed to the writer: now and then it looks at the
 * heap and runs a full collection when the heap has grown past its limit (see the top of this file).
 * `now`: look at this call (between two stages that make much garbage but few files).
 */
export function heapPacer(): (now?: boolean) => void {
  let calls = 0;
  let limit = FLOOR;
  return (now = false) => {
    if ((++calls % EVERY !== 0 && !now) || getHeapStatistics().used_heap_size < limit) return;
    fullCollection()();
    const live = getHeapStatistics().used_heap_size;
    limit = Math.max(FLOOR, live + Math.max(MIN_SLACK, live * SLACK));
  };
}
