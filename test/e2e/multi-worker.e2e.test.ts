import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { sentActions } from "../helpers/sandbox-control";
import { startAppServer, type AppServer } from "../helpers/app-server";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";
import { testDatabaseKind } from "../helpers/test-database";
import { deliverShopifyWebhook } from "../helpers/shopify-webhooks";

// Several app processes share the production database (PostgreSQL); the
// embedded SQLite default is one process by design, so this runs on PostgreSQL.
const onPostgres = testDatabaseKind() === "postgresql";

const title = onPostgres
  ? "two workers on one PostgreSQL database"
  : "two workers on one database (skipped: needs TEST_DATABASE=postgresql; SQLite is one process)";

describe.skipIf(!onPostgres)(title, () => {
  let pipeline: Pipeline;
  let second: AppServer;
  beforeAll(async () => {
    pipeline = await Pipeline.start();
    second = await startAppServer();
  });
  afterAll(async () => {
    await second?.stop();
    await pipeline?.stop();
  });

  it("processes every order exactly once, never the same one in both", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    await pipeline.control("POST", "faults", { latencyMs: 20 });
    const orders = 200;
    const submitsBefore = await submitCount(pipeline);
    // Half the deliveries reach each process, as behind a load balancer.
    await Promise.all(
      Array.from({ length: orders }, (_, i) =>
        fetchDelivery(i % 2 === 0 ? pipeline.app.url : second.url, shop, i),
      ),
    );
    await waitFor(
      async () =>
        (await pipeline.db.reward.count({ where: { shopDomain: shop, status: "rewarded" } })) ===
        orders,
      { timeoutMs: 60_000, what: "all rewarded" },
    );
    await pipeline.control("DELETE", "faults");
    const actions = await pipeline.actions(partner.partnerId);
    expect(actions).toHaveLength(orders);
    // One purchase sent per order: no order was sent by both workers (that would show
    // as a second, replayed submit for the same key).
    expect((await submitCount(pipeline)) - submitsBefore).toBe(orders);
  }, 90_000);

  it("applies a refund that one process records while the other is sending its order", async () => {
    const { shop, partner } = await pipeline.connectNewShop();
    // SIR answers slowly, so the refund lands while the first worker holds the reward.
    await pipeline.control("POST", "faults", { latencyMs: 1_500 });
    try {
      await deliverShopifyWebhook(pipeline.app.url, {
        topic: "orders/paid",
        shop,
        body: shopifyFixture("orders-paid-usd"),
      });
      await waitFor(
        async () => {
          const row = await pipeline.reward(shop, USD_ORDER_ID);
          return row?.lockedBy ? row : null;
        },
        { what: "the first worker's claim on the reward" },
      );
      await deliverShopifyWebhook(second.url, {
        topic: "refunds/create",
        shop,
        body: shopifyFixture("refunds-create-partial-30"),
      });
      const reward = await waitFor(
        async () => {
          const row = await pipeline.reward(shop, USD_ORDER_ID);
          return row?.status === "partially_reversed" && !row.workPending ? row : null;
        },
        { what: "the refund applied", timeoutMs: 20_000 },
      );
      // Whichever worker finishes last, the reward keeps its reversal.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const settled = await pipeline.reward(shop, USD_ORDER_ID);
      expect(settled).toMatchObject({ status: "partially_reversed", reversedPercent: "30.00" });
      expect(settled?.tokensReversed).toBe(reward.tokensReversed);
      const actions = await pipeline.actions(partner.partnerId);
      expect(actions).toHaveLength(1);
      expect(actions[0].reversals).toHaveLength(1);
    } finally {
      await pipeline.control("DELETE", "faults");
    }
  }, 60_000);
});

// #1001 of the fixtures; refunds-create-partial-30 refunds 30 % of its basis.
const USD_ORDER_ID = "8817694701178518903";

/** Purchases sent to SIR, alone or in bulk calls. */
async function submitCount(pipeline: Pipeline) {
  return sentActions(await pipeline.sandboxRequests()).length;
}

async function fetchDelivery(appUrl: string, shop: string, i: number) {
  const response = await deliverShopifyWebhook(appUrl, {
    topic: "orders/paid",
    shop,
    body: shopifyFixture("orders-paid-usd", { idOffset: 5000 + i }),
  });
  if (response.status !== 200) throw new Error(`delivery ${i}: ${response.status}`);
}
