import { parseSirWebhookEnvelope, verifySirWebhookSignature, webhookDedupeKey } from "../sir";
import { findWebhookSecret } from "../models/ProviderConnection.server";
import { recordWebhookEvent } from "../models/WebhookEvent.server";
import { wakeWorker } from "../jobs/wake.server";
import { logger } from "../logger.server";
import { isShopDomain, readBodyWithLimit } from "./request-guards.server";

const log = logger.child({ component: "sir-webhooks" });

const plain = (status: number, message: string) => new Response(message, { status });

// SIR's webhooks for one shop: /webhooks/sir?shop=<domain>, signed with the
// secret SIR returned when the app registered the webhook (stored encrypted).
// Verify, record, answer: processing happens in the worker.
export async function receiveSirWebhook(request: Request): Promise<Response> {
  const shop = new URL(request.url).searchParams.get("shop");
  if (!shop || !isShopDomain(shop)) return plain(400, "Missing or invalid shop parameter.");
  const body = await readBodyWithLimit(request);
  if (body === null) return plain(413, "Payload too large.");

  const secret = await findWebhookSecret(shop);
  // Unknown shop and wrong signature look the same to the sender.
  if (!secret) return plain(401, "Invalid signature.");
  const verification = verifySirWebhookSignature({
    secret,
    timestampHeader: request.headers.get("x-sir-timestamp"),
    signatureHeader: request.headers.get("x-sir-signature"),
    rawBody: body,
  });
  if (!verification.ok) {
    log.warn("SIR webhook rejected", { shop, reason: verification.reason });
    return plain(401, "Invalid signature.");
  }
  const envelope = parseSirWebhookEnvelope(body);
  if (!envelope) return plain(400, "Not a SIR webhook envelope.");

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
  });
  return new Response(null, { status: 200 });
}
