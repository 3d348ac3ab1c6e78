import { db, type Database } from "../db.server";
import { withLogContext } from "../logger.server";
import {
  addRewardEvent,
  addRewardEvents,
  parkPendingRewards,
  releaseClaimedRewards,
  releaseReward,
  type RewardRow,
} from "../models/Reward.server";
import {
  markPoolEmpty,
  markReversalsWholePercent,
  reversalsInWholePercent,
} from "../models/ProviderConnection.server";
import {
  FractionalPercentRefused,
  ProviderError,
  type PurchaseReceipt,
  type RewardsProvider,
} from "./provider.server";
import {
  HUNDRED_PERCENT,
  HUNDREDTH_PERCENT,
  WHOLE_PERCENT,
  formatPercentHundredths,
  nextReversal,
  parsePercentHundredths,
  remainderReversal,
} from "./calculation/reversal-percentage";
import { retryDelayMs, MAX_ATTEMPTS } from "./retry-schedule";
import { noteRetryScheduled } from "../metrics/registry.server";
import {
  purchaseRequestFor,
  receiptEntry,
  recordPurchaseReceipt,
  recordPurchaseReceipts,
  sendPurchases,
} from "./purchase.server";

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

/** The reversal's percentage at `step` (0.01 % or whole percents), from the reward's totals. */
function reversalAt(reward: RewardRow, reversal: ReversalRow, step: bigint) {
  return reversal.kind === "cancel"
    ? {
        ...remainderReversal(reward.reversedPercent, step),
        cumulativeBasisMinor: reward.basisMinor,
      }
    : nextReversal({
        earnedBasisMinor: reward.basisMinor,
        alreadyReversedBasisMinor: reward.reversedBasisMinor,
        alreadySentPercent: reward.reversedPercent,
        refundedBasisMinor: reversal.refundedBasisMinor,
        step,
      });
}

// Applies one reversal. Its percentage is fixed (written to the row) before
// the call, so a resend after a crash sends the same numbers under the same key.
async function applyReversal(
  reward: RewardRow,
  reversal: ReversalRow,
  provider: RewardsProvider,
  database: Database,
) {
  const fix = async (step: bigint) => {
    const { percent, cumulativeBasisMinor } = reversalAt(reward, reversal, step);
    await database.reversal.update({
      where: { id: reversal.id },
      data: { percent, cumulativeBasisMinor },
    });
    return { percent, cumulativeBasisMinor };
  };
  let { percent, cumulativeBasisMinor } =
    reversal.cumulativeBasisMinor === null
      ? await fix(
          (await reversalsInWholePercent(reward.shopDomain, database))
            ? WHOLE_PERCENT
            : HUNDREDTH_PERCENT,
        )
      : { percent: reversal.percent, cumulativeBasisMinor: reversal.cumulativeBasisMinor };

  const send = (sent: string) =>
    provider.reversePurchase({
      actionId: reward.actionId!,
      percent: sent,
      reason: reversal.kind === "cancel" ? "Order cancelled" : "Order refunded",
      idempotencyKey: reversal.idempotencyKey,
    });
  let receipt = null;
  if (percent) {
    try {
      receipt = await send(percent);
    } catch (error) {
      if (!(error instanceof FractionalPercentRefused)) throw error;
      // Two decimals are ASSUMED; SIR refused them as invalid, which recorded nothing, so the
      // same key carries the whole-percent figure (floored to 1 %, the rest carried), once.
      await markReversalsWholePercent(reward.shopDomain, database);
      ({ percent, cumulativeBasisMinor } = await fix(WHOLE_PERCENT));
      receipt = percent ? await send(percent) : null;
    }
  }

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
      : "Refund too small to reverse on its own (under the smallest percentage SIR takes); carried into the next reversal.",
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
  noteRetryScheduled("reward");
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

/** A reward whose work is done; its receipt, if any, is not written yet. */
type FinishedReward = { reward: RewardRow; receipt: PurchaseReceipt | null };

async function releaseUntilConnected(reward: RewardRow, database: Database) {
  await releaseReward(
    reward.id,
    { nextAttemptAt: new Date(Date.now() + NOT_CONNECTED_RETRY_MS), lastError: NOT_CONNECTED },
    database,
  );
}

/**
 * Does everything a claimed reward is owed: its submit, then its reversals in order. The submit
 * is sent from the row (which holds the intent and the key), so a resend after a crash is the
 * same request and SIR answers with the original. Returns the reward when its work is done and
 * only the finishing write is left, or null when a failure was recorded instead.
 */
async function processReward(
  claimed: RewardRow,
  pendingReversals: ReversalRow[],
  providerFor: ProviderLookup,
  database: Database,
): Promise<FinishedReward | null> {
  let reward = claimed;
  const provider = await providerFor(reward.shopDomain);
  if (!provider) {
    await releaseUntilConnected(reward, database);
    return null;
  }

  let current: ReversalRow | null = null;
  try {
    if (reward.status === "pending") {
      reward = await recordPurchaseReceipt(
        reward,
        await provider.submitPurchase(purchaseRequestFor(reward)),
        database,
      );
    }
    // Reversals of a reward not yet sent stay pending until it is.
    if (reward.actionId) {
      for (const reversal of pendingReversals) {
        current = reversal;
        reward = await applyReversal(reward, reversal, provider, database);
      }
    }
    return { reward, receipt: null };
  } catch (error) {
    await handleFailure(reward, asProviderError(error), current, database);
    return null;
  }
}

/**
 * One shop's rewards whose only work is their first submit: sent together in as few calls as
 * the provider allows (SIR's bulk endpoint takes 100; one by one while the connection marks it
 * unavailable), each keyed as it would be alone, so the outcome per reward is the same as a
 * submit of its own. A failure is recorded per reward.
 */
async function submitNewPurchases(
  shopDomain: string,
  rewards: RewardRow[],
  providerFor: ProviderLookup,
  database: Database,
): Promise<Array<FinishedReward | null>> {
  const provider = await providerFor(shopDomain);
  if (!provider) {
    for (const reward of rewards) await releaseUntilConnected(reward, database);
    return [];
  }
  const outcomes = await sendPurchases(
    shopDomain,
    provider,
    rewards.map(purchaseRequestFor),
    database,
  ).catch((error: unknown) => rewards.map(() => asProviderError(error)));
  return Promise.all(
    rewards.map(async (reward, index) => {
      const outcome = outcomes[index];
      if (!(outcome instanceof ProviderError)) return { reward, receipt: outcome };
      await handleFailure(reward, outcome, null, database);
      return null;
    }),
  );
}

/**
 * Writes the end of the batch's work: each reward's receipt and release, and the receipts'
 * timeline entries in one insert. A reward that got new work while it was processed (its claim
 * was taken back) keeps its receipt and stays queued for that work.
 */
async function finishRewards(finished: FinishedReward[], database: Database) {
  const released = await releaseClaimedRewards(
    finished.map(({ reward, receipt }) => ({ id: reward.id, lockedBy: reward.lockedBy, receipt })),
    database,
  );
  const withReceipts = finished.flatMap(({ reward, receipt }) =>
    receipt ? [{ rewardId: reward.id, receipt }] : [],
  );
  // Released rewards got their receipt with the release. One whose claim was taken back still
  // gets its receipt, unless one was written since.
  await recordPurchaseReceipts(
    withReceipts.filter(({ rewardId }) => !released.has(rewardId)),
    database,
  );
  await addRewardEvents(
    withReceipts
      .filter(({ rewardId }) => released.has(rewardId))
      .map(({ rewardId, receipt }) => receiptEntry(rewardId, receipt)),
    database,
  );
}

/**
 * Processes a batch of claimed rewards (rows read after the claim): new purchases go to the
 * provider in bulk per shop, rewards with reversals one by one; the calls overlap, and the reads
 * and writes common to the batch are one statement each where they can be.
 */
export async function processRewards(
  claimed: RewardRow[],
  providerFor: ProviderLookup,
  database: Database = db,
) {
  const pending = await database.reversal.findMany({
    where: { rewardId: { in: claimed.map((reward) => reward.id) }, status: "pending" },
    orderBy: { createdAt: "asc" },
  });
  const reversalsOf = (reward: RewardRow) =>
    pending.filter((reversal) => reversal.rewardId === reward.id);
  const newPurchasesByShop = new Map<string, RewardRow[]>();
  const others: RewardRow[] = [];
  for (const reward of claimed) {
    if (reward.status === "pending" && reversalsOf(reward).length === 0) {
      const shopRewards = newPurchasesByShop.get(reward.shopDomain) ?? [];
      if (shopRewards.length === 0) newPurchasesByShop.set(reward.shopDomain, shopRewards);
      shopRewards.push(reward);
    } else {
      others.push(reward);
    }
  }
  const [submitted, processed] = await Promise.all([
    Promise.all(
      [...newPurchasesByShop].map(([shopDomain, rewards]) =>
        submitNewPurchases(shopDomain, rewards, providerFor, database),
      ),
    ),
    Promise.all(
      // The SIR client's lines while a reward is sent say which reward and order.
      others.map((reward) =>
        withLogContext(
          { shop: reward.shopDomain, rewardId: reward.id, orderId: reward.orderId },
          () => processReward(reward, reversalsOf(reward), providerFor, database),
        ),
      ),
    ),
  ]);
  await finishRewards(
    [...submitted.flat(), ...processed].filter((outcome) => outcome !== null),
    database,
  );
}
