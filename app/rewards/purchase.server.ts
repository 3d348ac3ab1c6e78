import { db, type Database } from "../db.server";
import type { NewReward, RewardRow } from "../models/Reward.server";
import type { PurchaseReceipt, PurchaseRequest } from "./provider.server";

// The purchase a ledger row stands for. Everything comes from the row, so a
// resend after a crash (or a backfill re-run) is the very same request.
/** What a purchase request is made of: a ledger row's, or one just inserted. */
export type PurchaseSource = Pick<
  NewReward,
  | "idempotencyKey"
  | "amount"
  | "currency"
  | "partnerUserId"
  | "customerEmail"
  | "customerFirstName"
  | "customerLastName"
  | "shopDomain"
  | "orderId"
  | "orderName"
>;

export function purchaseRequestFor(reward: PurchaseSource): PurchaseRequest {
  return {
    idempotencyKey: reward.idempotencyKey,
    amount: reward.amount,
    currency: reward.currency,
    customer: {
      partnerUserId: reward.partnerUserId ?? "",
      email: reward.customerEmail ?? null,
      firstName: reward.customerFirstName ?? null,
      lastName: reward.customerLastName ?? null,
    },
    metadata: { shop: reward.shopDomain, orderId: reward.orderId, orderName: reward.orderName },
  };
}

/** The ledger columns a purchase receipt fills in. */
export function receiptColumns(receipt: PurchaseReceipt) {
  return {
    status: "rewarded",
    actionId: receipt.actionId,
    tokensDistributed: receipt.tokensDistributed,
    rewardedAt: new Date(),
    attempts: 0,
    lastError: null,
  };
}

export function receiptEntry(rewardId: string, receipt: PurchaseReceipt) {
  return {
    rewardId,
    type: "rewarded",
    message: `Sent to SIR as action ${receipt.actionId}: ${receipt.tokensDistributed} tokens${receipt.replayed ? " (already recorded by SIR; no double)" : ""}.`,
  };
}

// A receipt is written only over a reward that still waits for one: two workers may both send
// the same purchase (a claim taken back or expired; SIR answers the second with the original),
// and the later receipt must not undo what the first worker recorded since, e.g. a reversal.
const AWAITING_RECEIPT = { status: { in: ["pending", "parked"] } };

/**
 * Writes the receipt's columns if the reward still awaits one, and says whether it did; the
 * caller adds the timeline entry (a batch adds all of its entries in one insert).
 */
export async function writeReceiptIfAwaited(
  rewardId: string,
  receipt: PurchaseReceipt,
  database: Database = db,
) {
  const { count } = await database.reward.updateMany({
    where: { id: rewardId, ...AWAITING_RECEIPT },
    data: receiptColumns(receipt),
  });
  return count > 0;
}

/** Writes the receipt and its timeline entry if the reward still awaits one; returns the row. */
export async function recordPurchaseReceipt(
  reward: RewardRow,
  receipt: PurchaseReceipt,
  database: Database = db,
): Promise<RewardRow> {
  if (await writeReceiptIfAwaited(reward.id, receipt, database)) {
    await database.rewardEvent.create({ data: receiptEntry(reward.id, receipt) });
  }
  return database.reward.findUniqueOrThrow({ where: { id: reward.id } });
}
