import { db, type Database } from "../../db.server";
import { findRewardByOrder } from "../../models/Reward.server";

export type TimelineEvent = { id: string; type: string; message: string; at: string };

export type ReversalEntry = {
  id: string;
  kind: string;
  status: string;
  percent: string | null;
  tokensClawedBack: number | null;
  debt: number | null;
  error: string | null;
  at: string;
  processedAt: string | null;
};

export type RewardTimeline = {
  orderId: string;
  orderName: string;
  status: string;
  amount: string;
  currency: string;
  actionId: string | null;
  tokensDistributed: number | null;
  tokensReversed: number;
  debt: number;
  lastError: string | null;
  skipReason: string | null;
  /** Something failed that the merchant's Retry would send again. */
  retryable: boolean;
  events: TimelineEvent[];
  reversals: ReversalEntry[];
};

/** One order's reward with everything that happened to it, oldest first; null if unknown. */
export async function rewardTimeline(
  shopDomain: string,
  orderId: string,
  database: Database = db,
): Promise<RewardTimeline | null> {
  const reward = await findRewardByOrder(shopDomain, orderId, database);
  if (!reward) return null;
  const [events, reversals] = await Promise.all([
    database.rewardEvent.findMany({
      where: { rewardId: reward.id },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    }),
    database.reversal.findMany({ where: { rewardId: reward.id }, orderBy: { createdAt: "asc" } }),
  ]);
  return {
    orderId: reward.orderId,
    orderName: reward.orderName,
    status: reward.status,
    amount: reward.amount,
    currency: reward.currency,
    actionId: reward.actionId,
    tokensDistributed: reward.tokensDistributed,
    tokensReversed: reward.tokensReversed,
    debt: reward.debt,
    lastError: reward.lastError,
    skipReason: reward.skipReason,
    retryable:
      reward.status === "failed" || reversals.some((reversal) => reversal.status === "failed"),
    events: events.map((event) => ({
      id: event.id,
      type: event.type,
      message: event.message,
      at: event.createdAt.toISOString(),
    })),
    reversals: reversals.map((reversal) => ({
      id: reversal.id,
      kind: reversal.kind,
      status: reversal.status,
      percent: reversal.percent,
      tokensClawedBack: reversal.tokensClawedBack,
      debt: reversal.debt,
      error: reversal.lastError,
      at: reversal.createdAt.toISOString(),
      processedAt: reversal.processedAt?.toISOString() ?? null,
    })),
  };
}
