import { createHmac, timingSafeEqual } from "node:crypto";

/** The headers of a Shopify webhook delivery that the app reads. */
export type ShopifyWebhookHeaders = {
  topic: string;
  shopDomain: string;
  apiVersion: string;
  webhookId: string;
  /** Stable across redeliveries of one event; older senders leave it out. */
  eventId: string | null;
  triggeredAt: string | null;
};

export type ShopifyWebhookVerification =
  | { ok: true; headers: ShopifyWebhookHeaders }
  | { ok: false; reason: "missing_hmac" | "invalid_hmac" | "missing_headers" };

const REQUIRED = {
  topic: "x-shopify-topic",
  shopDomain: "x-shopify-shop-domain",
  apiVersion: "x-shopify-api-version",
  webhookId: "x-shopify-webhook-id",
} as const;

/**
 * Shopify's webhook check, as @shopify/shopify-api's webhooks.validate makes it: the
 * X-Shopify-Hmac-Sha256 header must be the base64 HMAC-SHA256 of the raw body under the app's
 * secret, and the topic, shop, API version and webhook id headers must be there. Done here with
 * one node:crypto HMAC because it runs on every delivery: the library first converts the request
 * and canonicalises its headers, then signs through WebCrypto, several times the cost.
 */
export function verifyShopifyWebhook(input: {
  secret: string;
  header: (lowerCaseName: string) => string | null;
  rawBody: string;
}): ShopifyWebhookVerification {
  const hmac = input.header("x-shopify-hmac-sha256");
  if (!hmac) return { ok: false, reason: "missing_hmac" };
  const expected = Buffer.from(
    createHmac("sha256", input.secret).update(input.rawBody, "utf8").digest("base64"),
  );
  // Compared as text: decoding the header would let other strings pass for the same bytes.
  const received = Buffer.from(hmac);
  // The length is public (44 characters); timingSafeEqual needs equal lengths.
  if (received.length !== expected.length || !timingSafeEqual(received, expected)) {
    return { ok: false, reason: "invalid_hmac" };
  }
  const topic = input.header(REQUIRED.topic);
  const shopDomain = input.header(REQUIRED.shopDomain);
  const apiVersion = input.header(REQUIRED.apiVersion);
  const webhookId = input.header(REQUIRED.webhookId);
  if (!topic || !shopDomain || !apiVersion || !webhookId) {
    return { ok: false, reason: "missing_headers" };
  }
  return {
    ok: true,
    headers: {
      topic,
      shopDomain,
      apiVersion,
      webhookId,
      eventId: input.header("x-shopify-event-id") || null,
      triggeredAt: input.header("x-shopify-triggered-at") || null,
    },
  };
}
