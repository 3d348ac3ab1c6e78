import { RATE_LIMIT_LOW_WATER_FRACTION, rateLimitResetToEpochMs } from "./assumptions";

export interface RateLimitState {
  limit: number;
  remaining: number;
  resetAtMs: number;
}

/** Anything with a case-insensitive `get`, such as fetch's Headers. */
export interface HeaderReader {
  get(name: string): string | null;
}

function parseCount(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/**
 * Follows X-RateLimit-Limit/Remaining/Reset so the client slows down before SIR answers 429.
 * Normally no delay; under 10 % of the limit the remaining calls are spread evenly until the
 * reset; at 0 the next call waits for the reset.
 */
export class RateLimitTracker {
  private state: RateLimitState | null = null;
  /** When the most recently reserved request goes out; spacing is measured from it. */
  private lastRequestAtMs: number | null = null;

  constructor(private readonly now: () => number = Date.now) {}

  /** Responses without complete, readable headers leave the known state as it was. */
  update(headers: HeaderReader): void {
    const limit = parseCount(headers.get("x-ratelimit-limit"));
    const remaining = parseCount(headers.get("x-ratelimit-remaining"));
    const reset = headers.get("x-ratelimit-reset");
    if (limit === null || limit === 0 || remaining === null || reset === null) return;
    const resetAtMs = rateLimitResetToEpochMs(reset, this.now());
    if (resetAtMs === null) return;
    this.state = { limit, remaining, resetAtMs };
  }

  snapshot(): RateLimitState | null {
    return this.state === null ? null : { ...this.state };
  }

  delayBeforeNextRequestMs(): number {
    const state = this.state;
    if (state === null) return 0;
    const now = this.now();
    const untilReset = state.resetAtMs - now;
    if (untilReset <= 0) return 0;
    if (state.remaining <= 0) return Math.ceil(untilReset);
    if (state.remaining >= state.limit * RATE_LIMIT_LOW_WATER_FRACTION) return 0;
    const spacing = untilReset / state.remaining;
    const since = this.lastRequestAtMs === null ? 0 : now - this.lastRequestAtMs;
    return Math.max(0, Math.ceil(spacing - since));
  }

  /**
   * Claims the next slot: returns the delay to wait, then counts the request so concurrent
   * callers queue behind it instead of all leaving at once.
   */
  reserveRequest(): number {
    const delay = this.delayBeforeNextRequestMs();
    const now = this.now();
    this.lastRequestAtMs = now + delay;
    const state = this.state;
    if (state !== null && state.resetAtMs > now && state.remaining > 0) {
      this.state = { ...state, remaining: state.remaining - 1 };
    }
    return delay;
  }
}
