import { db, isUniqueViolation, type Database } from "../db.server";

export type WebhookSource = "shopify" | "sir";

export type RecordWebhookEventInput = {
  source: WebhookSource;
  shopDomain: string;
  topic: string;
  /** The sender's delivery-independent event id; a redelivery carries the same one. */
  eventKey: string;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  /** The raw body exactly as received (what the signature covered). */
  payload: string;
};

export type RecordWebhookEventResult = { id: string | null; duplicate: boolean };

// The unique (source, shop, topic, eventKey) index decides what is a duplicate, so two
// concurrent deliveries of one event cannot both be recorded.
export async function recordWebhookEvent(
  input: RecordWebhookEventInput,
  database: Database = db,
): Promise<RecordWebhookEventResult> {
  try {
    const row = await database.webhookEvent.create({
      data: {
        ...input,
        apiVersion: input.apiVersion ?? null,
        triggeredAt: input.triggeredAt ?? null,
      },
      select: { id: true },
    });
    return { id: row.id, duplicate: false };
  } catch (error) {
    if (isUniqueViolation(error)) return { id: null, duplicate: true };
    throw error;
  }
}
