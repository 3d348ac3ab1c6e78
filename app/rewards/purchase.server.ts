import { db, type Database } from "../db.server";
import {
  addRewardEvents,
  writeAwaitedReceipts,
  type NewReward,
  type RewardRow,
} from "../models/Reward.server";
import {
  markBatchingAvailable,
  markBatchingUnavailable,
  batchingFor,
} from "../models/ProviderConnection.server";
import type {
  PurchaseOutcome,
  PurchaseReceipt,
  PurchaseRequest,
  RewardsProvider,
} from "./provider.server";

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

// The purchase a ledger row stands for. Everything comes from the row, so a
// resend after a crash (or a backfill re-run) is the very same request.
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

export function receiptEntry(rewardId: string, receipt: PurchaseReceipt) {
  return {
    rewardId,
    type: "rewarded",
    message: `Sent to SIR as action ${receipt.actionId}: ${receipt.tokensDistributed} tokens${receipt.replayed ? " (already recorded by SIR; no double)" : ""}.`,
  };
}

/**
 * Writes each receipt and its timeline entry where the reward still awaits one (see
 * writeAwaitedReceipts), in one statement each for the whole batch.
 */
export async function recordPurchaseReceipts(
  receipts: Array<{ rewardId: string; receipt: PurchaseReceipt }>,
  database: Database = db,
) {
  const written = await writeAwaitedReceipts(
    receipts.map(({ rewardId, receipt }) => ({
      rewardId,
      actionId: receipt.actionId,
      tokensDistributed: receipt.tokensDistributed,
    })),
    database,
  );
  await addRewardEvents(
    receipts
      .filter(({ rewardId }) => written.has(rewardId))
      .map(({ rewardId, receipt }) => receiptEntry(rewardId, receipt)),
    database,
  );
}

/** Writes the receipt and its timeline entry if the reward still awaits one; returns the row. */
export async function recordPurchaseReceipt(
  reward: RewardRow,
  receipt: PurchaseReceipt,
  database: Database = db,
): Promise<RewardRow> {
  await recordPurchaseReceipts([{ rewardId: reward.id, receipt }], database);
  return database.reward.findUniqueOrThrow({ where: { id: reward.id } });
}

/**
 * Sends a shop's purchases in as few calls as its connection allows: in batches while the
 * provider's batch call works, one by one while the connection remembers it unavailable (trying
 * the batch call again once per BULK_REPROBE_MS). A batch call the provider turns out not to have
 * fails nothing: the purchases go one by one, and the connection remembers it.
 */
export async function sendPurchases(
  shopDomain: string,
  provider: RewardsProvider,
  requests: PurchaseRequest[],
  database: Database = db,
): Promise<PurchaseOutcome[]> {
  const { tryBatch, unavailable } = await batchingFor(shopDomain, database);
  const { outcomes, batching } = await provider.submitPurchases(requests, { batch: tryBatch });
  if (batching === "batching_unavailable") await markBatchingUnavailable(shopDomain, database);
  // Written only on the way back, so a shop batching as usual costs no write per batch.
  else if (batching === "batched" && unavailable) await markBatchingAvailable(shopDomain, database);
  return outcomes;
}
