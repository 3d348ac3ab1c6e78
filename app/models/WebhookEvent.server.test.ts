import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase, directStatementsOf } from "../db.server";
import { recordWebhookEvent } from "./WebhookEvent.server";
import { ROLLED_BACK, rolledBackTransaction } from "../../test/helpers/transactions";

// On SQLite the insert runs on the connection directly, past Prisma's query engine (see
// DirectStatements); on PostgreSQL through Prisma. Either way Prisma must read back what it wrote.
const url = process.env.DATABASE_URL!;
const db = createDatabase(url);
afterAll(() => db.$disconnect());

const event = (shopDomain: string) => ({
  source: "shopify" as const,
  shopDomain,
  topic: "orders/paid",
  eventKey: randomUUID(),
  apiVersion: "2026-10",
  triggeredAt: new Date("2026-11-27T08:15:30.123Z"),
  payload: '{"id":1,"total_price":"10.00"}',
});

describe("recording a webhook event", () => {
  it("stores every column as Prisma reads it, and a redelivery as a duplicate", async () => {
    await db.shop.count(); // connected, so the direct statements are available
    expect(directStatementsOf(db)).not.toBeNull();
    const delivered = event(`events-${randomUUID().slice(0, 8)}.myshopify.com`);
    const before = new Date();

    // Times are stored as UTC whatever the process's time zone (pg sends a Date as local time).
    const zone = process.env.TZ;
    process.env.TZ = "Pacific/Auckland";
    const first = await recordWebhookEvent(delivered, db).finally(() => (process.env.TZ = zone));
    const again = await recordWebhookEvent(delivered, db);

    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ id: null, duplicate: true });
    const row = await db.webhookEvent.findUniqueOrThrow({ where: { id: first.id! } });
    expect(row).toMatchObject({
      ...delivered,
      status: "pending",
      attempts: 0,
      lockedBy: null,
    });
    expect(row.receivedAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(row.nextAttemptAt.getTime()).toBe(row.receivedAt.getTime());
    // Due now: the worker's claim (status, nextAttemptAt <= now) finds it.
    expect(
      await db.webhookEvent.count({
        where: { id: first.id!, status: "pending", nextAttemptAt: { lte: new Date() } },
      }),
    ).toBe(1);
  });

  it("waits for an open transaction instead of joining it", async () => {
    const shop = `events-${randomUUID().slice(0, 8)}.myshopify.com`;
    const transaction = rolledBackTransaction(db, shop);
    await sleep(10);

    const recorded = await recordWebhookEvent(event(shop), db);

    expect(await transaction).toBe(ROLLED_BACK);
    expect(await db.webhookEvent.count({ where: { id: recorded.id! } })).toBe(1);
  });

  it("goes through Prisma again once its client has disconnected, which reconnects it", async () => {
    const client = createDatabase(url);
    await client.shop.count();
    await client.$disconnect();
    expect(directStatementsOf(client)).toBeNull();

    const recorded = await recordWebhookEvent(event("reconnect.myshopify.com"), client);

    expect(recorded.duplicate).toBe(false);
    expect(directStatementsOf(client)).not.toBeNull();
    await client.$disconnect();
  });
});
