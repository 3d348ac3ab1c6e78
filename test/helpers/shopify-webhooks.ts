import { createHmac, randomUUID } from "node:crypto";
import { TEST_APP_ENV } from "./app-env";

export type ShopifyWebhookDelivery = {
  topic: string;
  shop: string;
  body: string | object;
  secret?: string;
  eventId?: string;
  webhookId?: string;
  apiVersion?: string;
  triggeredAt?: string;
};

// Shopify's signature: base64 HMAC-SHA256 of the raw body with the app secret.
export function signShopifyWebhook(rawBody: string, secret: string): string {
  return createHmac("sha256", secret).update(rawBody, "utf8").digest("base64");
}

export function buildShopifyWebhook(delivery: ShopifyWebhookDelivery) {
  const rawBody = typeof delivery.body === "string" ? delivery.body : JSON.stringify(delivery.body);
  const headers: Record<string, string> = {
    "Content-Type": "application/json",
    "X-Shopify-Topic": delivery.topic,
    "X-Shopify-Shop-Domain": delivery.shop,
    "X-Shopify-Hmac-Sha256": signShopifyWebhook(
      rawBody,
      delivery.secret ?? TEST_APP_ENV.SHOPIFY_API_SECRET,
    ),
    "X-Shopify-Webhook-Id": delivery.webhookId ?? randomUUID(),
    "X-Shopify-Event-Id": delivery.eventId ?? randomUUID(),
    "X-Shopify-API-Version": delivery.apiVersion ?? "2026-10",
    "X-Shopify-Triggered-At": delivery.triggeredAt ?? new Date().toISOString(),
  };
  return { rawBody, headers };
}

export function webhookPath(topic: string): string {
  return `/webhooks/${topic}`;
}

export async function deliverShopifyWebhook(
  baseUrl: string,
  delivery: ShopifyWebhookDelivery,
  mutate?: (request: { rawBody: string; headers: Record<string, string> }) => void,
): Promise<Response> {
  const request = buildShopifyWebhook(delivery);
  mutate?.(request);
  return fetch(new URL(webhookPath(delivery.topic), baseUrl), {
    method: "POST",
    headers: request.headers,
    body: request.rawBody,
  });
}
