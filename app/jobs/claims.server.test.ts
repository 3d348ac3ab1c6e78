import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, type Database } from "../db.server";
import { claimDueEvents } from "../models/WebhookEvent.server";
import { releaseOwnClaims } from "./claims.server";
import { createTestDatabase, type TestDatabase } from "../../test/helpers/test-database";

// Claims take whatever is due in the whole table, so these run on a database of their own.
let database: TestDatabase;
let db: Database;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createDatabase(database.url);
});
afterAll(async () => {
  await db.$disconnect();
  await database.drop();
});

const LEASE_MS = 60_000;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function insertEvents(
  rows: Array<{ key: string; nextAttemptAt: Date; lockedUntil?: Date; status?: string }>,
) {
  await db.webhookEvent.createMany({
    data: rows.map(({ key, nextAttemptAt, lockedUntil, status }) => ({
      source: "shopify",
      shopDomain: "claims.myshopify.com",
      topic: "orders/paid",
      eventKey: key,
      payload: "{}",
      nextAttemptAt,
      status: status ?? "pending",
      lockedBy: lockedUntil ? "another-worker" : null,
      lockedUntil: lockedUntil ?? null,
    })),
  });
  const events = await db.webhookEvent.findMany({ select: { id: true, eventKey: true } });
  return new Map(events.map((event) => [event.eventKey, event.id]));
}

describe("claiming due rows", () => {
  it("takes the free rows that are due, oldest first, up to the limit, each once", async () => {
    await db.webhookEvent.deleteMany();
    const ids = await insertEvents([
      { key: "due-3", nextAttemptAt: minutesAgo(3) },
      { key: "due-5", nextAttemptAt: minutesAgo(5) },
      { key: "due-1", nextAttemptAt: minutesAgo(1) },
      { key: "lease-expired", nextAttemptAt: minutesAgo(4), lockedUntil: minutesAgo(1) },
      { key: "leased", nextAttemptAt: minutesAgo(6), lockedUntil: new Date(Date.now() + 60_000) },
      { key: "later", nextAttemptAt: new Date(Date.now() + 60_000) },
      { key: "done", nextAttemptAt: minutesAgo(7), status: "done" },
    ]);

    const first = await claimDueEvents(2, LEASE_MS, db);
    const second = await claimDueEvents(2, LEASE_MS, db);
    const third = await claimDueEvents(2, LEASE_MS, db);

    // Which rows each claim takes; the order they come back in means nothing.
    expect(new Set(first)).toEqual(new Set([ids.get("due-5"), ids.get("lease-expired")]));
    expect(new Set(second)).toEqual(new Set([ids.get("due-3"), ids.get("due-1")]));
    expect(third).toEqual([]);
    const claimed = await db.webhookEvent.findMany({
      where: { id: { in: [...first, ...second] } },
    });
    for (const event of claimed) {
      expect(event.lockedBy).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{8}:\\d+$`));
      expect(event.lockedUntil!.getTime()).toBeGreaterThan(Date.now() + LEASE_MS - 10_000);
    }
  });

  it("gives concurrent claimers different rows, none left behind", async () => {
    await db.webhookEvent.deleteMany();
    const ids = await insertEvents(
      Array.from({ length: 12 }, (_, index) => ({
        key: `e${index}`,
        nextAttemptAt: minutesAgo(index + 1),
      })),
    );

    const claims = await Promise.all(
      Array.from({ length: 4 }, () => claimDueEvents(3, LEASE_MS, db)),
    );

    const all = claims.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(ids.values()));
  });

  it("releases only this claimer's rows when it stops, claimable again at once", async () => {
    await db.webhookEvent.deleteMany();
    const ids = await insertEvents([
      { key: "mine-1", nextAttemptAt: minutesAgo(3) },
      { key: "mine-2", nextAttemptAt: minutesAgo(2) },
      { key: "theirs", nextAttemptAt: minutesAgo(4), lockedUntil: new Date(Date.now() + 60_000) },
    ]);
    const mine = await claimDueEvents(10, LEASE_MS, db);
    expect(new Set(mine)).toEqual(new Set([ids.get("mine-1"), ids.get("mine-2")]));
    expect(await claimDueEvents(10, LEASE_MS, db)).toEqual([]);

    expect(await releaseOwnClaims(db)).toBe(2);

    const theirs = await db.webhookEvent.findUnique({ where: { id: ids.get("theirs") } });
    expect(theirs?.lockedBy).toBe("another-worker");
    // Another worker (here: the same claim statement) takes them without waiting for the lease.
    expect(new Set(await claimDueEvents(10, LEASE_MS, db))).toEqual(new Set(mine));
    expect(await releaseOwnClaims(db)).toBe(2);
    expect(await releaseOwnClaims(db)).toBe(0);
  });

  it("lets a takeover pass claim the released rows, not an older backlog first", async () => {
    await db.webhookEvent.deleteMany();
    const ids = await insertEvents([{ key: "mine", nextAttemptAt: minutesAgo(2) }]);
    expect(await claimDueEvents(1, LEASE_MS, db)).toEqual([ids.get("mine")]);
    expect(await releaseOwnClaims(db)).toBe(1);
    // A backlog no claimer has taken yet, due before it: by due time alone it comes first.
    const all = await insertEvents([{ key: "backlog", nextAttemptAt: minutesAgo(9) }]);
    expect(await claimDueEvents(1, LEASE_MS, db, { onlyReleased: true })).toEqual([
      ids.get("mine"),
    ]);
    expect(await claimDueEvents(1, LEASE_MS, db, { onlyReleased: true })).toEqual([]);
    expect(await claimDueEvents(1, LEASE_MS, db)).toEqual([all.get("backlog")]);
  });
});
