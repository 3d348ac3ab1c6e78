import type { Prisma } from "@prisma/client";
import { db, isUniqueViolation, type Database } from "../db.server";
import { SqlStatement, insertRows, newRowId } from "./sql.server";
import { claimRows, releaseLock, takeBackLock } from "../jobs/claims.server";

export const REWARD_STATUSES = [
  "pending",
  "rewarded",
  "partially_reversed",
  "reversed",
  "parked",
  "failed",
  "skipped",
] as const;
export type RewardStatus = (typeof REWARD_STATUSES)[number];

export type RewardRow = NonNullable<Awaited<ReturnType<typeof findReward>>>;

export function orderIdempotencyKey(shopDomain: string, orderId: string) {
  return `shopify:${shopDomain}:order:${orderId}`;
}

export function findReward(id: string, database: Database = db) {
  return database.reward.findUnique({ where: { id } });
}

export function findRewards(ids: string[], database: Database = db) {
  return database.reward.findMany({ where: { id: { in: ids } } });
}

export function findRewardByOrder(shopDomain: string, orderId: string, database: Database = db) {
  return database.reward.findUnique({ where: { shopDomain_orderId: { shopDomain, orderId } } });
}

/** A ledger row as the ingest builds it: plain columns, no relations. */
export type NewReward = Prisma.RewardCreateManyInput;

export type TimelineEntry = { type: string; message: string };

/**
 * Creates the ledger row for an order with its first timeline entry (one call, one
 * transaction), or returns null when the order already has a row.
 */
export async function createReward(
  data: NewReward,
  firstEntry: TimelineEntry,
  database: Database = db,
) {
  try {
    return await database.reward.create({ data: { ...data, events: { create: firstEntry } } });
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/**
 * Creates many orders' ledger rows, each with its first timeline entry, all or none: a unique
 * violation (one of the orders was recorded meanwhile) leaves nothing written.
 */
export async function createRewardsWithEvents(
  rows: Array<{ data: NewReward; firstEntry: TimelineEntry }>,
  database: Database = db,
): Promise<Array<NewReward & { id: string }>> {
  if (rows.length === 0) return [];
  const now = new Date();
  const rewards = rows.map(({ data }) => ({
    ...data,
    id: newRowId(),
    nextAttemptAt: now,
    createdAt: now,
    updatedAt: now,
  }));
  await database.$transaction(async (tx) => {
    await insertRows(tx, "Reward", rewards);
    await insertRows(
      tx,
      "RewardEvent",
      rewards.map((reward, index) => timelineRow(reward.id, rows[index].firstEntry, now)),
    );
  });
  return rewards;
}

const timelineRow = (rewardId: string, { type, message }: TimelineEntry, createdAt: Date) => ({
  id: newRowId(),
  rewardId,
  type,
  message,
  createdAt,
});

/** Adds timeline entries to many rewards in one insert (a worker's batch, a backfill page). */
export async function addRewardEvents(
  entries: Array<TimelineEntry & { rewardId: string }>,
  database: Database = db,
) {
  const now = new Date();
  await insertRows(
    database,
    "RewardEvent",
    entries.map((entry) => timelineRow(entry.rewardId, entry, now)),
  );
}

export async function addRewardEvent(
  rewardId: string,
  type: string,
  message: string,
  database: Database = db,
) {
  await database.rewardEvent.create({ data: { rewardId, type, message } });
}

export function claimRewardsWithWork(
  limit: number,
  leaseMs: number,
  database: Database = db,
  { onlyReleased = false } = {},
) {
  const now = new Date();
  return claimRows(database, "Reward", {
    due: (statement) =>
      statement.text(`"workPending" = `).value(true).text(` AND "nextAttemptAt" <= `).value(now),
    orderBy: "nextAttemptAt",
    limit,
    leaseMs,
    now,
    onlyReleased,
  });
}

type RewardUpdate = Parameters<Database["reward"]["update"]>[0]["data"];

export async function updateReward(id: string, data: RewardUpdate, database: Database = db) {
  return database.reward.update({ where: { id }, data });
}

export async function releaseReward(id: string, data: RewardUpdate, database: Database = db) {
  return database.reward.update({ where: { id }, data: { ...data, ...releaseLock } });
}

/** A claimed reward whose work is done, with the purchase receipt if this pass got one. */
export type FinishedClaim = {
  id: string;
  lockedBy: string | null;
  receipt: { actionId: string; tokensDistributed: number } | null;
};

/**
 * Finishes claimed rewards' work, each only if its claim still holds: a reward whose claim was
 * taken back meanwhile (new work arrived, see scheduleRewardWork) stays queued. A receipt fills
 * the same columns as writeAwaitedReceipts. One statement for the whole batch, because a worker
 * finishes a batch at a time and a statement per reward made this its costliest step. Returns
 * the ids whose claim held.
 */
export async function releaseClaimedRewards(
  finished: FinishedClaim[],
  database: Database = db,
): Promise<Set<string>> {
  if (finished.length === 0) return new Set();
  const now = new Date();
  const statement = new SqlStatement()
    .text(`UPDATE "Reward" SET "status" = CASE WHEN done."receiptActionId" IS NULL`)
    .text(` THEN "Reward"."status" ELSE `)
    .value("rewarded")
    .text(` END, "actionId" = COALESCE(done."receiptActionId", "Reward"."actionId"),`)
    .text(` "tokensDistributed" = COALESCE(done."receiptTokens", "Reward"."tokensDistributed"),`)
    .text(` "rewardedAt" = CASE WHEN done."receiptActionId" IS NULL THEN "Reward"."rewardedAt"`)
    .text(" ELSE ")
    .value(now)
    .text(` END, "workPending" = FALSE, "attempts" = 0, "lastError" = NULL, "lockedBy" = NULL,`)
    .text(` "lockedUntil" = NULL, "updatedAt" = `)
    .value(now)
    .text(" FROM (")
    .selectRows(
      [
        { name: "rewardId" },
        { name: "claim" },
        { name: "receiptActionId" },
        { name: "receiptTokens", type: "INTEGER" },
      ],
      finished.map(({ id, lockedBy, receipt }) => [
        id,
        lockedBy,
        receipt?.actionId ?? null,
        receipt?.tokensDistributed ?? null,
      ]),
    )
    .text(
      `) AS done WHERE "Reward"."id" = done."rewardId" AND "Reward"."lockedBy" = done."claim"` +
        ` RETURNING "id"`,
    );
  const released = await statement.query<{ id: string }>(database);
  return new Set(released.map((row) => row.id));
}

/** What the provider answered for a reward's purchase. */
export type RewardReceipt = { rewardId: string; actionId: string; tokensDistributed: number };

/**
 * Writes each receipt over its reward if the reward still awaits one (pending or parked), all in
 * one statement, and returns the ids written. Two workers may both send the same purchase (a
 * claim taken back or expired; SIR answers the second with the original), and the later receipt
 * must not undo what the first recorded since, e.g. a reversal.
 */
export async function writeAwaitedReceipts(
  receipts: RewardReceipt[],
  database: Database = db,
): Promise<Set<string>> {
  if (receipts.length === 0) return new Set();
  const now = new Date();
  const statement = new SqlStatement()
    .text(`UPDATE "Reward" SET "status" = `)
    .value("rewarded")
    .text(`, "actionId" = receipt."actionId", "tokensDistributed" = receipt."tokens",`)
    .text(` "rewardedAt" = `)
    .value(now)
    .text(`, "attempts" = 0, "lastError" = NULL, "updatedAt" = `)
    .value(now)
    .text(" FROM (")
    .selectRows(
      [{ name: "rewardId" }, { name: "actionId" }, { name: "tokens", type: "INTEGER" }],
      receipts.map(({ rewardId, actionId, tokensDistributed }) => [
        rewardId,
        actionId,
        tokensDistributed,
      ]),
    )
    .text(
      `) AS receipt WHERE "Reward"."id" = receipt."rewardId"` +
        ` AND "Reward"."status" IN ('pending', 'parked') RETURNING "id"`,
    );
  const written = await statement.query<{ id: string }>(database);
  return new Set(written.map((row) => row.id));
}

/**
 * Queues work for a reward soon, e.g. when a reversal arrives for it. Taking back any claim
 * makes sure a worker that is finishing the reward right now leaves it queued rather than
 * marking it done without having seen the new work.
 */
export async function scheduleRewardWork(id: string, database: Database = db) {
  await database.reward.update({
    where: { id },
    // Marked released: a stopping worker's claim taken back just before it released the rest
    // is then taken over with them, not left behind a burst's backlog.
    data: { workPending: true, nextAttemptAt: new Date(), ...takeBackLock },
  });
}

// An empty pool stops every unsubmitted reward of the shop, not just the
// one that hit it: each would only get the same 402.
export async function parkPendingRewards(shopDomain: string, database: Database = db) {
  const { count } = await database.reward.updateMany({
    where: { shopDomain, status: "pending" },
    data: { status: "parked", workPending: false },
  });
  return count;
}

export async function resumeParkedRewards(shopDomain: string, database: Database = db) {
  const { count } = await database.reward.updateMany({
    where: { shopDomain, status: "parked" },
    data: { status: "pending", workPending: true, nextAttemptAt: new Date(), lastError: null },
  });
  return count;
}

/** The merchant's retry: failed rewards (one order or all) go back to the queue. */
export async function retryFailedRewards(
  shopDomain: string,
  orderId: string | null,
  database: Database = db,
) {
  const { count } = await database.reward.updateMany({
    where: { shopDomain, status: "failed", ...(orderId ? { orderId } : {}) },
    data: { status: "pending", workPending: true, attempts: 0, nextAttemptAt: new Date() },
  });
  const reversals = await database.reversal.updateMany({
    where: { status: "failed", reward: { shopDomain, ...(orderId ? { orderId } : {}) } },
    data: { status: "pending", lastError: null },
  });
  if (reversals.count > 0) {
    await database.reward.updateMany({
      where: { shopDomain, reversals: { some: { status: "pending" } } },
      data: { workPending: true, nextAttemptAt: new Date() },
    });
  }
  return count + reversals.count;
}

export function listRewards(
  shopDomain: string,
  filter: { status?: string } = {},
  database: Database = db,
) {
  return database.reward.findMany({
    where: { shopDomain, ...(filter.status ? { status: filter.status } : {}) },
    orderBy: { createdAt: "asc" },
  });
}

/** What the worker still owes a shop's ledger (for `shop status`). */
export async function rewardBacklog(shopDomain: string, now: Date, database: Database = db) {
  const [owingWork, parked, oldestDue] = await Promise.all([
    database.reward.count({ where: { shopDomain, workPending: true } }),
    database.reward.count({ where: { shopDomain, status: "parked" } }),
    database.reward.findFirst({
      where: { shopDomain, workPending: true, nextAttemptAt: { lte: now } },
      orderBy: { nextAttemptAt: "asc" },
      select: { nextAttemptAt: true },
    }),
  ]);
  return { owingWork, parked, oldestDueAt: oldestDue?.nextAttemptAt ?? null };
}

/** The shop's most recently failed reward: its order, sentence and when. */
export function latestFailedReward(shopDomain: string, database: Database = db) {
  return database.reward.findFirst({
    where: { shopDomain, status: "failed" },
    orderBy: { updatedAt: "desc" },
    select: { orderId: true, orderName: true, lastError: true, updatedAt: true },
  });
}

/** All shops' ledger rows by status (for /metrics), every status present, 0 when none. */
export async function countRewardsByStatus(database: Database = db) {
  const groups = await database.reward.groupBy({ by: ["status"], _count: { _all: true } });
  const counts = new Map<string, number>(REWARD_STATUSES.map((status) => [status, 0]));
  for (const group of groups) counts.set(group.status, group._count._all);
  return counts;
}

/** A customer's ledger rows in a shop, newest first (the customer account's history). */
export function listCustomerRewards(
  shopDomain: string,
  customerId: string,
  limit: number,
  database: Database = db,
) {
  return database.reward.findMany({
    where: { shopDomain, customerId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: {
      orderId: true,
      orderName: true,
      status: true,
      currency: true,
      basisMinor: true,
      partnerUserId: true,
      actionId: true,
      tokensDistributed: true,
      tokensReversed: true,
      debt: true,
      orderCreatedAt: true,
      createdAt: true,
    },
  });
}
