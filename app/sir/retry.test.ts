import { describe, expect, it } from "vitest";
import { SirError, type SirErrorCode } from "./errors";
import { DEFAULT_RETRY_POLICY, backoffDelayMs, decideRetry, parseRetryAfterMs } from "./retry";

const policy = DEFAULT_RETRY_POLICY;
const error = (code: SirErrorCode, retryAfterMs: number | null = null) =>
  new SirError({ code, message: code, retryAfterMs });

describe("backoffDelayMs", () => {
  it("grows exponentially under full jitter and caps at maxDelayMs", () => {
    const top = () => 0.999_999;
    expect(backoffDelayMs(1, policy, top)).toBe(199);
    expect(backoffDelayMs(2, policy, top)).toBe(399);
    expect(backoffDelayMs(3, policy, top)).toBe(799);
    expect(backoffDelayMs(10, policy, top)).toBe(4999);
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0);
    expect(backoffDelayMs(2, policy, () => 0.5)).toBe(200);
  });
});

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2026-11-28T12:00:00Z");
  it("reads delta-seconds", () => {
    expect(parseRetryAfterMs("3", now)).toBe(3000);
    expect(parseRetryAfterMs(" 0 ", now)).toBe(0);
    expect(parseRetryAfterMs("1.5", now)).toBe(1500);
  });
  it("reads an HTTP-date", () => {
    expect(parseRetryAfterMs("Sat, 28 Nov 2026 12:00:07 GMT", now)).toBe(7000);
    expect(parseRetryAfterMs("Sat, 28 Nov 2026 11:00:00 GMT", now)).toBe(0);
  });
  it("ignores absent and unreadable values", () => {
    expect(parseRetryAfterMs(null, now)).toBeNull();
    expect(parseRetryAfterMs("soon", now)).toBeNull();
    expect(parseRetryAfterMs("-5", now)).toBeNull();
  });
});

describe("decideRetry", () => {
  const half = () => 0.5;
  const base = { attempt: 1, safeToRepeat: true, nothingSent: false };

  it.each(["NETWORK", "TIMEOUT", "SERVER"] as const)("retries %s when safe to repeat", (code) => {
    expect(decideRetry({ ...base, error: error(code) }, policy, half)).toEqual({
      retry: true,
      delayMs: 100,
    });
  });

  it.each([
    "INSUFFICIENT_POOL",
    "IDEMPOTENT",
    "INSUFFICIENT_SCOPE",
    "UNAUTHORIZED",
    "VALIDATION",
  ] as const)("never retries %s", (code) => {
    expect(decideRetry({ ...base, error: error(code) }, policy, half)).toEqual({ retry: false });
  });

  it("does not repeat a non-idempotent request that may have reached SIR", () => {
    for (const code of ["NETWORK", "TIMEOUT", "SERVER"] as const) {
      const context = { ...base, safeToRepeat: false, error: error(code) };
      expect(decideRetry(context, policy, half)).toEqual({ retry: false });
    }
  });

  it("repeats a non-idempotent request when the connection was refused", () => {
    const context = { ...base, safeToRepeat: false, nothingSent: true, error: error("NETWORK") };
    expect(decideRetry(context, policy, half).retry).toBe(true);
  });

  it("waits at least Retry-After on 429, even for non-idempotent requests", () => {
    const context = { ...base, safeToRepeat: false, error: error("RATE_LIMITED", 3000) };
    expect(decideRetry(context, policy, () => 0)).toEqual({ retry: true, delayMs: 3000 });
    const late = { ...context, attempt: 3, error: error("RATE_LIMITED", 100) };
    expect(decideRetry(late, policy, () => 0.999_999)).toEqual({ retry: true, delayMs: 799 });
  });

  it("gives up when Retry-After is longer than the policy allows", () => {
    const context = { ...base, error: error("RATE_LIMITED", 120_000) };
    expect(decideRetry(context, policy, half)).toEqual({ retry: false });
  });

  it("stops after maxAttempts", () => {
    const context = { ...base, attempt: 4, error: error("SERVER") };
    expect(decideRetry(context, policy, half)).toEqual({ retry: false });
    expect(decideRetry({ ...context, attempt: 3 }, policy, half).retry).toBe(true);
  });
});
