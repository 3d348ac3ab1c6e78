import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { paidOrders } from "../helpers/paid-orders";
import { deliverBurst, delivery } from "../helpers/webhook-burst";
import { printFigures, tallyOrders, waitForIdle } from "../helpers/sir-tally";
import { testDatabaseKind } from "../helpers/test-database";

const ORDERS = 1_000;

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

it(`rewards 1,000 orders delivered 5 times each exactly once (${testDatabaseKind()})`, async () => {
  const { shop, partner } = await pipeline.connectNewShop();
  const orders = paidOrders(ORDERS);
  // Per order: the same event three times (Shopify's redelivery) and two new event ids (one
  // order can reach several subscriptions, or be resent by Shopify after a timeout).
  const deliveries = orders.flatMap(({ body }) => {
    const eventId = randomUUID();
    return [
      delivery("orders/paid", shop, body, eventId),
      delivery("orders/paid", shop, body, eventId),
      delivery("orders/paid", shop, body, eventId),
      delivery("orders/paid", shop, body),
      delivery("orders/paid", shop, body),
    ];
  });
  // 40 in flight: the five copies of an order are adjacent, so they race each other.
  const sent = await deliverBurst(() => pipeline.app.url, deliveries, { concurrency: 40 });
  await waitForIdle(pipeline.db, [shop]);

  const tally = tallyOrders(
    await pipeline.actions(partner.partnerId),
    orders.map((order) => order.orderId),
  );
  printFigures("5 deliveries per order", { orders: ORDERS, ...sent, ...tally });
  expect(sent.accepted).toBe(deliveries.length);
  expect(tally).toEqual({ actionsAtSir: ORDERS, doubles: 0, lost: 0 });
  expect(await pipeline.db.reward.count({ where: { shopDomain: shop } })).toBe(ORDERS);
}, 300_000);
