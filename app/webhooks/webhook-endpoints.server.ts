import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "../logger.server";
import { deliveryFromNodeRequest, writeAnswer, type WebhookReceiver } from "./delivery.server";
import { receiveShopifyWebhook } from "./receive-shopify-webhook.server";
import { receiveSirWebhook } from "./receive-sir-webhook.server";
import { noteWebhookAck, webhookTopicOfPath } from "../metrics/registry.server";

const log = logger.child({ component: "webhook-endpoints" });

/**
 * The webhook endpoints by path: the URIs shopify.app.toml subscribes, and SIR's. Each also has
 * its Remix route (app/routes/webhooks.*), which serves it under `shopify app dev`.
 */
export const WEBHOOK_ENDPOINTS: ReadonlyMap<string, WebhookReceiver> = new Map([
  ...[
    "orders/paid",
    "refunds/create",
    "orders/cancelled",
    "app/uninstalled",
    "app/scopes_update",
    "customers/data_request",
    "customers/redact",
    "shop/redact",
  ].map((topic) => [`/webhooks/${topic}`, receiveShopifyWebhook] as const),
  ["/webhooks/sir", receiveSirWebhook],
]);

/**
 * The production server (server.mjs) offers every request here first. Webhooks are the one
 * path that runs at Black-Friday rates, a delivery for each order and SIR's answer to each, so
 * they are answered straight from Node's request: Express, the Fetch Request conversion and
 * Remix's route matching cost several times what the receiver itself does. Returns false for
 * any other path, which Remix then serves.
 */
export function serveWebhookEndpoint(request: IncomingMessage, response: ServerResponse): boolean {
  const path = request.url?.split("?")[0] ?? "";
  const receive = WEBHOOK_ENDPOINTS.get(path);
  if (!receive) return false;
  const startedAt = performance.now();
  receive(deliveryFromNodeRequest(request)).then(
    (answer) => {
      writeAnswer(response, answer);
      noteWebhookAck(webhookTopicOfPath(path), answer.status, startedAt);
    },
    (error: unknown) => {
      // Not acknowledged, so the sender delivers it again.
      log.error("webhook not recorded", {
        path: request.url,
        shop: request.headers["x-shopify-shop-domain"],
        eventId: request.headers["x-shopify-event-id"],
        error,
      });
      writeAnswer(response, { status: 500 });
      noteWebhookAck(webhookTopicOfPath(path), 500, startedAt);
    },
  );
  return true;
}
