import { describe, expect, it } from "vitest";
import { control, signedRequest, unixSeconds, widgetRequest } from "./test-client";
import { useSandboxPartner } from "./test-fixture";

// Pinned clock: 20 s into a 60 s window, so the reset time is known exactly.
const WINDOW_START_SECONDS = 1_800_000_000 - (1_800_000_000 % 60);
let clockMs = (WINDOW_START_SECONDS + 20) * 1000;

const sandbox = useSandboxPartner({
  options: { rateLimit: { limit: 3, windowSeconds: 60 }, now: () => clockMs },
  per: "file",
});

const signedGet = (path: string) =>
  signedRequest(sandbox.url, sandbox.partner, "GET", path, undefined, {
    timestamp: unixSeconds(clockMs),
  });

describe("rate limiting", () => {
  it("counts down on every authenticated response, errors included, then answers 429 with Retry-After", async () => {
    const responses = [
      await signedGet("/v1/partner/token-pools"),
      await signedGet(`/v1/partner/actions/${"0".repeat(24)}`),
      await signedGet("/v1/partner/campaigns/active"),
    ];
    expect(responses.map((response) => response.status)).toEqual([200, 404, 404]);
    responses.forEach((response, index) => {
      expect(response.headers["x-ratelimit-limit"]).toBe("3");
      expect(response.headers["x-ratelimit-remaining"]).toBe(String(2 - index));
      expect(response.headers["x-ratelimit-reset"]).toBe(String(WINDOW_START_SECONDS + 60));
    });

    const limited = await signedGet("/v1/partner/token-pools");
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({
      statusCode: 429,
      code: "RATE_LIMITED",
      error: "Too Many Requests",
    });
    expect(limited.headers["retry-after"]).toBe("40");
    expect(limited.headers["x-ratelimit-remaining"]).toBe("0");
    expect(limited.headers["x-ratelimit-reset"]).toBe(String(WINDOW_START_SECONDS + 60));

    // Publishable keys have their own window.
    const widget = await widgetRequest(
      sandbox.url,
      sandbox.partner.publicKey,
      "GET",
      "/v1/partner/config",
    );
    expect(widget.status).toBe(200);
    expect(widget.headers["x-ratelimit-remaining"]).toBe("2");
    expect(widget.json.rateLimit).toEqual({ limit: 3, windowSeconds: 60 });

    clockMs = (WINDOW_START_SECONDS + 60) * 1000;
    const nextWindow = await signedGet("/v1/partner/token-pools");
    expect(nextWindow.status).toBe(200);
    expect(nextWindow.headers["x-ratelimit-remaining"]).toBe("2");
    expect(nextWindow.headers["x-ratelimit-reset"]).toBe(String(WINDOW_START_SECONDS + 120));
  });

  it("can be reconfigured through the control API", async () => {
    const response = await control(sandbox.url, "POST", "rate-limit", {
      limit: 1,
      windowSeconds: 10,
    });
    expect(response.json).toEqual({ limit: 1, windowSeconds: 10 });
    expect((await signedGet("/v1/partner/token-pools")).status).toBe(200);
    const limited = await signedGet("/v1/partner/token-pools");
    expect(limited.status).toBe(429);
    expect(limited.headers["x-ratelimit-limit"]).toBe("1");
  });
});
