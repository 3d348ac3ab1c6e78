/**
 * Contract: the SIR client against the SIR sandbox, rate-limit headers. The sandbox sends
 * X-RateLimit-Limit/Remaining/Reset on every authenticated response; the client keeps its
 * tracker private, so the raw headers are checked with fetch and the client's reading of them
 * through what it does: it waits for the reset instead of running into a 429.
 *
 * Sandbox and client share one pinned clock (1 s into a 10 s window), so windows and waits are
 * exact; the injected sleep advances that clock.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ContractSandbox,
  clientFor,
  rawRequest,
  sirErrorFrom,
  type SandboxPartner,
} from "./contract-helpers";

const LIMIT = 3;
const WINDOW_SECONDS = 10;

const clock = { ms: 0 };
let windowStartMs = 0;
let sandbox: ContractSandbox;
let partner: SandboxPartner;

beforeAll(async () => {
  sandbox = await ContractSandbox.start({
    rateLimit: { limit: LIMIT, windowSeconds: WINDOW_SECONDS },
    now: () => clock.ms,
  });
});
afterAll(() => sandbox?.close());
beforeEach(async () => {
  const windowMs = WINDOW_SECONDS * 1000;
  windowStartMs = Math.floor(Date.now() / windowMs) * windowMs;
  clock.ms = windowStartMs + 1_000;
  partner = await sandbox.createPartner();
});

describe("rate-limit headers", () => {
  it("every authenticated response carries X-RateLimit-Limit/Remaining/Reset", async () => {
    const headers = { "X-Partner-Key": partner.publicKey };
    const first = await rawRequest(sandbox.url, "GET", "/v1/partner/config", headers);
    const second = await rawRequest(sandbox.url, "GET", "/v1/partner/config", headers);

    const reset = String(windowStartMs / 1000 + WINDOW_SECONDS);
    for (const [response, remaining] of [
      [first, "2"],
      [second, "1"],
    ] as const) {
      expect(response.status).toBe(200);
      expect(response.headers.get("x-ratelimit-limit")).toBe(String(LIMIT));
      expect(response.headers.get("x-ratelimit-remaining")).toBe(remaining);
      expect(response.headers.get("x-ratelimit-reset")).toBe(reset);
    }
    // Errors of an identified key carry them too.
    const denied = await rawRequest(sandbox.url, "GET", "/v1/partner/organizations/nope", headers);
    expect(denied.status).toBe(404);
    expect(denied.headers.get("x-ratelimit-remaining")).toBe("0");
  });

  it("the client reads them: at Remaining 0 it waits for the reset instead of getting a 429", async () => {
    const sleeps: number[] = [];
    const { client } = clientFor(sandbox.url, partner, {
      now: () => clock.ms,
      sleep: async (ms) => {
        sleeps.push(ms);
        clock.ms += ms;
      },
    });

    for (let call = 0; call < LIMIT + 1; call += 1) {
      expect((await client.getTokenPoolBalance(partner.poolId)).availableBalance).toBe(1_000_000);
    }
    // 1 s into a 10 s window: exactly 9 s to the reset the sandbox announced.
    expect(sleeps).toEqual([9_000]);
    const statuses = (await sandbox.arrivals(partner.secretKey)).map((item) => item.status);
    expect(statuses).toEqual([200, 200, 200, 200]);
  });

  it("a reset further away than maxRetryAfterMs → RATE_LIMITED before sending", async () => {
    const { client, sleeps } = clientFor(sandbox.url, partner, {
      now: () => clock.ms,
      retry: { maxRetryAfterMs: 5_000 },
    });
    for (let call = 0; call < LIMIT; call += 1) await client.getTokenPoolBalance(partner.poolId);

    const error = await sirErrorFrom(client.getTokenPoolBalance(partner.poolId));
    expect(error).toMatchObject({
      code: "RATE_LIMITED",
      status: null,
      retryable: true,
      retryAfterMs: 9_000,
    });
    expect(sleeps).toEqual([]);
    expect(await sandbox.arrivals(partner.secretKey)).toHaveLength(LIMIT);
  });
});
