import { randomUUID } from "node:crypto";
import { mapWithConcurrency } from "./concurrency";
import { deliverShopifyWebhook } from "./shopify-webhooks";

export type BurstDelivery = { topic: string; shop: string; body: string; eventId: string };

export type BurstFigures = {
  /** HTTP attempts, redeliveries included. */
  sent: number;
  /** Attempts answered 200. */
  accepted: number;
};

export function delivery(topic: string, shop: string, body: string, eventId = randomUUID()) {
  return { topic, shop, body, eventId };
}

/**
 * Delivers every webhook the way Shopify does: an attempt that is refused or not answered 200 is
 * sent again, same body and event id, until it is accepted. `appUrl` is read on every attempt,
 * so deliveries follow an app that was restarted on a new port.
 */
export async function deliverBurst(
  appUrl: () => string,
  deliveries: readonly BurstDelivery[],
  {
    concurrency = 32,
    retryDelayMs = 100,
    maxAttempts = 200,
    onAccepted,
  }: {
    concurrency?: number;
    retryDelayMs?: number;
    maxAttempts?: number;
    /** Called after each accepted delivery with the number accepted so far. */
    onAccepted?: (acceptedSoFar: number) => void;
  } = {},
): Promise<BurstFigures> {
  const figures = { sent: 0, accepted: 0 };
  await mapWithConcurrency(deliveries, concurrency, async (webhook) => {
    for (let attempt = 1; ; attempt++) {
      figures.sent++;
      const status = await deliverShopifyWebhook(appUrl(), webhook).then(
        async (response) => {
          await response.arrayBuffer();
          return response.status;
        },
        () => 0,
      );
      if (status === 200) {
        figures.accepted++;
        onAccepted?.(figures.accepted);
        return;
      }
      if (attempt === maxAttempts) {
        throw new Error(`${webhook.topic} ${webhook.eventId} never accepted (last: ${status})`);
      }
      await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
    }
  });
  return figures;
}
