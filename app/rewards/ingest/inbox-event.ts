// A recorded webhook as the ingest handlers see it.
export type InboxEvent = {
  id: string;
  source: string;
  shopDomain: string;
  topic: string;
  eventKey: string;
  payload: string;
  triggeredAt: Date | null;
  receivedAt: Date;
};

/** The event cannot be applied yet (e.g. a refund before its order); try again later. */
export class DeferEvent extends Error {
  name = "DeferEvent";
}

/** The event can never be applied (malformed, or about something we do not know). */
export class RejectEvent extends Error {
  name = "RejectEvent";
}
