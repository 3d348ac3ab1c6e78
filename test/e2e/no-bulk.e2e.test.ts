import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { sentActions } from "../helpers/sandbox-control";
import { deliverBurst, delivery } from "../helpers/webhook-burst";
import { paidOrders, TOKENS_PER_ORDER } from "../helpers/paid-orders";
import { waitFor } from "../helpers/wait-for";
import { testDatabaseKind } from "../helpers/test-database";

// SIR's bulk endpoint is ASSUMED (app/sir/assumptions.ts); the documented single submit is the
// contract of record. Against a SIR without one (its bulk path answers 404 as any unknown route
// does), every paid order must still be rewarded exactly once, and none failed.
let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start({ sandbox: { behaviour: { noBulk: true } } });
});
afterAll(() => pipeline?.stop());

describe(`a SIR without a bulk endpoint, on ${testDatabaseKind()}`, () => {
  it("rewards a burst of paid orders once each, one by one, and marks the connection", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    const orders = paidOrders(60);
    const figures = await deliverBurst(
      () => pipeline.app.url,
      orders.map((order) => delivery("orders/paid", shop, order.body)),
    );
    expect(figures.accepted).toBe(orders.length);

    await waitFor(
      async () =>
        (await pipeline.db.reward.count({ where: { shopDomain: shop, workPending: false } })) ===
        orders.length,
      { timeoutMs: 60_000, what: "every order's work done" },
    );
    const rewards = await pipeline.rewards(shop);
    expect(rewards.map((reward) => reward.status)).toEqual(orders.map(() => "rewarded"));
    expect(rewards.filter((reward) => reward.lastError !== null)).toEqual([]);
    expect(rewards.every((reward) => reward.tokensDistributed === TOKENS_PER_ORDER)).toBe(true);

    // Once each at SIR: one action per order, each key submitted alone once.
    const actions = await pipeline.actions(partner.partnerId);
    expect(actions).toHaveLength(orders.length);
    expect(new Set(actions.map((action) => action.idempotencyKey)).size).toBe(orders.length);
    const requests = (await pipeline.sandboxRequests()).filter(
      (request) => request.partnerKeyPrefix === partner.secretKey.slice(0, 16),
    );
    const submitted = sentActions(requests);
    expect(submitted).toHaveLength(orders.length);
    expect(submitted.every((action) => action.status === 200)).toBe(true);
    // Bulk was tried, refused as an unknown route, and then left alone (re-probed hourly).
    const bulkCalls = requests.filter((request) => request.path === "/v1/partner/actions/bulk");
    expect(bulkCalls.length).toBeGreaterThanOrEqual(1);
    expect(bulkCalls.every((request) => request.status === 404)).toBe(true);
    expect(bulkCalls.length).toBeLessThan(orders.length / 10);

    const connection = await pipeline.db.providerConnection.findUniqueOrThrow({
      where: { shopDomain: shop },
    });
    expect(connection.bulkUnavailableSince).not.toBeNull();
  }, 90_000);
});
