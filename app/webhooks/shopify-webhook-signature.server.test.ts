import { describe, expect, it } from "vitest";
import { buildShopifyWebhook } from "../../test/helpers/shopify-webhooks";
import { verifyShopifyWebhook } from "./shopify-webhook-signature.server";

const SECRET = "app-secret";

function verify(mutate?: (headers: Record<string, string>) => void, rawBody?: string) {
  const delivery = buildShopifyWebhook({
    topic: "orders/paid",
    shop: "sig.myshopify.com",
    body: '{"id":1}',
    secret: SECRET,
    eventId: "evt-9",
    webhookId: "wh-9",
    triggeredAt: "2026-11-21T10:00:00.000Z",
  });
  const headers = Object.fromEntries(
    Object.entries(delivery.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  mutate?.(headers);
  return verifyShopifyWebhook({
    secret: SECRET,
    header: (name) => headers[name] ?? null,
    rawBody: rawBody ?? delivery.rawBody,
  });
}

describe("verifyShopifyWebhook", () => {
  it("accepts Shopify's signature and reads the delivery's headers", () => {
    expect(verify()).toEqual({
      ok: true,
      headers: {
        topic: "orders/paid",
        shopDomain: "sig.myshopify.com",
        apiVersion: "2026-10",
        webhookId: "wh-9",
        eventId: "evt-9",
        triggeredAt: "2026-11-21T10:00:00.000Z",
      },
    });
  });

  it("refuses a body changed after signing", () => {
    expect(verify(undefined, '{"id":2}')).toEqual({ ok: false, reason: "invalid_hmac" });
  });

  it("refuses another secret's signature, a truncated one and one with extra characters", () => {
    const wrong = verifyShopifyWebhook({
      secret: "other",
      header: (name) =>
        name === "x-shopify-hmac-sha256" ? "A971iWIMgT8Zj9A9eWfikrFj7wQ16/Qwcc4OlRl2PLc=" : "x",
      rawBody: '{"id":1}',
    });
    expect(wrong).toEqual({ ok: false, reason: "invalid_hmac" });
    const cut = (headers: Record<string, string>) =>
      (headers["x-shopify-hmac-sha256"] = headers["x-shopify-hmac-sha256"].slice(0, -2));
    expect(verify(cut)).toEqual({ ok: false, reason: "invalid_hmac" });
    // Base64 decoding would skip the "!"; the header is compared as sent.
    const padded = (headers: Record<string, string>) =>
      (headers["x-shopify-hmac-sha256"] = `!${headers["x-shopify-hmac-sha256"].slice(1)}`);
    expect(verify(padded)).toEqual({ ok: false, reason: "invalid_hmac" });
  });

  it("tells a missing signature from a wrong one", () => {
    expect(verify((headers) => delete headers["x-shopify-hmac-sha256"])).toEqual({
      ok: false,
      reason: "missing_hmac",
    });
  });

  it.each([
    "x-shopify-topic",
    "x-shopify-shop-domain",
    "x-shopify-api-version",
    "x-shopify-webhook-id",
  ])("refuses a signed delivery without %s", (name) => {
    expect(verify((headers) => delete headers[name])).toEqual({
      ok: false,
      reason: "missing_headers",
    });
  });

  it("leaves the event id and trigger time out when Shopify does", () => {
    const result = verify((headers) => {
      delete headers["x-shopify-event-id"];
      delete headers["x-shopify-triggered-at"];
    });
    expect(result.ok && result.headers).toMatchObject({ eventId: null, triggeredAt: null });
  });
});
