import { config } from "../config.server";
import { recordWebhookEvent } from "../models/WebhookEvent.server";
import { logger } from "../logger.server";
import { wakeWorker } from "../jobs/wake.server";
import { noteShopifyDelivery } from "../jobs/delivery-rate.server";
import type { WebhookAnswer, WebhookDelivery } from "./delivery.server";
import { verifyShopifyWebhook } from "./shopify-webhook-signature.server";

const log = logger.child({ component: "shopify-webhooks" });

function parseTriggeredAt(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Every Shopify webhook endpoint is this: authenticate (HMAC over the raw body: 401 when wrong,
// 400 when a required header is missing, as authenticate.webhook answers), record durably,
// answer 200. The work happens later in a worker, so Shopify's 5-second budget is never at risk.
export async function receiveShopifyWebhook(delivery: WebhookDelivery): Promise<WebhookAnswer> {
  if (delivery.method !== "POST") return { status: 405 };
  noteShopifyDelivery();
  const rawBody = await delivery.text();
  if (rawBody === null) return { status: 413, message: "Payload too large." };
  const verification = verifyShopifyWebhook({
    secret: config.shopifyApiSecret,
    header: delivery.header,
    rawBody,
  });
  if (!verification.ok) return { status: verification.reason === "invalid_hmac" ? 401 : 400 };
  const webhook = verification.headers;
  // The event id is stable across redeliveries; the webhook id is the fallback for senders
  // that do not send one.
  const eventKey = webhook.eventId ?? webhook.webhookId;
  const { duplicate } = await recordWebhookEvent({
    source: "shopify",
    shopDomain: webhook.shopDomain,
    topic: webhook.topic,
    eventKey,
    apiVersion: webhook.apiVersion,
    triggeredAt: parseTriggeredAt(webhook.triggeredAt),
    payload: rawBody,
  });
  if (!duplicate) wakeWorker();
  log.info(duplicate ? "webhook duplicate ignored" : "webhook recorded", {
    topic: webhook.topic,
    shop: webhook.shopDomain,
    eventId: eventKey,
    webhookId: webhook.webhookId,
  });
  return { status: 200 };
}
