import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createDatabase, isUniqueViolation, providerFor, routeDirectStatements } from "./db.server";
import { SqlStatement } from "./models/sql.server";
import { recordWebhookEvent } from "./models/WebhookEvent.server";
import { startSqliteWriterThread } from "./sqlite-writer.server";

// The writer thread runs from the production build (the tests' global setup builds it); the
// PostgreSQL suite has no writer thread to test.
const url = process.env.DATABASE_URL!;
const entry = join(process.env.BUILD_DIR ?? "build", "background", "sqlite-writer.js");
const onSqlite = providerFor(url) === "sqlite";

describe.skipIf(!onSqlite)("the SQLite writer thread", () => {
  const db = createDatabase(url);
  let writer: Awaited<ReturnType<typeof startSqliteWriterThread>>;
  let routeBack: () => void;

  beforeAll(async () => {
    if (!existsSync(entry)) throw new Error(`no build at ${entry}: run without TEST_SKIP_BUILD`);
    writer = await startSqliteWriterThread(entry, { databaseUrl: url, checkpoints: false });
    routeBack = routeDirectStatements(db, writer.statements);
  });
  afterAll(async () => {
    routeBack();
    await writer.stop();
    await db.$disconnect();
  });

  const delivery = (shopDomain: string, eventKey = randomUUID()) => ({
    source: "shopify" as const,
    shopDomain,
    topic: "orders/paid",
    eventKey,
    triggeredAt: new Date("2026-11-27T08:15:30.123Z"),
    payload: '{"id":1}',
  });

  it("commits durably (FULL) and leaves checkpoints to the worker's connection when told", async () => {
    const [{ synchronous }] = await writer.statements.all<{ synchronous: bigint }>(
      ["PRAGMA synchronous"],
      [],
    );
    const [{ wal_autocheckpoint }] = await writer.statements.all<{ wal_autocheckpoint: bigint }>(
      ["PRAGMA wal_autocheckpoint"],
      [],
    );
    expect({ synchronous, wal_autocheckpoint }).toEqual({
      synchronous: 2n,
      wal_autocheckpoint: 0n,
    });
  });

  it("answers each statement sent together on its own, a failure only to its sender", async () => {
    const shop = `writer-${randomUUID().slice(0, 8)}.myshopify.com`;
    const twice = delivery(shop);
    const recorded = Promise.all([
      ...Array.from({ length: 20 }, () => recordWebhookEvent(delivery(shop), db)),
      recordWebhookEvent(twice, db),
      recordWebhookEvent(twice, db),
    ]);
    const failed = new SqlStatement().text(`SELECT * FROM "NoSuchTable"`).query(db);

    await expect(failed).rejects.toMatchObject({ code: "SQLITE_ERROR" });
    const results = await recorded;
    expect(results.filter((result) => !result.duplicate)).toHaveLength(21);
    expect(results.filter((result) => result.duplicate)).toHaveLength(1);
    // Prisma, on its own connection, reads what the thread committed, times included.
    const rows = await db.webhookEvent.findMany({ where: { shopDomain: shop } });
    expect(rows).toHaveLength(21);
    expect(rows[0].triggeredAt).toEqual(new Date("2026-11-27T08:15:30.123Z"));
  });

  it("gives a unique violation's code back, as the app recognises it", async () => {
    const id = randomUUID();
    const insert = () =>
      new SqlStatement()
        .text(`INSERT INTO "Shop" ("id", "domain", "updatedAt") VALUES (`)
        .list([id, `${id.slice(0, 8)}.myshopify.com`, new Date()])
        .text(`) RETURNING "id"`)
        .query(db);
    await insert();
    const error = await insert().catch((caught: unknown) => caught);
    expect(isUniqueViolation(error)).toBe(true);
  });

  it("answers what was sent before it was stopped", async () => {
    const other = await startSqliteWriterThread(entry, { databaseUrl: url, checkpoints: true });
    const shop = `writer-${randomUUID().slice(0, 8)}.myshopify.com`;
    const client = createDatabase(url);
    const back = routeDirectStatements(client, other.statements);
    const sent = Array.from({ length: 10 }, () => recordWebhookEvent(delivery(shop), client));
    await other.stop();
    back();

    expect((await Promise.all(sent)).every((result) => !result.duplicate)).toBe(true);
    expect(await db.webhookEvent.count({ where: { shopDomain: shop } })).toBe(10);
    await client.$disconnect();
  });
});
