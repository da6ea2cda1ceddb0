/**
 * Worst-case monthly cost of an Akash deployment: a lease can cost at most the placement's
 * `amount` per block, paid for every replica: `amount × blocks per month × count`.
 * Blocks per month use Akash Console's own constants — average block time 6.174 s and 30.437
 * days per month (akash-network/console `api/src/utils/constants.ts`).
 */
import type { MonthlyCost } from "../core/artifact.js";

export const AVERAGE_BLOCK_SECONDS = 6.174;
export const AVERAGE_DAYS_IN_MONTH = 30.437;
export const BLOCK_TIME_SOURCE = "akash-network/console api/src/utils/constants.ts: averageBlockTime 6.174 s, averageDaysInMonth 30.437";
export const BLOCKS_PER_MONTH = Math.round((AVERAGE_DAYS_IN_MONTH * 24 * 3600) / AVERAGE_BLOCK_SECONDS);

export type { MonthlyCost };

export function monthlyCost(denom: string, amountPerBlock: number, replicas: number): MonthlyCost {
  const micro = amountPerBlock * BLOCKS_PER_MONTH * replicas;
  return { denom, amountPerBlock, replicas, blocksPerMonth: BLOCKS_PER_MONTH, maxMicroPerMonth: micro, maxPerMonth: Math.round(micro / 1e4) / 100, blockTimeSource: BLOCK_TIME_SOURCE };
}
