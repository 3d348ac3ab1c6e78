import { config } from "../config.server";

// Durable retry schedule for rewards and reversals that failed for a
// passing reason: exponential from RETRY_BASE_MS (default 10 s), capped at
// 1 hour, with ±20 % jitter so a recovering SIR is not hit by every shop at
// once. 30 tries span about a day; then the entry is failed for the merchant.
export const MAX_ATTEMPTS = 30;
const CAP_MS = 60 * 60_000;

export function retryDelayMs(
  attempt: number,
  baseMs: number = config.retryBaseMs,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(CAP_MS, baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential * (0.8 + 0.4 * random()));
}
