import { db, type Database } from "../db.server";
import { addRewardEvent, updateReward, type RewardRow } from "../models/Reward.server";
import type { PurchaseReceipt, PurchaseRequest } from "./provider.server";

// The purchase a ledger row stands for. Everything comes from the row, so a
// resend after a crash (or a backfill re-run) is the very same request.
export function purchaseRequestFor(reward: RewardRow): PurchaseRequest {
  return {
    idempotencyKey: reward.idempotencyKey,
    amount: reward.amount,
    currency: reward.currency,
    customer: {
      partnerUserId: reward.partnerUserId ?? "",
      email: reward.customerEmail,
      firstName: reward.customerFirstName,
      lastName: reward.customerLastName,
    },
    metadata: { shop: reward.shopDomain, orderId: reward.orderId, orderName: reward.orderName },
  };
}

export async function recordPurchaseReceipt(
  reward: RewardRow,
  receipt: PurchaseReceipt,
  database: Database = db,
) {
  const rewarded = await updateReward(
    reward.id,
    {
      status: "rewarded",
      actionId: receipt.actionId,
      tokensDistributed: receipt.tokensDistributed,
      rewardedAt: new Date(),
      attempts: 0,
      lastError: null,
    },
    database,
  );
  await addRewardEvent(
    reward.id,
    "rewarded",
    `Sent to SIR as action ${receipt.actionId}: ${receipt.tokensDistributed} tokens${receipt.replayed ? " (already recorded by SIR; no double)" : ""}.`,
    database,
  );
  return rewarded;
}
