import { databaseProvider, db, type Database } from "../db.server";
import { SqlStatement, newRowId } from "./sql.server";
import { claimRows, releaseLock } from "../jobs/claims.server";
import { INBOX_CHANNEL } from "../jobs/inbox-notify.server";

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
// concurrent deliveries of one event cannot both be recorded. This runs once per delivery on
// the request path, so it is one plain statement (the same SQL on SQLite and PostgreSQL)
// rather than an ORM create, which would pass the whole body through Prisma's query compiler
// and answer a duplicate with an error to catch.
export async function recordWebhookEvent(
  input: RecordWebhookEventInput,
  database: Database = db,
): Promise<RecordWebhookEventResult> {
  const now = new Date();
  // On PostgreSQL the insert also notifies every process's worker (inbox-notify.server), in the
  // same statement: the notification goes out when the row is committed, and only for a new row.
  const notify = databaseProvider(database) === "postgresql";
  const statement = new SqlStatement();
  if (notify) statement.text(`WITH "inserted" AS (`);
  statement
    .text(`INSERT INTO "WebhookEvent" ("id", "source", "shopDomain", "topic", "eventKey",`)
    .text(` "apiVersion", "triggeredAt", "payload", "status", "attempts", "nextAttemptAt",`)
    .text(` "receivedAt") VALUES (`)
    .list([
      newRowId(),
      input.source,
      input.shopDomain,
      input.topic,
      input.eventKey,
      input.apiVersion ?? null,
      input.triggeredAt ?? null,
      input.payload,
      "pending",
      0,
      now,
      now,
    ])
    .text(`) ON CONFLICT DO NOTHING RETURNING "id"`);
  if (notify) {
    statement
      .text(`) SELECT "id" FROM "inserted" CROSS JOIN LATERAL (SELECT pg_notify(`)
      .value(INBOX_CHANNEL)
      .text(`, `)
      .value(input.shopDomain)
      .text(`)) AS "notified"`);
  }
  const inserted = await statement.query<{ id: string }>(database);
  return inserted.length > 0
    ? { id: inserted[0].id, duplicate: false }
    : { id: null, duplicate: true };
}

export function claimDueEvents(
  limit: number,
  leaseMs: number,
  database: Database = db,
  { onlyReleased = false } = {},
) {
  const now = new Date();
  // In the order of the (status, nextAttemptAt) index, so a claim reads a batch, not the
  // whole backlog: a fresh event's nextAttemptAt is its arrival time.
  return claimRows(database, "WebhookEvent", {
    due: (statement) => statement.text(`"status" = 'pending' AND "nextAttemptAt" <= `).value(now),
    orderBy: "nextAttemptAt",
    limit,
    leaseMs,
    now,
    onlyReleased,
  });
}

export type WebhookEventRow = Awaited<ReturnType<typeof findEvents>>[number];

export function findEvents(ids: string[], database: Database = db) {
  return database.webhookEvent.findMany({
    where: { id: { in: ids } },
    orderBy: { receivedAt: "asc" },
  });
}

export async function completeEvents(ids: string[], database: Database = db) {
  if (ids.length === 0) return;
  await database.webhookEvent.updateMany({
    where: { id: { in: ids } },
    data: { status: "done", processedAt: new Date(), lastError: null, ...releaseLock },
  });
}

export async function rescheduleEvent(
  id: string,
  attempts: number,
  delayMs: number,
  reason: string,
  database: Database = db,
) {
  await database.webhookEvent.update({
    where: { id },
    data: {
      attempts,
      nextAttemptAt: new Date(Date.now() + delayMs),
      lastError: reason,
      ...releaseLock,
    },
  });
}

export async function failEvent(id: string, reason: string, database: Database = db) {
  await database.webhookEvent.update({
    where: { id },
    data: { status: "failed", lastError: reason, processedAt: new Date(), ...releaseLock },
  });
}

/** A shop's inbox events the worker has not finished (for `shop status`). */
export async function inboxBacklog(shopDomain: string, now: Date, database: Database = db) {
  const [pending, failed, oldestDue] = await Promise.all([
    database.webhookEvent.count({ where: { shopDomain, status: "pending" } }),
    database.webhookEvent.count({ where: { shopDomain, status: "failed" } }),
    database.webhookEvent.findFirst({
      where: { shopDomain, status: "pending", nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true },
    }),
  ]);
  return { pending, failed, oldestDueAt: oldestDue?.nextAttemptAt ?? null };
}

/** All shops' inbox for /metrics: events not yet applied, and the oldest due one's due time. */
export async function inboxBacklogOfAllShops(now: Date, database: Database = db) {
  const [pending, oldestDue] = await Promise.all([
    database.webhookEvent.count({ where: { status: "pending" } }),
    database.webhookEvent.findFirst({
      where: { status: "pending", nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true },
    }),
  ]);
  return { pending, oldestDueAt: oldestDue?.nextAttemptAt ?? null };
}
