import { afterAll, beforeAll, describe, expect, it } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { db } from "../db.server";
import { buildShopifyWebhook } from "../../test/helpers/shopify-webhooks";
import { action as ordersPaidRoute } from "../routes/webhooks.orders.paid";
import {
  answerRequest,
  deliveryFromNodeRequest,
  writeAnswer,
  type WebhookDelivery,
} from "./delivery.server";
import { MAX_WEBHOOK_BYTES } from "./request-guards.server";

// A receiver that answers with what it read, so both adapters can be compared.
async function echo(delivery: WebhookDelivery) {
  const body = await delivery.text();
  if (body === null) return { status: 413, message: "Payload too large." };
  const read = {
    method: delivery.method,
    shop: delivery.searchParam("shop"),
    missing: delivery.searchParam("missing"),
    topic: delivery.header("x-shopify-topic"),
    absent: delivery.header("x-absent"),
    body,
  };
  return { status: 200, message: JSON.stringify(read) };
}

let server: http.Server;
let nodeUrl: string;
beforeAll(async () => {
  server = http.createServer((request, response) => {
    void echo(deliveryFromNodeRequest(request)).then((answer) => writeAnswer(response, answer));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  nodeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const init = { method: "POST", headers: { "X-Shopify-Topic": "orders/paid" }, body: "é{}" };
const expected = {
  method: "POST",
  shop: "a.myshopify.com",
  missing: null,
  topic: "orders/paid",
  absent: null,
  body: "é{}",
};

describe("webhook deliveries from Node's request and from a Fetch Request", () => {
  it("read the same method, query, headers and body", async () => {
    const fromNode = await fetch(`${nodeUrl}/hook?shop=a.myshopify.com`, init);
    expect(fromNode.status).toBe(200);
    expect(await fromNode.json()).toEqual(expected);

    const request = new Request("http://app.test/hook?shop=a.myshopify.com", init);
    const fromFetch = await answerRequest(request, echo);
    expect(fromFetch.status).toBe(200);
    expect(await fromFetch.json()).toEqual(expected);
  });

  it("refuse a body declared larger than the limit, answering once the sender has sent it", async () => {
    const oversized = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, "a");
    const fromNode = await fetch(`${nodeUrl}/hook`, { method: "POST", body: oversized });
    expect(fromNode.status).toBe(413);

    const declared = new Request("http://app.test/hook", {
      method: "POST",
      headers: { "Content-Length": String(MAX_WEBHOOK_BYTES + 1) },
      body: "{}",
    });
    expect((await answerRequest(declared, echo)).status).toBe(413);
  });

  it("refuse a streamed body that grows past the limit", async () => {
    const oversized = Buffer.alloc(MAX_WEBHOOK_BYTES + 1, "a");
    const code = await new Promise<number | undefined>((resolve) => {
      const request = http.request(`${nodeUrl}/hook`, { method: "POST" });
      request.on("response", (response) => resolve(response.statusCode));
      request.on("error", () => undefined);
      request.end(oversized);
    });
    expect(code).toBe(413);
    expect(
      (
        await answerRequest(
          new Request("http://app.test/", { method: "POST", body: oversized }),
          echo,
        )
      ).status,
    ).toBe(413);
  });
});

describe("the Remix route of a Shopify webhook (served under `shopify app dev`)", () => {
  it("records a signed delivery as the production endpoint does", async () => {
    const shop = `route-${randomUUID().slice(0, 8)}.myshopify.com`;
    const { rawBody, headers } = buildShopifyWebhook({
      topic: "orders/paid",
      shop,
      body: { id: 5 },
    });
    const request = new Request("http://app.test/webhooks/orders/paid", {
      method: "POST",
      headers,
      body: rawBody,
    });
    const response = await ordersPaidRoute({ request, params: {}, context: {} });
    expect(response.status).toBe(200);
    expect(await db.webhookEvent.count({ where: { shopDomain: shop, topic: "orders/paid" } })).toBe(
      1,
    );

    const forged = new Request("http://app.test/webhooks/orders/paid", {
      method: "POST",
      headers: { ...headers, "X-Shopify-Hmac-Sha256": "forged" },
      body: rawBody,
    });
    expect((await ordersPaidRoute({ request: forged, params: {}, context: {} })).status).toBe(401);
  });
});
