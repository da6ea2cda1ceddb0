/**
 * The `<pool>-ai` service of an Akash GPU pool: `tlos ai serve` (run with `npx` in a Node
 * image) between the pool's NATS leaf and its inference server. It opens no port; it reaches
 * the leaf and the inference server inside the deployment. Its xkey seed comes as an env value
 * (SDL has no file mounts), written to a file before the service starts.
 */
import { TLOS_NPX } from "../core/package-version.js";
import { SECRET_PLACEHOLDER } from "./lattice-services.js";
import type { SdlService } from "./sdl.js";

export interface PoolAiServiceInput {
  readonly pool: string;
  readonly lattice: string;
  readonly model: string;
  /** The leaf, e.g. `nats://<pool>-nats:4222`. */
  readonly nats: string;
  /** The inference server's OpenAI base URL, e.g. `http://<pool>-inference:8000/v1`. */
  readonly upstream: string;
  readonly maxInFlight: number;
  readonly image: string;
  /** The pool's xkey seed (`SX…`), or undefined for a placeholder (the reviewable SDL). */
  readonly xkeySeed: string | undefined;
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function poolAiService(i: PoolAiServiceInput): SdlService {
  const serve = [...TLOS_NPX, "ai", "serve", "--server", i.nats, "--lattice", i.lattice, "--pool", i.pool, "--model", i.model, "--upstream", i.upstream, "--xkey-seed-file", "/tmp/ai.xkey", "--max-in-flight", String(i.maxInFlight)];
  return {
    image: i.image,
    command: ["sh", "-c", `set -e; umask 077; printf '%s\\n' "$TLOS_AI_XKEY_SEED" > /tmp/ai.xkey; unset TLOS_AI_XKEY_SEED; exec ${serve.map(q).join(" ")}`],
    env: [`TLOS_AI_XKEY_SEED=${i.xkeySeed ?? SECRET_PLACEHOLDER("ai-xkey")}`],
  };
}
