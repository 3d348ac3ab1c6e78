import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";
import { testDatabaseKind } from "../helpers/test-database";
import { runCli } from "../helpers/cli";

const USD_ORDER_ID = "8817694701178518903";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

const statusOf = async (shop: string, orderId: string) =>
  (await pipeline.reward(shop, orderId))?.status;

describe(`failures and recovery on ${testDatabaseKind()}`, () => {
  it("parks rewards on an empty pool and resumes them when SIR says it was refilled", async () => {
    const { shop, partner } = await pipeline.connectNewShop({ poolBalance: 0 });
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    await waitFor(async () => (await statusOf(shop, USD_ORDER_ID)) === "parked", {
      what: "parked reward",
    });
    // A second order arrives while the pool is empty: parked at once, no call to SIR.
    const second = shopifyFixture("orders-paid-usd", { idOffset: 1 });
    await pipeline.deliver("orders/paid", shop, second);
    const secondId = (BigInt(USD_ORDER_ID) + 1n).toString();
    await waitFor(async () => (await statusOf(shop, secondId)) === "parked");
    const connection = await pipeline.db.providerConnection.findUnique({
      where: { shopDomain: shop },
    });
    expect(connection?.poolEmptySince).not.toBeNull();
    expect(await pipeline.actions(partner.partnerId)).toHaveLength(0);

    // The sandbox fires token_pool.refilled at the app's SIR webhook.
    await pipeline.control("POST", `pools/${partner.poolId}/refill`, { amount: 10_000 });
    await waitFor(
      async () =>
        (await statusOf(shop, USD_ORDER_ID)) === "rewarded" &&
        (await statusOf(shop, secondId)) === "rewarded",
      { what: "resumed rewards" },
    );
    expect(await pipeline.actions(partner.partnerId)).toHaveLength(2);
  });

  it("rides out a SIR outage (503) and rewards once after recovery", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.control("POST", "faults", { outage: true });
    try {
      await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
      const waiting = await waitFor(
        async () => {
          const reward = await pipeline.reward(shop, USD_ORDER_ID);
          return reward?.lastError ? reward : null;
        },
        { what: "a retry scheduled during the outage" },
      );
      expect(waiting.status).toBe("pending");
      expect(waiting.lastError).toMatch(/unavailable/);
    } finally {
      await pipeline.control("DELETE", "faults");
    }
    const reward = await waitFor(
      async () => {
        const row = await pipeline.reward(shop, USD_ORDER_ID);
        return row?.status === "rewarded" ? row : null;
      },
      { what: "reward after recovery" },
    );
    expect(reward.attempts).toBe(0);
    expect(await pipeline.actions(partner.partnerId)).toHaveLength(1);
  });

  it("marks a refused reversal failed with the reason, and the merchant's retry completes it", async () => {
    const { shop, partner } = await pipeline.connectNewShop({
      scopes: ["actions:write", "actions:read", "pools:read", "webhooks:write", "webhooks:read"],
    });
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    await waitFor(async () => (await statusOf(shop, USD_ORDER_ID)) === "rewarded");
    await pipeline.deliver("refunds/create", shop, shopifyFixture("refunds-create-partial-30"));
    const refused = await waitFor(async () =>
      pipeline.db.reversal.findFirst({ where: { status: "failed", reward: { shopDomain: shop } } }),
    );
    expect(refused.lastError).toMatch(/actions:reverse/);
    expect((await pipeline.actions(partner.partnerId))[0].reversals).toHaveLength(0);

    // The merchant gets a key with the scope, reconnects, and retries.
    const fullKey = await pipeline.control<Record<string, string>>(
      "POST",
      `partners/${partner.partnerId}/keys`,
      {},
    );
    await pipeline.reconnect(shop, { ...partner, ...fullKey });
    const retried = await runCli(["rewards", "retry", "--shop", shop, "--order", USD_ORDER_ID]);
    expect(retried.code).toBe(0);
    const reward = await waitFor(async () => {
      const row = await pipeline.reward(shop, USD_ORDER_ID);
      return row?.status === "partially_reversed" ? row : null;
    });
    expect(reward.tokensReversed).toBe(30);
    expect((await pipeline.actions(partner.partnerId))[0].reversals).toHaveLength(1);
  });

  it("loses and doubles nothing when the app is killed mid-queue", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    // Slow SIR down so the kill lands while requests are in flight.
    await pipeline.control("POST", "faults", { latencyMs: 150 });
    const orders = 40;
    for (let i = 0; i < orders; i++) {
      const response = await pipeline.deliver(
        "orders/paid",
        shop,
        shopifyFixture("orders-paid-usd", { idOffset: 1000 + i }),
      );
      expect(response.status).toBe(200);
    }
    await waitFor(
      async () =>
        (await pipeline.db.reward.count({ where: { shopDomain: shop, status: "rewarded" } })) > 0,
    );
    await pipeline.restartApp({ kill: true });
    await pipeline.control("DELETE", "faults");
    await waitFor(
      async () =>
        (await pipeline.db.reward.count({ where: { shopDomain: shop, status: "rewarded" } })) ===
        orders,
      { timeoutMs: 60_000, what: "every order rewarded after the restart" },
    );
    const actions = await pipeline.actions(partner.partnerId);
    expect(actions).toHaveLength(orders);
    expect(new Set(actions.map((a) => a.idempotencyKey)).size).toBe(orders);
  }, 90_000);
});
