/**
 * Fixed-window rate limiting per API key. Windows are aligned to multiples of windowSeconds
 * since the epoch, so X-RateLimit-Reset is the same for every key in a window.
 */
import { validationError } from "./errors";

export interface RateLimitConfig {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitWindow {
  startSeconds: number;
  count: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  headers: Record<string, string>;
}

export function consumeRateLimit(
  windows: Map<string, RateLimitWindow>,
  config: RateLimitConfig,
  key: string,
  nowMs: number,
  /** How X-RateLimit-Reset is written (behaviour.ts `rateLimitReset`). */
  resetAs: "epoch-seconds" | "seconds-until" | "epoch-ms" = "epoch-seconds",
): RateLimitDecision {
  const nowSeconds = Math.floor(nowMs / 1000);
  const startSeconds = nowSeconds - (nowSeconds % config.windowSeconds);
  let window = windows.get(key);
  if (!window || window.startSeconds !== startSeconds) {
    window = { startSeconds, count: 0 };
    windows.set(key, window);
  }
  const resetSeconds = startSeconds + config.windowSeconds;
  const allowed = window.count < config.limit;
  if (allowed) window.count += 1;
  const headers: Record<string, string> = {
    "X-RateLimit-Limit": String(config.limit),
    "X-RateLimit-Remaining": String(Math.max(0, config.limit - window.count)),
    "X-RateLimit-Reset": String(
      resetAs === "seconds-until"
        ? resetSeconds - nowSeconds
        : resetAs === "epoch-ms"
          ? resetSeconds * 1000
          : resetSeconds,
    ),
  };
  if (!allowed) headers["Retry-After"] = String(Math.max(1, resetSeconds - nowSeconds));
  return { allowed, headers };
}

export function parseRateLimitConfig(input: Record<string, unknown>): RateLimitConfig {
  const { limit, windowSeconds = 60 } = input;
  if (!Number.isSafeInteger(limit) || (limit as number) < 1) {
    throw validationError("limit must be a positive integer");
  }
  if (!Number.isSafeInteger(windowSeconds) || (windowSeconds as number) < 1) {
    throw validationError("windowSeconds must be a positive integer");
  }
  return { limit: limit as number, windowSeconds: windowSeconds as number };
}
