import { db, type Database } from "../db.server";
import {
  addRewardEvent,
  parkPendingRewards,
  releaseReward,
  type RewardRow,
} from "../models/Reward.server";
import { markPoolEmpty } from "../models/ProviderConnection.server";
import { ProviderError, type RewardsProvider } from "./provider.server";
import {
  HUNDRED_PERCENT,
  formatPercentHundredths,
  nextReversal,
  parsePercentHundredths,
  remainderReversal,
} from "./calculation/reversal-percentage";
import { retryDelayMs, MAX_ATTEMPTS } from "./retry-schedule";
import { purchaseRequestFor, recordPurchaseReceipt } from "./purchase.server";

type ReversalRow = Awaited<ReturnType<Database["reversal"]["findFirstOrThrow"]>>;

export type ProviderLookup = (shopDomain: string) => Promise<RewardsProvider | null>;

const NOT_CONNECTED =
  "SIR is not connected for this shop yet; the reward will be sent once it is (Settings).";
const NOT_CONNECTED_RETRY_MS = 5 * 60_000;

function asProviderError(error: unknown): ProviderError {
  return error instanceof ProviderError
    ? error
    : new ProviderError("retryable", `Unexpected error: ${String(error)}`);
}

// Submits the purchase: the row already holds the intent and the key, so a
// resend after a crash is the same request and SIR answers with the original.
async function submitReward(reward: RewardRow, provider: RewardsProvider, database: Database) {
  const receipt = await provider.submitPurchase(purchaseRequestFor(reward));
  return recordPurchaseReceipt(reward, receipt, database);
}

// Applies one reversal. Its percentage is fixed (written to the row) before
// the call, so a resend after a crash sends the same numbers under the same key.
async function applyReversal(
  reward: RewardRow,
  reversal: ReversalRow,
  provider: RewardsProvider,
  database: Database,
) {
  let { percent, cumulativeBasisMinor } = reversal;
  if (cumulativeBasisMinor === null) {
    const next =
      reversal.kind === "cancel"
        ? { ...remainderReversal(reward.reversedPercent), cumulativeBasisMinor: reward.basisMinor }
        : nextReversal({
            earnedBasisMinor: reward.basisMinor,
            alreadyReversedBasisMinor: reward.reversedBasisMinor,
            alreadySentPercent: reward.reversedPercent,
            refundedBasisMinor: reversal.refundedBasisMinor,
          });
    percent = next.percent;
    cumulativeBasisMinor = next.cumulativeBasisMinor;
    await database.reversal.update({
      where: { id: reversal.id },
      data: { percent, cumulativeBasisMinor },
    });
  }

  const receipt = percent
    ? await provider.reversePurchase({
        actionId: reward.actionId!,
        percent,
        reason: reversal.kind === "cancel" ? "Order cancelled" : "Order refunded",
        idempotencyKey: reversal.idempotencyKey,
      })
    : null;

  const sentHundredths =
    parsePercentHundredths(reward.reversedPercent) +
    (percent ? parsePercentHundredths(percent) : 0n);
  // Only the worker that moves the reversal out of "pending" adds its tokens,
  // so a second worker holding an expired lease cannot count them twice.
  const updated = await database.$transaction(async (tx) => {
    const { count } = await tx.reversal.updateMany({
      where: { id: reversal.id, status: "pending" },
      data: {
        status: "applied",
        tokensClawedBack: receipt?.tokensClawedBack ?? 0,
        debt: receipt?.debt ?? 0,
        reversalTransactionId: receipt?.reversalId ?? null,
        processedAt: new Date(),
        lastError: null,
      },
    });
    if (count === 0) return tx.reward.findUniqueOrThrow({ where: { id: reward.id } });
    return tx.reward.update({
      where: { id: reward.id },
      data: {
        reversedBasisMinor: cumulativeBasisMinor,
        reversedPercent: formatPercentHundredths(sentHundredths),
        tokensReversed: { increment: receipt?.tokensClawedBack ?? 0 },
        debt: { increment: receipt?.debt ?? 0 },
        status: sentHundredths === HUNDRED_PERCENT ? "reversed" : "partially_reversed",
      },
    });
  });
  await addRewardEvent(
    reward.id,
    "reversed",
    receipt
      ? `Reversed ${percent} % on SIR: ${receipt.tokensClawedBack} tokens clawed back${receipt.debt ? `, ${receipt.debt} tokens became customer debt` : ""}.`
      : "Refund too small to reverse on its own (under 0.01 %); carried into the next reversal.",
    database,
  );
  return updated;
}

async function handleFailure(
  reward: RewardRow,
  failure: ProviderError,
  reversal: ReversalRow | null,
  database: Database,
) {
  if (failure.kind === "pool_empty" && !reversal) {
    await markPoolEmpty(reward.shopDomain, database);
    await releaseReward(
      reward.id,
      { status: "parked", workPending: false, lastError: failure.message },
      database,
    );
    const parked = await parkPendingRewards(reward.shopDomain, database);
    await addRewardEvent(
      reward.id,
      "parked",
      `${failure.message} This and ${parked} other pending rewards wait until the pool is refilled.`,
      database,
    );
    return;
  }
  const attempts = reward.attempts + 1;
  if (failure.kind === "permanent" || attempts >= MAX_ATTEMPTS) {
    if (reversal) {
      await database.reversal.update({
        where: { id: reversal.id },
        data: { status: "failed", lastError: failure.message },
      });
    }
    await releaseReward(
      reward.id,
      {
        ...(reversal ? {} : { status: "failed" }),
        workPending: false,
        attempts,
        lastError: failure.message,
      },
      database,
    );
    await addRewardEvent(reward.id, "failed", failure.message, database);
    return;
  }
  const delay = Math.max(retryDelayMs(attempts), failure.retryAfterMs ?? 0);
  await releaseReward(
    reward.id,
    { attempts, nextAttemptAt: new Date(Date.now() + delay), lastError: failure.message },
    database,
  );
  await addRewardEvent(
    reward.id,
    "retry",
    `${failure.message} Attempt ${attempts} of ${MAX_ATTEMPTS}; next try in ${Math.round(delay / 1000)} s.`,
    database,
  );
}

/**
 * Does everything a claimed reward is owed: its submit, then its reversals in order. The row
 * is the one read after the claim (the worker reads its whole batch at once).
 */
export async function processReward(
  claimed: RewardRow,
  providerFor: ProviderLookup,
  database: Database = db,
) {
  let reward = claimed;
  const provider = await providerFor(reward.shopDomain);
  if (!provider) {
    await releaseReward(
      reward.id,
      { nextAttemptAt: new Date(Date.now() + NOT_CONNECTED_RETRY_MS), lastError: NOT_CONNECTED },
      database,
    );
    return;
  }

  let current: ReversalRow | null = null;
  try {
    if (reward.status === "pending") reward = await submitReward(reward, provider, database);
    if (reward.actionId) {
      for (;;) {
        current = await database.reversal.findFirst({
          where: { rewardId: reward.id, status: "pending" },
          orderBy: { createdAt: "asc" },
        });
        if (!current) break;
        reward = await applyReversal(reward, current, provider, database);
      }
    }
    // Reversals of a reward not yet sent stay pending until it is.
    await releaseReward(reward.id, { workPending: false, attempts: 0, lastError: null }, database);
  } catch (error) {
    await handleFailure(reward, asProviderError(error), current, database);
  }
}
