/**
 * Contract: the SIR client against the SIR sandbox, transient failures. 429 with Retry-After
 * and 5xx, injected through the sandbox's fault API. Real time only for the one-second
 * Retry-After; everywhere else an injected sleep records the delays.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  ContractSandbox,
  clientFor,
  purchase,
  sirErrorFrom,
  type SandboxPartner,
} from "./contract-helpers";

const SUBMIT = "/v1/partner/actions/submit";

let sandbox: ContractSandbox;
let partner: SandboxPartner;

beforeAll(async () => {
  sandbox = await ContractSandbox.start();
});
afterAll(() => sandbox?.close());
beforeEach(async () => {
  partner = await sandbox.createPartner({ poolBalance: 10_000 });
});
afterEach(() => sandbox.clearFaults());

/** Every /v1 request that carried this test's key, faulted ones included, in arrival order. */
const arrivals = () => sandbox.arrivals(partner.secretKey);

describe("429 + Retry-After honoured", () => {
  it("retries a 429 no earlier than Retry-After (1 s, real time) and succeeds", async () => {
    await sandbox.setFaults({ force429: { count: 1, retryAfterSeconds: 1 } });
    // Real sleep; jitter 0 so the wait is exactly what Retry-After asks.
    const { client } = clientFor(sandbox.url, partner, {
      sleep: undefined,
      random: () => 0,
    });

    const { action, replayed } = await client.submitAction(purchase("rl-1", "25.00"));
    expect(replayed).toBe(false);
    expect(action.tokensDistributed).toBe(25);

    const [limited, retried, ...rest] = await arrivals();
    expect([limited.path, limited.status, retried.path, retried.status]).toEqual([
      SUBMIT,
      429,
      SUBMIT,
      200,
    ]);
    expect(rest).toEqual([]);
    expect(retried.receivedAtMs - limited.receivedAtMs).toBeGreaterThanOrEqual(1_000);
    expect(retried.receivedAtMs - limited.receivedAtMs).toBeLessThan(3_000);
    expect(await sandbox.actions(partner.partnerId)).toHaveLength(1);
  });

  it("waits exactly the Retry-After the sandbox sent (7 s, injected sleep)", async () => {
    await sandbox.setFaults({ force429: { count: 2, retryAfterSeconds: 7 } });
    const { client, sleeps } = clientFor(sandbox.url, partner, { random: () => 0 });

    const balance = await client.getTokenPoolBalance(partner.poolId);
    expect(balance.availableBalance).toBe(10_000);
    expect(sleeps).toEqual([7_000, 7_000]);
    expect((await arrivals()).map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it("a Retry-After beyond maxRetryAfterMs → RATE_LIMITED with retryAfterMs, not waited out", async () => {
    await sandbox.setFaults({ force429: { count: 1, retryAfterSeconds: 120 } });
    const { client, sleeps } = clientFor(sandbox.url, partner, {
      retry: { maxRetryAfterMs: 60_000 },
    });

    const error = await sirErrorFrom(client.submitAction(purchase("rl-3", "10.00")));
    expect(error).toMatchObject({
      code: "RATE_LIMITED",
      status: 429,
      retryable: true,
      retryAfterMs: 120_000,
    });
    expect(sleeps).toEqual([]);
    expect((await arrivals()).map((request) => request.status)).toEqual([429]);
    expect(await sandbox.actions(partner.partnerId)).toEqual([]);
  });
});

describe("5xx retried", () => {
  it("an outage (503) that clears during the backoff → the submit succeeds, recorded once", async () => {
    await sandbox.setFaults({ outage: true });
    const sleeps: number[] = [];
    const { client } = clientFor(sandbox.url, partner, {
      retry: { maxAttempts: 4, baseDelayMs: 200 },
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) await sandbox.clearFaults();
      },
    });

    const { action, replayed } = await client.submitAction(purchase("outage-1", "30.00"));
    expect(replayed).toBe(false);
    expect(action.tokensDistributed).toBe(30);
    // random 0.5 → half of 200 · 2^(attempt-1).
    expect(sleeps).toEqual([100, 200]);
    expect((await arrivals()).map((request) => request.status)).toEqual([503, 503, 200]);
    const recorded = await sandbox.actions(partner.partnerId);
    expect(recorded.map((item) => item.actionId)).toEqual([action.actionId]);
  });

  it("errorRate 1 (500) for a moment, then cleared → a signed read succeeds", async () => {
    await sandbox.setFaults({ errorRate: 1 });
    const sleeps: number[] = [];
    const { client } = clientFor(sandbox.url, partner, {
      sleep: async (ms) => {
        sleeps.push(ms);
        await sandbox.clearFaults();
      },
    });

    expect((await client.getTokenPoolBalance(partner.poolId)).availableBalance).toBe(10_000);
    expect(sleeps).toHaveLength(1);
    expect((await arrivals()).map((request) => request.status)).toEqual([500, 200]);
  });

  it("an outage that persists → SERVER, retryable, after maxAttempts", async () => {
    await sandbox.setFaults({ outage: true });
    const { client, sleeps } = clientFor(sandbox.url, partner, {
      retry: { maxAttempts: 3, baseDelayMs: 200 },
    });

    const error = await sirErrorFrom(client.submitAction(purchase("outage-2", "10.00")));
    expect(error).toMatchObject({ code: "SERVER", status: 503, retryable: true });
    expect(sleeps).toEqual([100, 200]);
    const seen = await arrivals();
    expect(seen.map(({ path, status }) => [path, status])).toEqual([
      [SUBMIT, 503],
      [SUBMIT, 503],
      [SUBMIT, 503],
    ]);
    expect(await sandbox.actions(partner.partnerId)).toEqual([]);
  });

  it("a non-idempotent call (create-link) is not repeated after a 503", async () => {
    await sandbox.setFaults({ outage: true });
    const { client, sleeps } = clientFor(sandbox.url, partner, { retry: { maxAttempts: 4 } });

    const error = await sirErrorFrom(
      client.createDonationLink({
        nonprofitSlug: "feeding-america",
        amountCents: 1000,
        currency: "USD",
        frequency: "once",
        provider: "stripe",
        donorEmail: "donor@example.com",
        firstName: "Grace",
        lastName: "Hopper",
      }),
    );
    expect(error).toMatchObject({ code: "SERVER", status: 503, retryable: true });
    expect(sleeps).toEqual([]);
    expect((await sandbox.arrivals(partner.publicKey)).map((item) => item.status)).toEqual([503]);
  });
});
