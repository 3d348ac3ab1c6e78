import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Pipeline } from "../helpers/pipeline";
import { waitFor } from "../helpers/wait-for";
import { shopifyFixture } from "../fixtures/shopify";
import { runCli } from "../helpers/cli";
import { deliverShopifyWebhook } from "../helpers/shopify-webhooks";
import { testDatabaseKind } from "../helpers/test-database";
import { signSirWebhook } from "../../app/sir";
import { decryptCredentials } from "../../app/models/ProviderConnection.server";

const USD_ORDER_ID = "8817694701178518903";
const USD_CUSTOMER_ID = "8938371904392340610";

let pipeline: Pipeline;
beforeAll(async () => {
  pipeline = await Pipeline.start();
});
afterAll(() => pipeline?.stop());

async function rewardedShop() {
  const connected = await pipeline.connectNewShop();
  await pipeline.deliver("orders/paid", connected.shop, shopifyFixture("orders-paid-usd"));
  await waitFor(
    async () => (await pipeline.reward(connected.shop, USD_ORDER_ID))?.status === "rewarded",
  );
  return connected;
}

const eventDone = (shop: string, topic: string) =>
  waitFor(async () =>
    pipeline.db.webhookEvent.findFirst({ where: { shopDomain: shop, topic, status: "done" } }),
  );

describe(`compliance and lifecycle webhooks on ${testDatabaseKind()}`, () => {
  it("answers customers/data_request with the customer's ledger, retrievable by CLI", async () => {
    const { shop } = await rewardedShop();
    const body = `{"shop_id":1,"shop_domain":"${shop}","orders_requested":[${USD_ORDER_ID}],"customer":{"id":${USD_CUSTOMER_ID},"email":"ada@example.com"},"data_request":{"id":9999}}`;
    await pipeline.deliver("customers/data_request", shop, body);
    await eventDone(shop, "customers/data_request");
    const listed = await runCli(["data-requests", "list", "--shop", shop]);
    expect(listed.code).toBe(0);
    const [request] = JSON.parse(listed.stdout);
    expect(request.customerId).toBe(USD_CUSTOMER_ID);
    expect(request.data.rewards).toEqual([
      expect.objectContaining({ orderId: USD_ORDER_ID, amount: "100.00", tokensDistributed: 100 }),
    ]);
  });

  it("erases the customer's personal data on customers/redact and keeps the amounts", async () => {
    const { shop } = await rewardedShop();
    const before = await pipeline.reward(shop, USD_ORDER_ID);
    expect(before?.customerEmail).not.toBeNull();
    const body = `{"shop_id":1,"shop_domain":"${shop}","customer":{"id":${USD_CUSTOMER_ID},"email":"x@example.com"},"orders_to_redact":[${USD_ORDER_ID}]}`;
    await pipeline.deliver("customers/redact", shop, body);
    await eventDone(shop, "customers/redact");
    const after = await pipeline.reward(shop, USD_ORDER_ID);
    expect(after).toMatchObject({
      customerEmail: null,
      customerFirstName: null,
      customerLastName: null,
      customerId: null,
      amount: "100.00",
      tokensDistributed: 100,
    });
    const paid = await pipeline.db.webhookEvent.findFirst({
      where: { shopDomain: shop, topic: "orders/paid" },
    });
    expect(paid?.payload).toBe('{"redacted":true}');
  });

  it("erases everything of the shop on shop/redact", async () => {
    const { shop } = await rewardedShop();
    await pipeline.deliver("shop/redact", shop, `{"shop_id":1,"shop_domain":"${shop}"}`);
    await waitFor(
      async () => (await pipeline.db.reward.count({ where: { shopDomain: shop } })) === 0,
    );
    expect(await pipeline.db.providerConnection.count({ where: { shopDomain: shop } })).toBe(0);
    expect(
      await pipeline.db.webhookEvent.count({ where: { shopDomain: shop, topic: "orders/paid" } }),
    ).toBe(0);
  });

  it("removes sessions on uninstall, but a late uninstall never wipes a newer install", async () => {
    const shop = `lifecycle-${Date.now()}.myshopify.com`;
    await pipeline.db.shop.create({ data: { domain: shop, installedAt: new Date() } });
    await pipeline.db.session.create({
      data: { id: `offline_${shop}`, shop, state: "s", isOnline: false, accessToken: "shpat_x" },
    });
    const uninstall = (triggeredAt: Date, eventId: string) =>
      deliverShopifyWebhook(pipeline.app.url, {
        topic: "app/uninstalled",
        shop,
        body: `{"id":1,"domain":"${shop}"}`,
        eventId,
        triggeredAt: triggeredAt.toISOString(),
      });

    // Triggered an hour before the current installation: stale.
    await uninstall(new Date(Date.now() - 3_600_000), "late");
    await waitFor(async () =>
      pipeline.db.webhookEvent.findFirst({
        where: { shopDomain: shop, eventKey: "late", status: "done" },
      }),
    );
    expect(await pipeline.db.session.count({ where: { shop } })).toBe(1);

    await uninstall(new Date(Date.now() + 1_000), "current");
    await waitFor(async () => (await pipeline.db.session.count({ where: { shop } })) === 0);
    expect(
      (await pipeline.db.shop.findUnique({ where: { domain: shop } }))?.uninstalledAt,
    ).not.toBeNull();
  });
});

describe(`SIR's webhooks on ${testDatabaseKind()}`, () => {
  const deliverSir = (
    shop: string,
    body: string,
    secret: string,
    timestamp = Math.floor(Date.now() / 1000),
  ) =>
    fetch(`${pipeline.app.url}/webhooks/sir?shop=${shop}`, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "X-SIR-Timestamp": String(timestamp),
        "X-SIR-Signature": signSirWebhook({ secret, timestamp: String(timestamp), rawBody: body }),
      },
      body,
    });

  it("accepts a signed event once, and refuses wrong, stale or unknown-shop signatures", async () => {
    const { shop } = await pipeline.connectNewShop();
    const connection = await pipeline.db.providerConnection.findUniqueOrThrow({
      where: { shopDomain: shop },
    });
    const secret = decryptCredentials(connection).webhookSecret!;
    expect(secret).toMatch(/^whsec_/);
    const body = JSON.stringify({
      id: `evt_${Date.now()}`,
      type: "token_pool.low_balance",
      createdAt: new Date().toISOString(),
      data: { poolId: "p" },
    });
    const countEvents = () =>
      pipeline.db.webhookEvent.count({ where: { shopDomain: shop, source: "sir" } });

    expect((await deliverSir(shop, body, "whsec_wrong")).status).toBe(401);
    expect((await deliverSir(shop, body, secret, Math.floor(Date.now() / 1000) - 600)).status).toBe(
      401,
    );
    expect((await deliverSir("unknown-shop.myshopify.com", body, secret)).status).toBe(401);
    expect((await deliverSir("not a shop", body, secret)).status).toBe(400);
    expect(await countEvents()).toBe(0);

    expect((await deliverSir(shop, body, secret)).status).toBe(200);
    expect((await deliverSir(shop, body, secret)).status).toBe(200);
    expect(await countEvents()).toBe(1);
    await waitFor(
      async () =>
        (await pipeline.db.providerConnection.findUnique({ where: { shopDomain: shop } }))
          ?.poolLowAt,
    );
  });
});
