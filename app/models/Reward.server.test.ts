import { afterAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { createDatabase, isUniqueViolation } from "../db.server";
import { claimedReward, newReward } from "../../test/helpers/rewards";
import {
  createReward,
  createRewardsWithEvents,
  releaseClaimedRewards,
  scheduleRewardWork,
  writeAwaitedReceipts,
} from "./Reward.server";

const db = createDatabase(process.env.DATABASE_URL);
const FIRST_ENTRY = { type: "recorded", message: "Recorded." };
afterAll(() => db.$disconnect());

describe("finishing a batch of claimed rewards", () => {
  it("writes each receipt and releases each reward whose claim still holds, in one statement", async () => {
    const shop = `finish-${randomUUID().slice(0, 8)}.myshopify.com`;
    const claim = `worker:${randomUUID()}`;
    const submitted = await claimedReward(db, shop, claim, { attempts: 2 });
    const reversedOnly = await claimedReward(db, shop, claim, {
      status: "partially_reversed",
      attempts: 2,
    });
    const takenBack = await claimedReward(db, shop, claim, { attempts: 2 });
    await scheduleRewardWork(takenBack.id, db);
    const claimedElsewhere = await claimedReward(db, shop, "another-worker:1", { attempts: 2 });

    const before = new Date();
    const released = await releaseClaimedRewards(
      [
        {
          id: submitted.id,
          lockedBy: claim,
          receipt: { actionId: "act_1", tokensDistributed: 42 },
        },
        { id: reversedOnly.id, lockedBy: claim, receipt: null },
        { id: takenBack.id, lockedBy: claim, receipt: { actionId: "act_2", tokensDistributed: 7 } },
        { id: claimedElsewhere.id, lockedBy: claim, receipt: null },
      ],
      db,
    );
    const after = new Date();

    expect([...released].sort()).toEqual([submitted.id, reversedOnly.id].sort());
    const rows = new Map(
      (await db.reward.findMany({ where: { shopDomain: shop } })).map((row) => [row.id, row]),
    );

    const rewarded = rows.get(submitted.id)!;
    expect(rewarded).toMatchObject({
      status: "rewarded",
      actionId: "act_1",
      tokensDistributed: 42,
      workPending: false,
      attempts: 0,
      lastError: null,
      lockedBy: null,
      lockedUntil: null,
    });
    // Dates written by the raw statement read back through Prisma as the same instant.
    expect(rewarded.rewardedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(rewarded.rewardedAt!.getTime()).toBeLessThanOrEqual(after.getTime());
    expect(rewarded.updatedAt.getTime()).toBe(rewarded.rewardedAt!.getTime());

    expect(rows.get(reversedOnly.id)).toMatchObject({
      status: "partially_reversed",
      actionId: null,
      tokensDistributed: null,
      rewardedAt: null,
      workPending: false,
      lockedBy: null,
    });
    // New work arrived for this one meanwhile: it stays queued, its receipt unwritten here.
    expect(rows.get(takenBack.id)).toMatchObject({
      status: "pending",
      actionId: null,
      workPending: true,
    });
    expect(rows.get(claimedElsewhere.id)).toMatchObject({
      lockedBy: "another-worker:1",
      workPending: true,
      attempts: 2,
    });
  });

  it("does nothing for an empty batch", async () => {
    expect(await releaseClaimedRewards([], db)).toEqual(new Set());
  });
});

describe("writing purchase receipts", () => {
  it("writes those whose reward still awaits one, in one statement, and says which", async () => {
    const shop = `receipts-${randomUUID().slice(0, 8)}.myshopify.com`;
    const [pending, parked, reversed] = await Promise.all(
      ["pending", "parked", "partially_reversed"].map((status) =>
        createReward({ ...newReward(shop, randomUUID()), status, attempts: 3 }, FIRST_ENTRY, db),
      ),
    );
    await db.reward.update({ where: { id: reversed!.id }, data: { actionId: "act_first" } });

    const before = new Date();
    const written = await writeAwaitedReceipts(
      [
        { rewardId: pending!.id, actionId: "act_1", tokensDistributed: 42 },
        { rewardId: parked!.id, actionId: "act_2", tokensDistributed: 7 },
        // A later receipt (a second worker's resend) must not undo the reversal recorded since.
        { rewardId: reversed!.id, actionId: "act_first", tokensDistributed: 42 },
      ],
      db,
    );

    expect([...written].sort()).toEqual([pending!.id, parked!.id].sort());
    const rows = new Map(
      (await db.reward.findMany({ where: { shopDomain: shop } })).map((row) => [row.id, row]),
    );
    expect(rows.get(pending!.id)).toMatchObject({
      status: "rewarded",
      actionId: "act_1",
      tokensDistributed: 42,
      attempts: 0,
      lastError: null,
    });
    expect(rows.get(parked!.id)).toMatchObject({ status: "rewarded", tokensDistributed: 7 });
    expect(rows.get(pending!.id)!.rewardedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(rows.get(pending!.id)!.updatedAt.getTime()).toBe(
      rows.get(pending!.id)!.rewardedAt!.getTime(),
    );
    expect(rows.get(reversed!.id)).toMatchObject({
      status: "partially_reversed",
      tokensDistributed: null,
      rewardedAt: null,
      attempts: 3,
    });
  });

  it("does nothing for no receipts", async () => {
    expect(await writeAwaitedReceipts([], db)).toEqual(new Set());
  });
});

describe("creating many ledger rows at once", () => {
  it("writes each row as Prisma would, with its first timeline entry", async () => {
    const shop = `batch-${randomUUID().slice(0, 8)}.myshopify.com`;
    const orderCreatedAt = new Date("2026-11-27T09:30:15.250Z");
    const before = new Date();
    await createRewardsWithEvents(
      ["1", "2"].map((orderId) => ({
        data: { ...newReward(shop, orderId), basisMinor: 9_007_199_254_740_993n, orderCreatedAt },
        firstEntry: { type: "received", message: `Order ${orderId} received.` },
      })),
      db,
    );
    const rows = await db.reward.findMany({
      where: { shopDomain: shop },
      include: { events: true },
      orderBy: { orderId: "asc" },
    });
    expect(rows.map((row) => row.orderId)).toEqual(["1", "2"]);
    for (const row of rows) {
      // Columns the statement leaves to the database's defaults, and the ones it fills itself.
      expect(row).toMatchObject({
        basisMinor: 9_007_199_254_740_993n,
        orderCreatedAt,
        workPending: true,
        tokensReversed: 0,
        reversedPercent: "0.00",
        attempts: 0,
      });
      expect(row.id).toMatch(/^c[0-9a-z]{24}$/);
      expect(row.createdAt.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(row.nextAttemptAt.getTime()).toBe(row.createdAt.getTime());
      expect(row.events).toMatchObject([
        { type: "received", message: `Order ${row.orderId} received.` },
      ]);
    }
  });

  it("writes none of them when one order is already recorded, with an error saying so", async () => {
    const shop = `batch-${randomUUID().slice(0, 8)}.myshopify.com`;
    await createReward(newReward(shop, "2"), { type: "received", message: "Received." }, db);
    const entry = { type: "received", message: "Received again." };
    const failure = await createRewardsWithEvents(
      [
        { data: newReward(shop, "1"), firstEntry: entry },
        { data: newReward(shop, "2"), firstEntry: entry },
      ],
      db,
    ).catch((error: unknown) => error);
    expect(isUniqueViolation(failure)).toBe(true);
    expect(await db.reward.count({ where: { shopDomain: shop } })).toBe(1);
    expect(await db.rewardEvent.count({ where: { reward: { shopDomain: shop } } })).toBe(1);
  });
});
