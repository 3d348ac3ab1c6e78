import { db, type Database } from "../db.server";
import {
  claimRunningBackfills,
  createBackfillRun,
  findBackfillRun,
  latestBackfillRun,
  releaseBackfillRun,
  setBackfillStatus,
  type BackfillRunRow,
  type BackfillStatus,
} from "../models/BackfillRun.server";
import { markPoolEmpty } from "../models/ProviderConnection.server";
import { addRewardEvent, parkPendingRewards, updateReward } from "../models/Reward.server";
import { createRewardsForOrders, earningContext } from "../rewards/ingest/record-paid-order.server";
import { shopifyProductTags, type ProductTagSource } from "../rewards/ingest/product-tags.server";
import { PayloadError } from "../rewards/calculation/shopify-order";
import { ProviderError, type PurchaseReceipt } from "../rewards/provider.server";
import {
  purchaseRequestFor,
  recordPurchaseReceipts,
  sendPurchases,
} from "../rewards/purchase.server";
import type { ProviderLookup } from "../rewards/process-reward.server";
import { providerForShop } from "../providers/provider-for-shop.server";
import { wakeWorker } from "../jobs/wake.server";
import { adminOrderPages, type OrderPageSource } from "./backfill/admin-order-pages.server";

export type BackfillRunView = {
  id: string;
  since: string;
  status: BackfillStatus;
  ordersSeen: number;
  rewarded: number;
  skipped: number;
  alreadyRecorded: number;
  failed: number;
  lastError: string | null;
  startedAt: string;
  finishedAt: string | null;
};

function toView(run: BackfillRunRow): BackfillRunView {
  return {
    id: run.id,
    since: run.since.toISOString().slice(0, 10),
    status: run.status as BackfillStatus,
    ordersSeen: run.ordersSeen,
    rewarded: run.rewarded,
    skipped: run.skipped,
    alreadyRecorded: run.alreadyRecorded,
    failed: run.failed,
    lastError: run.lastError,
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
  };
}

/** Starts a backfill, or returns the one already running for the shop. */
export async function startBackfill(
  shopDomain: string,
  since: Date,
  database: Database = db,
): Promise<BackfillRunView> {
  const latest = await latestBackfillRun(shopDomain, database);
  const run =
    latest?.status === "running" ? latest : await createBackfillRun(shopDomain, since, database);
  wakeWorker();
  return toView(run);
}

async function changeLatest(shopDomain: string, from: BackfillStatus[], to: BackfillStatus) {
  const latest = await latestBackfillRun(shopDomain);
  if (!latest || !from.includes(latest.status as BackfillStatus)) return null;
  const run = await setBackfillStatus(latest.id, to);
  if (to === "running") wakeWorker();
  return toView(run);
}

export const pauseBackfill = (shopDomain: string) =>
  changeLatest(shopDomain, ["running"], "paused");

/** Resumes a paused run, or retries a failed one from the page where it stopped. */
export const resumeBackfill = (shopDomain: string) =>
  changeLatest(shopDomain, ["paused", "failed"], "running");

export async function latestBackfill(shopDomain: string, database: Database = db) {
  const run = await latestBackfillRun(shopDomain, database);
  return run ? toView(run) : null;
}

export type BackfillDependencies = {
  pages?: OrderPageSource;
  providerFor?: ProviderLookup;
  productTags?: ProductTagSource;
  /** runBackfill calls it after each page with the run's counts so far (the CLI's progress). */
  onProgress?: (run: BackfillRunView) => void;
};

type PageCounts = {
  ordersSeen: number;
  rewarded: number;
  skipped: number;
  alreadyRecorded: number;
  failed: number;
};

// One page: record each order in the ledger exactly as a webhook would (a
// re-run finds the rows and skips them), then submit the new ones in one
// bulk call under the same idempotency keys the webhook path uses.
async function backfillPage(
  run: BackfillRunRow,
  orders: Record<string, unknown>[],
  dependencies: Required<Omit<BackfillDependencies, "onProgress">>,
  database: Database,
): Promise<PageCounts> {
  const counts = {
    ordersSeen: orders.length,
    rewarded: 0,
    skipped: 0,
    alreadyRecorded: 0,
    failed: 0,
  };
  const context = await earningContext(run.shopDomain, database);
  const recorded = await createRewardsForOrders(
    run.shopDomain,
    orders.map((raw, key) => ({ key, raw })),
    context,
    { productTags: dependencies.productTags, submitByWorker: false, database },
  );
  const toSubmit = [];
  for (const outcome of recorded.values()) {
    if ("error" in outcome) {
      if (!(outcome.error instanceof PayloadError)) throw outcome.error;
      counts.failed++;
    } else if (!outcome.reward) counts.alreadyRecorded++;
    else if (outcome.reward.status === "skipped") counts.skipped++;
    else if (outcome.reward.status === "pending") toSubmit.push(outcome.reward);
  }
  if (toSubmit.length === 0) return counts;

  const provider = await dependencies.providerFor(run.shopDomain);
  if (!provider) throw new Error("Connect SIR in Settings before running a backfill.");
  const outcomes = await sendPurchases(
    run.shopDomain,
    provider,
    toSubmit.map(purchaseRequestFor),
    database,
  );
  let poolEmpty = false;
  const receipts: Array<{ rewardId: string; receipt: PurchaseReceipt }> = [];
  for (const [index, outcome] of outcomes.entries()) {
    const reward = toSubmit[index];
    if (!(outcome instanceof ProviderError)) {
      receipts.push({ rewardId: reward.id, receipt: outcome });
      counts.rewarded++;
    } else if (outcome.kind === "pool_empty") {
      poolEmpty = true;
    } else if (outcome.kind === "retryable") {
      // The worker resends it on its own, under the same key.
      await updateReward(reward.id, { workPending: true, lastError: outcome.message }, database);
    } else {
      await updateReward(reward.id, { status: "failed", lastError: outcome.message }, database);
      await addRewardEvent(reward.id, "failed", outcome.message, database);
      counts.failed++;
    }
  }
  await recordPurchaseReceipts(receipts, database);
  if (poolEmpty) {
    await markPoolEmpty(run.shopDomain, database);
    await parkPendingRewards(run.shopDomain, database);
  }
  return counts;
}

/** Advances a claimed run by one page and saves where it got to. */
export async function runBackfillStep(
  runId: string,
  dependencies: BackfillDependencies = {},
  database: Database = db,
) {
  const run = await findBackfillRun(runId, database);
  if (!run) return;
  if (run.status !== "running") return releaseBackfillRun(run.id, {}, database);
  const resolved = {
    pages: dependencies.pages ?? adminOrderPages,
    providerFor: dependencies.providerFor ?? ((shop: string) => providerForShop(shop, database)),
    productTags: dependencies.productTags ?? shopifyProductTags,
  };
  try {
    const page = await resolved.pages.fetchPage(run.shopDomain, run.since, run.cursor);
    const counts = await backfillPage(run, page.orders, resolved, database);
    const finished = page.nextCursor === null;
    await releaseBackfillRun(
      run.id,
      {
        cursor: page.nextCursor,
        ordersSeen: { increment: counts.ordersSeen },
        rewarded: { increment: counts.rewarded },
        skipped: { increment: counts.skipped },
        alreadyRecorded: { increment: counts.alreadyRecorded },
        failed: { increment: counts.failed },
        lastError: null,
        ...(finished ? { status: "done", finishedAt: new Date() } : {}),
      },
      database,
    );
  } catch (error) {
    // The cursor still points at this page: resuming redoes it, harmlessly.
    const message = error instanceof Error ? error.message : String(error);
    await releaseBackfillRun(run.id, { status: "failed", lastError: message }, database);
  }
}

/** For the CLI: runs a backfill to the end in this process. */
export async function runBackfill(
  shopDomain: string,
  since: Date,
  dependencies: BackfillDependencies = {},
  database: Database = db,
) {
  const { id } = await startBackfill(shopDomain, since, database);
  for (;;) {
    const [claimed] = await claimRunningBackfills(1, 120_000, { onlyId: id, database });
    if (claimed) await runBackfillStep(claimed, dependencies, database);
    const run = await findBackfillRun(id, database);
    if (run && claimed) dependencies.onProgress?.(toView(run));
    if (!run || run.status !== "running") return run ? toView(run) : null;
    if (!claimed) await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
