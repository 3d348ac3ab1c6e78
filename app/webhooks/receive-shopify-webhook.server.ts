import { authenticate } from "../shopify.server";
import { recordWebhookEvent } from "../models/WebhookEvent.server";
import { logger } from "../logger.server";
import { wakeWorker } from "../jobs/wake.server";
import { readBodyWithLimit } from "./request-guards.server";

const log = logger.child({ component: "shopify-webhooks" });

function parseTriggeredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

// Every Shopify webhook route is this: authenticate (HMAC over the raw body;
// the library throws 401/400 responses), record durably, answer 200. The work
// happens later in a worker, so Shopify's 5-second budget is never at risk.
export async function receiveShopifyWebhook(request: Request): Promise<Response> {
  const rawBody = await readBodyWithLimit(request.clone());
  if (rawBody === null) return new Response("Payload too large.", { status: 413 });
  const webhook = await authenticate.webhook(request);
  const topic = request.headers.get("x-shopify-topic") ?? String(webhook.topic);
  // Event id is stable across redeliveries; the webhook id is the fallback for
  // senders that do not send one.
  const eventKey = webhook.eventId || webhook.webhookId;
  const { duplicate } = await recordWebhookEvent({
    source: "shopify",
    shopDomain: webhook.shop,
    topic,
    eventKey,
    apiVersion: webhook.apiVersion,
    triggeredAt: parseTriggeredAt(webhook.triggeredAt),
    payload: rawBody,
  });
  if (!duplicate) wakeWorker();
  log.info(duplicate ? "webhook duplicate ignored" : "webhook recorded", {
    topic,
    shop: webhook.shop,
    eventKey,
  });
  return new Response(null, { status: 200 });
}
