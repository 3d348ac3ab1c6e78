/**
 * Fault injection for reliability tests and benchmarks. Faults apply only to /v1/partner/
 * routes, never to the control API or the hosted checkout. CORS preflights are not faulted,
 * so a browser sees the injected status instead of a CORS failure.
 */
import { SirApiError, validationError } from "./errors";

export interface FaultConfig {
  latencyMs: number;
  /** Probability (0–1) that a request is answered 500 before it is processed. */
  errorRate: number;
  /** Every /v1 request is answered 503. */
  outage: boolean;
  force429: { remaining: number; retryAfterSeconds: number } | null;
  /** The next N submits (each bulk item counts) fail with 402 where the pool check happens. */
  force402Remaining: number;
}

export function noFaults(): FaultConfig {
  return { latencyMs: 0, errorRate: 0, outage: false, force429: null, force402Remaining: 0 };
}

/** The fault that answers this request instead of the API, if any. Consumes forced 429s. */
export function injectedFault(
  faults: FaultConfig,
): { error: SirApiError; retryAfterSeconds?: number } | null {
  if (faults.outage) {
    return { error: new SirApiError(503, "SERVER", "SIR sandbox outage (injected fault)") };
  }
  if (faults.force429 && faults.force429.remaining > 0) {
    faults.force429.remaining -= 1;
    const { retryAfterSeconds } = faults.force429;
    if (faults.force429.remaining === 0) faults.force429 = null;
    return {
      error: new SirApiError(429, "RATE_LIMITED", "Too many requests (injected fault)"),
      retryAfterSeconds,
    };
  }
  if (faults.errorRate > 0 && Math.random() < faults.errorRate) {
    return { error: new SirApiError(500, "SERVER", "Internal server error (injected fault)") };
  }
  return null;
}

export function takeForced402(faults: FaultConfig): boolean {
  if (faults.force402Remaining <= 0) return false;
  faults.force402Remaining -= 1;
  return true;
}

/** Merges a POST /__sandbox/faults body into the current faults. */
export function mergeFaults(faults: FaultConfig, input: Record<string, unknown>): void {
  if (input.latencyMs !== undefined) {
    faults.latencyMs = requireNumber(input.latencyMs, "latencyMs", 0, 600_000);
  }
  if (input.errorRate !== undefined) {
    faults.errorRate = requireNumber(input.errorRate, "errorRate", 0, 1);
  }
  if (input.outage !== undefined) {
    if (typeof input.outage !== "boolean") throw validationError("outage must be a boolean");
    faults.outage = input.outage;
  }
  if (input.force429 !== undefined) {
    const force429 = input.force429 as Record<string, unknown> | null;
    faults.force429 =
      force429 === null
        ? null
        : {
            remaining: requireInteger(force429?.count, "force429.count"),
            retryAfterSeconds: requireInteger(
              force429?.retryAfterSeconds ?? 1,
              "force429.retryAfterSeconds",
            ),
          };
  }
  if (input.force402 !== undefined) {
    const force402 = input.force402 as Record<string, unknown> | null;
    faults.force402Remaining =
      force402 === null ? 0 : requireInteger(force402?.count, "force402.count");
  }
}

export function describeFaults(faults: FaultConfig) {
  return {
    latencyMs: faults.latencyMs,
    errorRate: faults.errorRate,
    outage: faults.outage,
    force429: faults.force429
      ? { count: faults.force429.remaining, retryAfterSeconds: faults.force429.retryAfterSeconds }
      : null,
    force402: { count: faults.force402Remaining },
  };
}

function requireNumber(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !(value >= min && value <= max)) {
    throw validationError(`${name} must be a number from ${min} to ${max}`);
  }
  return value;
}

function requireInteger(value: unknown, name: string): number {
  if (!Number.isSafeInteger(value) || (value as number) < 0) {
    throw validationError(`${name} must be a non-negative integer`);
  }
  return value as number;
}
