import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase } from "./db.server";
import { ROLLED_BACK, rolledBackTransaction } from "../test/helpers/transactions";

// Runs on the suite's database: on SQLite it is about the one shared connection; on PostgreSQL
// (a connection per transaction) the same promises hold without help.
const db = createDatabase(process.env.DATABASE_URL);
afterAll(() => db.$disconnect());

const shopDomain = () => `tx-${randomUUID().slice(0, 8)}.myshopify.com`;

describe("statements beside an open transaction", () => {
  it("neither join it nor are undone by its rollback, and see none of its rows", async () => {
    const inside = shopDomain();
    const outside = shopDomain();
    let seenMidTransaction: number | null = null;
    const transaction = rolledBackTransaction(db, inside);

    await sleep(10);
    // Another task's work, awaited to success while the transaction is open.
    const outsideWrite = db.shop.create({ data: { domain: outside } });
    const outsideRead = db.shop
      .count({ where: { domain: inside } })
      .then((count) => (seenMidTransaction = count));
    await Promise.all([outsideWrite, outsideRead]);

    expect(await transaction).toBe(ROLLED_BACK);
    expect(seenMidTransaction).toBe(0);
    expect(await db.shop.count({ where: { domain: outside } })).toBe(1);
    expect(await db.shop.count({ where: { domain: inside } })).toBe(0);
  });

  it("on SQLite, wait for it to end", async () => {
    const domain = shopDomain();
    const order: string[] = [];
    const transaction = db.$transaction(async (tx) => {
      await tx.shop.create({ data: { domain } });
      await sleep(30);
      order.push("transaction committed");
    });
    await sleep(5);
    await db.shop.findUnique({ where: { domain } }).then((shop) => {
      order.push(shop ? "read saw the committed row" : "read saw nothing");
    });
    await transaction;
    // PostgreSQL reads the last committed state at once, on another connection.
    expect(order).toEqual(
      process.env.DATABASE_URL!.startsWith("file:")
        ? ["transaction committed", "read saw the committed row"]
        : ["read saw nothing", "transaction committed"],
    );
  });
});
