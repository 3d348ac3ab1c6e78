import { parseSirWebhookEnvelope, verifySirWebhookSignature, webhookDedupeKey } from "../sir";
import { findWebhookSecret } from "../models/ProviderConnection.server";
import { recordWebhookEvent } from "../models/WebhookEvent.server";
import { wakeWorker } from "../jobs/wake.server";
import { logger } from "../logger.server";
import { isShopDomain } from "./request-guards.server";
import type { WebhookAnswer, WebhookDelivery } from "./delivery.server";

const log = logger.child({ component: "sir-webhooks" });

// SIR's webhooks for one shop: /webhooks/sir?shop=<domain>, signed with the
// secret SIR returned when the app registered the webhook (stored encrypted).
// Verify, record, answer: processing happens in the worker.
export async function receiveSirWebhook(delivery: WebhookDelivery): Promise<WebhookAnswer> {
  if (delivery.method !== "POST") return { status: 405 };
  const shop = delivery.searchParam("shop");
  if (!shop || !isShopDomain(shop)) {
    return { status: 400, message: "Missing or invalid shop parameter." };
  }
  const body = await delivery.text();
  if (body === null) return { status: 413, message: "Payload too large." };

  const secret = await findWebhookSecret(shop);
  // Unknown shop and wrong signature look the same to the sender.
  if (!secret) return { status: 401, message: "Invalid signature." };
  const verification = verifySirWebhookSignature({
    secret,
    timestampHeader: delivery.header("x-sir-timestamp"),
    signatureHeader: delivery.header("x-sir-signature"),
    rawBody: body,
  });
  if (!verification.ok) {
    log.warn("SIR webhook rejected", { shop, reason: verification.reason });
    return { status: 401, message: "Invalid signature." };
  }
  const envelope = parseSirWebhookEnvelope(body);
  if (!envelope) return { status: 400, message: "Not a SIR webhook envelope." };

  const { duplicate } = await recordWebhookEvent({
    source: "sir",
    shopDomain: shop,
    topic: envelope.type,
    eventKey: webhookDedupeKey(envelope),
    triggeredAt: new Date(envelope.createdAt),
    payload: body,
  });
  if (!duplicate) wakeWorker();
  log.info(duplicate ? "SIR webhook duplicate ignored" : "SIR webhook recorded", {
    shop,
    type: envelope.type,
    eventId: envelope.id,
  });
  return { status: 200 };
}
