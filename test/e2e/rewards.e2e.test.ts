import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { Pipeline } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";
import { runCli } from "../helpers/cli";
import { testDatabaseKind } from "../helpers/test-database";

// From the fixtures (worked out by hand in test/fixtures/shopify/index.ts):
// #1001 pays 118.80 = tees 36.00 − 6.00 + bag 84.00 − 14.00 + shipping 10.00
// + tax 8.80; the default basis excludes shipping and tax: 100.00 USD.
const USD_ORDER_ID = "8817694701178518903";
const USD_CUSTOMER_ID = "8938371904392340610";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

const rewarded = (shop: string, orderId: string) =>
  waitFor(
    async () => {
      const reward = await pipeline.reward(shop, orderId);
      return reward && reward.status !== "pending" ? reward : null;
    },
    { what: `reward for ${orderId}` },
  );

describe(`reward pipeline end to end on ${testDatabaseKind()}`, () => {
  it("turns a paid order into exactly one SIR action with the right amount, customer and key", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    const response = await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    expect(response.status).toBe(200);

    const reward = await rewarded(shop, USD_ORDER_ID);
    expect(reward.status).toBe("rewarded");
    expect(reward.amount).toBe("100.00");
    expect(reward.currency).toBe("USD");
    expect(reward.tokensDistributed).toBe(100);

    const actions = await pipeline.actions(partner.partnerId);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      actionId: reward.actionId,
      idempotencyKey: `shopify:${shop}:order:${USD_ORDER_ID}`,
      amount: 100,
      currency: "USD",
      partnerUserId: USD_CUSTOMER_ID,
      tokensDistributed: 100,
    });
    expect(actions[0].metadata).toMatchObject({ orderName: "#1001", orderId: USD_ORDER_ID });

    // The operator CLI shows the same ledger row.
    const listed = await runCli(["rewards", "list", "--shop", shop, "--json"]);
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual([
      expect.objectContaining({
        orderId: USD_ORDER_ID,
        orderName: "#1001",
        status: "rewarded",
        actionId: reward.actionId,
        amount: "100.00",
        currency: "USD",
        tokensDistributed: 100,
        tokensReversed: 0,
        debt: 0,
        lastError: null,
      }),
    ]);
  });

  it("records one action however often the order is delivered", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    const body = shopifyFixture("orders-paid-usd");
    const sameEvent = randomUUID();
    const deliveries = await Promise.all([
      pipeline.deliver("orders/paid", shop, body, sameEvent),
      pipeline.deliver("orders/paid", shop, body, sameEvent),
      pipeline.deliver("orders/paid", shop, body), // a new event id for the same order
      pipeline.deliver("orders/paid", shop, body),
    ]);
    expect(deliveries.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    await rewarded(shop, USD_ORDER_ID);
    // Give any straggling duplicate time to do damage before counting.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await pipeline.actions(partner.partnerId)).toHaveLength(1);
    expect(await pipeline.rewards(shop)).toHaveLength(1);
  });

  it("reverses 30 % then 70 %: exactly 100 % and every token", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    await rewarded(shop, USD_ORDER_ID);

    await pipeline.deliver("refunds/create", shop, shopifyFixture("refunds-create-partial-30"));
    const partial = await waitFor(
      async () => {
        const reward = await pipeline.reward(shop, USD_ORDER_ID);
        return reward?.status === "partially_reversed" ? reward : null;
      },
      { what: "partial reversal" },
    );
    expect(partial.reversedPercent).toBe("30.00");
    expect(partial.tokensReversed).toBe(30);

    await pipeline.deliver("refunds/create", shop, shopifyFixture("refunds-create-rest-70"));
    const full = await waitFor(
      async () => {
        const reward = await pipeline.reward(shop, USD_ORDER_ID);
        return reward?.status === "reversed" ? reward : null;
      },
      { what: "full reversal" },
    );
    expect(full.reversedPercent).toBe("100.00");
    expect(full.tokensReversed).toBe(100);

    const [action] = await pipeline.actions(partner.partnerId);
    expect(action.reversals.map((r) => r.reversalPercentage)).toEqual([30, 70]);
    expect(action.tokensReversed).toBe(100);
  });

  it("holds a refund that arrives before its order and applies it after", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.deliver("refunds/create", shop, shopifyFixture("refunds-create-partial-30"));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await pipeline.actions(partner.partnerId)).toHaveLength(0);

    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    const reward = await waitFor(
      async () => {
        const row = await pipeline.reward(shop, USD_ORDER_ID);
        return row?.status === "partially_reversed" ? row : null;
      },
      { what: "held refund applied" },
    );
    expect(reward.reversedPercent).toBe("30.00");
    const [action] = await pipeline.actions(partner.partnerId);
    expect(action.reversals).toHaveLength(1);
  });

  it("reverses the remainder once when the order is cancelled after a partial refund", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-usd"));
    await rewarded(shop, USD_ORDER_ID);
    await pipeline.deliver("refunds/create", shop, shopifyFixture("refunds-create-partial-30"));
    const cancelled = shopifyFixture("orders-cancelled-usd");
    await pipeline.deliver("orders/cancelled", shop, cancelled);
    await pipeline.deliver("orders/cancelled", shop, cancelled);

    const reward = await waitFor(
      async () => {
        const row = await pipeline.reward(shop, USD_ORDER_ID);
        return row?.status === "reversed" ? row : null;
      },
      { what: "cancellation" },
    );
    expect(reward.tokensReversed).toBe(100);
    const [action] = await pipeline.actions(partner.partnerId);
    expect(action.reversals.map((r) => r.reversalPercentage)).toEqual([30, 70]);
  });

  it("rewards JPY (no decimals) and tax-inclusive orders on their own basis", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-jpy"));
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-tax-inclusive"));
    // JPY: 2 × 3300 − 330 − tax 570 = 5700, plus 5500 − tax 500 = 5000 → 10700 yen.
    const jpy = await rewarded(shop, "6744891657701337321");
    expect([jpy.amount, jpy.currency, jpy.tokensDistributed]).toEqual(["10700", "JPY", 10700]);
    // EUR, taxes included: 2 × 29.75 − tax 9.50 = 50.00, plus 47.60 − 4.76 − tax 6.84 = 36.00.
    const eur = await rewarded(shop, "8836875978964450908");
    expect([eur.amount, eur.currency, eur.tokensDistributed]).toEqual(["86.00", "EUR", 86]);
    const amounts = (await pipeline.actions(partner.partnerId)).map((a) => [a.amount, a.currency]);
    expect(amounts.sort()).toEqual(
      [
        [10700, "JPY"],
        [86, "EUR"],
      ].sort(),
    );
  });

  it("rewards a guest by email and skips test orders and orders with nobody to reward", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-guest"));
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-test"));
    await pipeline.deliver("orders/paid", shop, shopifyFixture("orders-paid-no-customer"));
    const guest = await rewarded(shop, "6800214504715362580");
    expect(guest.partnerUserId).toBe("email:guest.buyer@example.com");
    const all = await waitFor(async () => {
      const rows = await pipeline.rewards(shop);
      return rows.length === 3 && rows.every((r) => r.status !== "pending") ? rows : null;
    });
    const skipped = all.filter((r) => r.status === "skipped");
    expect(skipped.map((r) => r.skipReason).sort()).toEqual([
      "This is a test order, and test orders are not rewarded (turn on “Reward test orders” to change this).",
      "This order has no customer and no email, so there is nobody to reward.",
    ]);
    const actions = await pipeline.actions(partner.partnerId);
    expect(actions.map((a) => a.partnerUserId)).toEqual(["email:guest.buyer@example.com"]);
  });

  it("fails a signed order it cannot read at once, with the reason, and rewards nothing", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    const response = await pipeline.deliver("orders/paid", shop, '{"id":1,"name":"#9"}');
    expect(response.status).toBe(200);
    const event = await waitFor(() =>
      pipeline.db.webhookEvent.findFirst({ where: { shopDomain: shop, status: "failed" } }),
    );
    expect(event.attempts).toBe(0);
    expect(event.lastError).toMatch(/total_price_set|line_items|admin_graphql_api_id/);
    expect(await pipeline.rewards(shop)).toHaveLength(0);
    expect(await pipeline.actions(partner.partnerId)).toHaveLength(0);
  });
});
