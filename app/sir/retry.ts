import type { SirError } from "./errors";

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  baseDelayMs: number;
  /** Cap of the exponential backoff (before jitter). */
  maxDelayMs: number;
  /**
   * Longest wait the client sits through for Retry-After or an exhausted rate-limit window.
   * A longer wait is not shortened: the call fails with RATE_LIMITED and `retryAfterMs` so the
   * caller's job queue can come back later.
   */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = {
  maxAttempts: 4,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxRetryAfterMs: 60_000,
};

/** Full jitter: a uniform delay in [0, min(maxDelay, base · 2^(attempt-1))). */
export function backoffDelayMs(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After as delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfterMs(value: string | null, nowMs: number): number | null {
  if (value === null) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  // All three HTTP-date formats start with a day name; Date.parse alone would read "-5" as a year.
  const date = /^[A-Za-z]{3}/.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

export interface RetryContext {
  error: SirError;
  /** The attempt that just failed, starting at 1. */
  attempt: number;
  /** GETs, DELETEs and POSTs carrying an idempotency key. */
  safeToRepeat: boolean;
  /** The connection was refused, so the request provably never reached SIR. */
  nothingSent: boolean;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false };

export function decideRetry(
  context: RetryContext,
  policy: RetryPolicy,
  random: () => number,
): RetryDecision {
  const { error, attempt } = context;
  if (attempt >= policy.maxAttempts || !error.retryable) return { retry: false };

  // A 429 means SIR did not process the request, so even a non-idempotent call may go again.
  const mayRepeat = error.code === "RATE_LIMITED" || context.safeToRepeat || context.nothingSent;
  if (!mayRepeat) return { retry: false };
  // Never earlier than Retry-After; never a wait longer than the policy allows.
  const delayMs = Math.max(error.retryAfterMs ?? 0, backoffDelayMs(attempt, policy, random));
  return delayMs > policy.maxRetryAfterMs ? { retry: false } : { retry: true, delayMs };
}
