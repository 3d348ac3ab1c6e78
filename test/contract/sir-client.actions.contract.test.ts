/**
 * Contract: the SIR client against the SIR sandbox, actions. Idempotent replays (409 → the
 * original response), an empty pool (402), reversals that create debt, and bulk submits.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { SubmitActionInput } from "../../app/sir";
import {
  ContractSandbox,
  clientFor,
  purchase,
  sirErrorFrom,
  type SandboxPartner,
  type TestClient,
} from "./contract-helpers";

const POOL = 100_000;

let sandbox: ContractSandbox;
let partner: SandboxPartner;
let sir: TestClient;

beforeAll(async () => {
  sandbox = await ContractSandbox.start();
});
afterAll(() => sandbox?.close());
afterEach(() => sandbox.clearFaults());
beforeEach(async () => {
  partner = await sandbox.createPartner({ poolBalance: POOL });
  sir = clientFor(sandbox.url, partner);
});

const poolBalance = async () =>
  (await sir.client.getTokenPoolBalance(partner.poolId)).availableBalance;
const submits = async () =>
  (await sandbox.arrivals(partner.secretKey))
    .filter((request) => request.path === "/v1/partner/actions/submit")
    .map((request) => request.status);

describe("idempotent replay (409 IDEMPOTENT carries the original response)", () => {
  it("the same submit twice → the second is replayed with the same actionId and tokens", async () => {
    const first = await sir.client.submitAction(purchase("order-1001", "50.00"));
    const second = await sir.client.submitAction(purchase("order-1001", "50.00"));
    // A different body under the same key still answers the original action.
    const third = await sir.client.submitAction(purchase("order-1001", "99.00"));

    expect(first.replayed).toBe(false);
    expect(first.action.tokensDistributed).toBe(50);
    for (const replay of [second, third]) {
      expect(replay.replayed).toBe(true);
      expect(replay.action).toEqual(first.action);
    }
    expect(await submits()).toEqual([200, 409, 409]);
    expect(sir.sleeps).toEqual([]);
    const recorded = await sandbox.actions(partner.partnerId);
    expect(recorded.map((item) => item.actionId)).toEqual([first.action.actionId]);
    expect(await poolBalance()).toBe(POOL - 50);
  });

  it("the same refundIdempotencyKey twice → a replayed reversal, tokens clawed back once", async () => {
    const { action } = await sir.client.submitAction(purchase("order-1002", "40.00"));
    const input = {
      reversalPercentage: "50",
      reason: "partial refund",
      refundIdempotencyKey: "refund-1002-a",
    };
    const first = await sir.client.reverseAction(action.actionId, input);
    const second = await sir.client.reverseAction(action.actionId, input);

    expect(first.replayed).toBe(false);
    expect(first.reversal.tokensClawedBack).toBe(20);
    expect(second.replayed).toBe(true);
    expect(second.reversal).toEqual(first.reversal);

    const [recorded] = await sandbox.actions(partner.partnerId);
    expect(recorded.tokensReversed).toBe(20);
    expect(recorded.reversals).toHaveLength(1);
    expect(await poolBalance()).toBe(POOL - 40 + 20);
    const reversePath = `/v1/partner/actions/${action.actionId}/reverse`;
    const reverses = (await sandbox.arrivals(partner.secretKey)).filter(
      (request) => request.path === reversePath,
    );
    expect(reverses.map((request) => request.status)).toEqual([200, 409]);
  });
});

describe("402 INSUFFICIENT_POOL", () => {
  it("an empty pool → INSUFFICIENT_POOL, not retried, nothing recorded", async () => {
    const empty = await sandbox.createPartner({ poolBalance: 0 });
    const { client, sleeps } = clientFor(sandbox.url, empty, { retry: { maxAttempts: 4 } });

    const error = await sirErrorFrom(client.submitAction(purchase("order-2001", "50.00")));
    expect(error).toMatchObject({ code: "INSUFFICIENT_POOL", status: 402, retryable: false });
    expect(sleeps).toEqual([]);
    const arrivals = await sandbox.arrivals(empty.secretKey);
    expect(arrivals.map(({ path, status }) => [path, status])).toEqual([
      ["/v1/partner/actions/submit", 402],
    ]);
    expect(await sandbox.actions(empty.partnerId)).toEqual([]);

    // Not even the idempotency key was kept: after a refill the same key is a fresh action.
    await sandbox.refill(empty.poolId, 100);
    const retried = await client.submitAction(purchase("order-2001", "50.00"));
    expect(retried.replayed).toBe(false);
    expect(retried.action.tokensDistributed).toBe(50);
  });
});

describe("reversal after the user spent tokens creates debt", () => {
  it("50 tokens, 40 spent, 100 % reversed → 10 clawed back, 40 debt", async () => {
    const { action } = await sir.client.submitAction(purchase("order-3001", "50.00", "spender"));
    expect(action.tokensDistributed).toBe(50);
    const spent = await sandbox.spend(partner.partnerId, "spender", 40);
    expect(spent).toMatchObject({ spent: 40, balance: 10 });

    const { reversal, replayed } = await sir.client.reverseAction(action.actionId, {
      reversalPercentage: "100",
      reason: "full refund",
      refundIdempotencyKey: "refund-3001",
    });
    expect(replayed).toBe(false);
    expect(reversal.tokensClawedBack).toBe(10);
    expect(reversal.debtsCreated).toBeGreaterThanOrEqual(1);
    expect(reversal.breakdown).toEqual([
      { stakeholderTypeCode: "CUSTOMER", expected: 50, clawedBack: 10, debt: 40 },
    ]);

    const details = await sir.client.getAction(action.actionId);
    expect(details).toMatchObject({ actionId: action.actionId, tokensReversed: 50 });
    expect(await poolBalance()).toBe(POOL - 50 + 10);
  });
});

describe("bulk submit (up to 100 actions, synchronous)", () => {
  const bulkItem = (index: number): SubmitActionInput =>
    purchase(`bulk-${index}`, `${index + 1}.00`, `bulk-user-${index % 7}`);

  it("100 actions → 100 results in input order, a duplicate key inside the call replayed", async () => {
    const inputs = Array.from({ length: 100 }, (_, index) => bulkItem(index));
    inputs[57] = { ...bulkItem(57), idempotencyKey: "bulk-10" };

    const { items } = await sir.client.submitBulk(inputs);

    expect(items).toHaveLength(100);
    expect(items.map((item) => item.index)).toEqual(inputs.map((_, index) => index));
    expect(items.map((item) => item.idempotencyKey)).toEqual(inputs.map((i) => i.idempotencyKey));
    const actions = items.map((item) => {
      if (!item.ok) throw item.error;
      return item;
    });
    expect(actions.filter((item) => item.replayed).map((item) => item.index)).toEqual([57]);
    expect(actions[57].action).toEqual(actions[10].action);
    for (const item of actions.filter((candidate) => candidate.index !== 57)) {
      expect(item.action.tokensDistributed).toBe(item.index + 1);
    }
    expect(new Set(actions.map((item) => item.action.actionId)).size).toBe(99);

    const arrivals = await sandbox.arrivals(partner.secretKey);
    expect(arrivals.map(({ path, status }) => [path, status])).toEqual([
      ["/v1/partner/actions/bulk", 200],
    ]);
    expect(await sandbox.actions(partner.partnerId)).toHaveLength(99);
    // 1 + 2 + … + 100 tokens, minus item 57's 58 (it replayed item 10).
    expect(await poolBalance()).toBe(POOL - (5050 - 58));
  });

  it("a per-item failure (forced 402) is that item's INSUFFICIENT_POOL, the rest succeed", async () => {
    await sandbox.setFaults({ force402: { count: 1 } });
    const inputs = [bulkItem(0), bulkItem(1), bulkItem(2)];

    const { items } = await sir.client.submitBulk(inputs);

    const [failed, ...succeeded] = items;
    expect(failed.ok).toBe(false);
    if (failed.ok) return;
    expect(failed.error).toMatchObject({ code: "INSUFFICIENT_POOL", status: 402 });
    expect(succeeded.map((item) => item.ok && item.action.tokensDistributed)).toEqual([2, 3]);
    const recorded = await sandbox.actions(partner.partnerId);
    expect(recorded.map((item) => item.idempotencyKey).sort()).toEqual(["bulk-1", "bulk-2"]);
  });

  it("101 actions → VALIDATION before anything is sent", async () => {
    const inputs = Array.from({ length: 101 }, (_, index) => bulkItem(index));
    const error = await sirErrorFrom(sir.client.submitBulk(inputs));
    expect(error).toMatchObject({ code: "VALIDATION", status: null, retryable: false });
    expect(await sandbox.arrivals(partner.secretKey)).toEqual([]);
    expect(await sandbox.actions(partner.partnerId)).toEqual([]);
  });
});
