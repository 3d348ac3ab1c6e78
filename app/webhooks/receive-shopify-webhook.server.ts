import { WebhookValidationErrorReason } from "@shopify/shopify-api";
import { validateWebhook } from "../shopify.server";
import { recordWebhookEvent } from "../models/WebhookEvent.server";
import { logger } from "../logger.server";
import { wakeWorker } from "../jobs/wake.server";
import { noteShopifyDelivery } from "../jobs/delivery-rate.server";
import { readBodyWithLimit } from "./request-guards.server";

const log = logger.child({ component: "shopify-webhooks" });

function parseTriggeredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Every Shopify webhook route is this: authenticate (HMAC over the raw body: 401 when wrong,
// 400 when a required header is missing, as authenticate.webhook answers), record durably,
// answer 200. The work happens later in a worker, so Shopify's 5-second budget is never at risk.
export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  if (request.method !== "POST") return new Response(null, { status: 405 });
  noteShopifyDelivery();
  const rawBody = await readBodyWithLimit(request);
  if (rawBody === null) return new Response("Payload too large.", { status: 413 });
  const webhook = await validateWebhook(rawBody, request);
  if (!webhook.valid) {
    const wrongHmac = webhook.reason === WebhookValidationErrorReason.InvalidHmac;
    return new Response(null, { status: wrongHmac ? 401 : 400 });
  }
  const topic = request.headers.get("x-shopify-topic") ?? String(webhook.topic);
  // Event id is stable across redeliveries; the webhook id is the fallback for
  // senders that do not send one.
  const eventKey = ("eventId" in webhook && webhook.eventId) || webhook.webhookId;
  const { duplicate } = await recordWebhookEvent({
    source: "shopify",
    shopDomain: webhook.domain,
    topic,
    eventKey,
    apiVersion: webhook.apiVersion,
    triggeredAt: parseTriggeredAt(webhook.triggeredAt),
    payload: rawBody,
  });
  if (!duplicate) wakeWorker();
  log.info(duplicate ? "webhook duplicate ignored" : "webhook recorded", {
    topic,
    shop: webhook.domain,
    eventKey,
  });
  return new Response(null, { status: 200 });
}
