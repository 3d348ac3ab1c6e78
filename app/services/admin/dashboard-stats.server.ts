import { db, type Database } from "../../db.server";

export type LedgerTotals = {
  ordersRewarded: number;
  tokensDistributed: number;
  tokensReversed: number;
  debt: number;
  failed: number;
  parked: number;
  pending: number;
  skipped: number;
  orders: number;
};

export type TokensOnDay = { date: string; tokens: number };

const REWARDED_STATUSES = new Set(["rewarded", "partially_reversed", "reversed"]);
export const CHART_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

/** Totals over the shop's whole ledger: one grouped query on the (shop, status) index. */
export async function ledgerTotals(
  shopDomain: string,
  database: Database = db,
): Promise<LedgerTotals> {
  const groups = await database.reward.groupBy({
    by: ["status"],
    where: { shopDomain },
    _count: { _all: true },
    _sum: { tokensDistributed: true, tokensReversed: true, debt: true },
  });
  const totals: LedgerTotals = {
    ordersRewarded: 0,
    tokensDistributed: 0,
    tokensReversed: 0,
    debt: 0,
    failed: 0,
    parked: 0,
    pending: 0,
    skipped: 0,
    orders: 0,
  };
  for (const group of groups) {
    const count = group._count._all;
    totals.orders += count;
    totals.tokensDistributed += group._sum.tokensDistributed ?? 0;
    totals.tokensReversed += group._sum.tokensReversed ?? 0;
    totals.debt += group._sum.debt ?? 0;
    if (REWARDED_STATUSES.has(group.status)) totals.ordersRewarded += count;
    if (group.status === "failed") totals.failed = count;
    if (group.status === "parked") totals.parked = count;
    if (group.status === "pending") totals.pending = count;
    if (group.status === "skipped") totals.skipped = count;
  }
  return totals;
}

/** The UTC day a date falls on, as YYYY-MM-DD. */
const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/**
 * Tokens distributed per UTC day over the last CHART_DAYS days (today
 * included), every day present so the chart has no gaps.
 */
export async function tokensPerDay(
  shopDomain: string,
  now: Date = new Date(),
  database: Database = db,
): Promise<TokensOnDay[]> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const first = new Date(today - (CHART_DAYS - 1) * DAY_MS);
  const days = new Map<string, number>();
  for (let day = 0; day < CHART_DAYS; day++) {
    days.set(utcDay(new Date(first.getTime() + day * DAY_MS)), 0);
  }
  const rows = await database.reward.findMany({
    where: { shopDomain, rewardedAt: { gte: first }, tokensDistributed: { not: null } },
    select: { rewardedAt: true, tokensDistributed: true },
  });
  for (const row of rows) {
    const day = utcDay(row.rewardedAt!);
    if (days.has(day)) days.set(day, days.get(day)! + (row.tokensDistributed ?? 0));
  }
  return [...days].map(([date, tokens]) => ({ date, tokens }));
}
