import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createDatabase } from "../../app/db.server";
import { startAppServer, type AppServer } from "../helpers/app-server";
import {
  deliverShopifyWebhook,
  signShopifyWebhook,
  webhookPath,
} from "../helpers/shopify-webhooks";
import { WEBHOOK_ENDPOINTS } from "../../app/webhooks/webhook-endpoints.server";

// Every subscription shopify.app.toml declares: its topic and the URI Shopify delivers it to.
const SUBSCRIPTIONS = [
  ...readFileSync(join(import.meta.dirname, "..", "..", "shopify.app.toml"), "utf8").matchAll(
    /^\s*(?:compliance_)?topics = \["([^"]+)"\]\s*\n\s*uri = "([^"]+)"/gm,
  ),
].map(([, topic, uri]) => ({ topic, uri }));
const TOPICS = SUBSCRIPTIONS.map(({ topic }) => topic);

const db = createDatabase(process.env.DATABASE_URL);
let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
});
afterAll(async () => {
  await app?.stop();
  await db.$disconnect();
});

const uniqueShop = () => `hooks-${randomUUID().slice(0, 8)}.myshopify.com`;
const eventsFor = (shopDomain: string) => db.webhookEvent.findMany({ where: { shopDomain } });

describe("Shopify webhook routes", () => {
  it("has an endpoint at the URI of every subscription shopify.app.toml declares", () => {
    expect(TOPICS).toHaveLength(8);
    for (const { topic, uri } of SUBSCRIPTIONS) {
      expect(uri).toBe(webhookPath(topic));
      expect(WEBHOOK_ENDPOINTS.has(uri)).toBe(true);
    }
  });

  it.each(TOPICS)("accepts a correctly signed %s delivery and records it once", async (topic) => {
    const shop = uniqueShop();
    // Raw text: the 18-digit id cannot survive a JS number, and must not need to.
    const body = `{"id":820982911946154508,"topic":"${topic}"}`;
    const response = await deliverShopifyWebhook(app.url, { topic, shop, body, eventId: "evt-1" });
    expect(response.status).toBe(200);

    const events = await eventsFor(shop);
    expect(events).toHaveLength(1);
    expect(events[0].topic).toBe(topic);
    expect(events[0].eventKey).toBe("evt-1");
    // The raw body is kept byte for byte.
    expect(events[0].payload).toBe(body);

    // Shopify redelivers with the same event id: acknowledged, not recorded twice.
    const again = await deliverShopifyWebhook(app.url, { topic, shop, body, eventId: "evt-1" });
    expect(again.status).toBe(200);
    expect(await eventsFor(shop)).toHaveLength(1);
  });

  it("falls back to the webhook id when there is no event id", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(
      app.url,
      { topic: "orders/paid", shop, body: { id: 1 }, webhookId: "wh-77" },
      (request) => delete request.headers["X-Shopify-Event-Id"],
    );
    expect(response.status).toBe(200);
    expect((await eventsFor(shop))[0]?.eventKey).toBe("wh-77");
  });

  it("accepts a signed delivery among the many headers proxies add, its own in any case", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(
      app.url,
      { topic: "orders/paid", shop, body: { id: 2 }, eventId: "evt-proxied" },
      (request) => {
        for (let index = 0; index < 40; index++) request.headers[`X-Proxy-Hop-${index}`] = "1";
        const hmac = request.headers["X-Shopify-Hmac-Sha256"];
        delete request.headers["X-Shopify-Hmac-Sha256"];
        request.headers["x-shopify-hmac-SHA256"] = hmac;
      },
    );
    expect(response.status).toBe(200);
    expect((await eventsFor(shop))[0]?.eventKey).toBe("evt-proxied");
  });

  it("answers 401 to a wrong secret and records nothing", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(app.url, {
      topic: "orders/paid",
      shop,
      body: { id: 1 },
      secret: "not-the-app-secret",
    });
    expect(response.status).toBe(401);
    expect(await eventsFor(shop)).toHaveLength(0);
  });

  it("answers 401 when the body was altered after signing", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(
      app.url,
      { topic: "orders/paid", shop, body: { id: 1, total_price: "10.00" } },
      (request) => {
        request.rawBody = request.rawBody.replace("10.00", "99.00");
      },
    );
    expect(response.status).toBe(401);
    expect(await eventsFor(shop)).toHaveLength(0);
  });

  it("rejects a delivery without the HMAC header", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(
      app.url,
      { topic: "orders/paid", shop, body: { id: 1 } },
      (request) => delete request.headers["X-Shopify-Hmac-Sha256"],
    );
    expect([400, 401]).toContain(response.status);
    expect(await eventsFor(shop)).toHaveLength(0);
  });

  it("answers 400 to a signed delivery without its topic header", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(
      app.url,
      { topic: "orders/paid", shop, body: { id: 1 } },
      (request) => delete request.headers["X-Shopify-Topic"],
    );
    expect(response.status).toBe(400);
    expect(await eventsFor(shop)).toHaveLength(0);
  });

  it("answers 400 to a signed delivery without the shop header", async () => {
    const shop = uniqueShop();
    const response = await deliverShopifyWebhook(
      app.url,
      { topic: "orders/paid", shop, body: { id: 1 } },
      (request) => delete request.headers["X-Shopify-Shop-Domain"],
    );
    expect(response.status).toBe(400);
    expect(await eventsFor(shop)).toHaveLength(0);
  });

  it("signs like Shopify: base64 HMAC-SHA256 of the raw body", () => {
    // Checked against `openssl dgst -sha256 -hmac secret -binary | base64`.
    expect(signShopifyWebhook('{"id":1}', "secret")).toBe(
      "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=",
    );
  });
});

describe("health check", () => {
  it("answers liveness, and readiness with the database reachable", async () => {
    const live = await fetch(new URL("/healthz", app.url));
    expect(live.status).toBe(200);
    expect(await live.text()).toBe("ok\n");
    const ready = await fetch(new URL("/readyz", app.url));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: "ready",
      checks: { database: { ok: true } },
    });
  });
});
