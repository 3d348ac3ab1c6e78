import { setTimeout as sleep } from "node:timers/promises";
import { db, type Database } from "../db.server";
import { config } from "../config.server";
import { logger } from "../logger.server";
import {
  claimDueEvents,
  completeEvents,
  failEvent,
  findEvents,
  rescheduleEvent,
  type WebhookEventRow,
} from "../models/WebhookEvent.server";
import {
  clearPoolEmpty,
  notePoolChecked,
  shopsWithEmptyPool,
} from "../models/ProviderConnection.server";
import { claimRewardsWithWork, findRewards, resumeParkedRewards } from "../models/Reward.server";
import { applyInboxEvents, type IngestDependencies } from "../rewards/ingest/apply-event.server";
import { DeferEvent, RejectEvent } from "../rewards/ingest/inbox-event";
import { PayloadError } from "../rewards/calculation/shopify-order";
import { RefundBasisError } from "../rewards/calculation/refund-basis";
import { processRewards, type ProviderLookup } from "../rewards/process-reward.server";
import { MAX_ATTEMPTS, retryDelayMs } from "../rewards/retry-schedule";
import { providerForShop } from "../providers/provider-for-shop.server";
import { waitForWake, wakeWorkerInThisThread } from "./wake.server";
import { noteRetryScheduled } from "../metrics/registry.server";
import { claimerToken, releaseOwnClaims } from "./claims.server";
import { notifyWorkers, RELEASED_PAYLOAD } from "./inbox-notify.server";
import { claimRunningBackfills } from "../models/BackfillRun.server";
import { runBackfillStep, type BackfillDependencies } from "../services/backfill.server";

const log = logger.child({ component: "worker" });

// An event that can never apply (malformed, or about another order) is
// failed at once for inspection; anything else is retried on the schedule.
function isPermanentIngestError(error: unknown) {
  return (
    error instanceof RejectEvent ||
    error instanceof SyntaxError ||
    error instanceof PayloadError ||
    error instanceof RefundBasisError
  );
}

export type WorkerOptions = {
  database?: Database;
  providerFor?: ProviderLookup;
  ingest?: IngestDependencies;
  backfill?: BackfillDependencies;
  /**
   * Rewards claimed per pass. New purchases go to the provider in bulk (one SIR call takes 100);
   * the others' calls overlap.
   */
  rewardBatch?: number;
  inboxBatch?: number;
  /** How long a claim holds before another worker may take the row. */
  leaseMs?: number;
  pollMs?: number;
  poolCheckMs?: number;
  /** Shopify's webhook deliveries per second to the request thread beside it (see startWorker). */
  shopifyDeliveryRate?: () => number;
};

export type Worker = {
  /**
   * One pass over due work; returns how many items it handled. A pass made during a burst of
   * deliveries (`busy`) claims a small share, so what it sets off lands on them in small steps.
   */
  runOnce(options?: { busy?: boolean; takeReleased?: boolean }): Promise<number>;
  stop(): Promise<void>;
};

export function createWorker(options: WorkerOptions = {}): Worker {
  const database = options.database ?? db;
  const providerFor = options.providerFor ?? ((shop: string) => providerForShop(shop, database));
  const rewardBatch = options.rewardBatch ?? 100;
  const inboxBatch = options.inboxBatch ?? 200;
  const leaseMs = options.leaseMs ?? config.workerLeaseMs;
  const poolCheckMs = options.poolCheckMs ?? config.poolCheckMs;
  let lastPoolCheck = 0;

  async function settleFailedEvent(event: WebhookEventRow, error: unknown) {
    const reason = error instanceof Error ? error.message : String(error);
    const attempts = event.attempts + 1;
    const eventLog = log.child({
      shop: event.shopDomain,
      eventId: event.eventKey,
      topic: event.topic,
      id: event.id,
      attempts,
    });
    if (isPermanentIngestError(error) || attempts >= MAX_ATTEMPTS) {
      eventLog.warn("webhook event failed", { reason, error });
      await failEvent(event.id, reason, database);
    } else {
      if (!(error instanceof DeferEvent)) {
        eventLog.warn("webhook event will retry", { reason, error });
      }
      noteRetryScheduled("inbox");
      await rescheduleEvent(event.id, attempts, retryDelayMs(attempts), reason, database);
    }
  }

  async function processInbox(limit: number, claimed?: string[]): Promise<number> {
    const ids = claimed ?? (await claimDueEvents(limit, leaseMs, database));
    if (ids.length === 0) return 0;
    const events = await findEvents(ids, database);
    const done: string[] = [];
    for (const outcome of await applyInboxEvents(events, database, options.ingest)) {
      if (outcome.applied) done.push(outcome.event.id);
      else await settleFailedEvent(outcome.event, outcome.error);
    }
    await completeEvents(done, database);
    return ids.length;
  }

  async function processRewardBatch(limit: number, claimed?: string[]): Promise<number> {
    const ids = claimed ?? (await claimRewardsWithWork(limit, leaseMs, database));
    if (ids.length === 0) return 0;
    // One read for the batch, and each shop's provider looked up once for it.
    const providers = new Map<string, ReturnType<ProviderLookup>>();
    const providerOf: ProviderLookup = (shopDomain) => {
      if (!providers.has(shopDomain)) providers.set(shopDomain, providerFor(shopDomain));
      return providers.get(shopDomain)!;
    };
    const rewards = await findRewards(ids, database);
    await processRewards(rewards, providerOf, database);
    return ids.length;
  }

  // The periodic half of pool recovery (the other half is SIR's
  // token_pool.refilled webhook): ask SIR whether an empty pool has balance.
  async function checkEmptyPools() {
    if (Date.now() - lastPoolCheck < poolCheckMs) return;
    lastPoolCheck = Date.now();
    const shops = await shopsWithEmptyPool(new Date(Date.now() - poolCheckMs), database);
    for (const { shopDomain } of shops) {
      const provider = await providerFor(shopDomain);
      const refilled = await provider?.hasPoolBalance().catch(() => false);
      if (refilled) {
        await clearPoolEmpty(shopDomain, database);
        const resumed = await resumeParkedRewards(shopDomain, database);
        log.info("pool has balance again; parked rewards resumed", { shop: shopDomain, resumed });
      } else {
        await notePoolChecked(shopDomain, database);
      }
    }
  }

  // One page of one backfill per pass, so live orders are never starved.
  async function processBackfill(): Promise<number> {
    const [runId] = await claimRunningBackfills(1, leaseMs, { database });
    if (!runId) return 0;
    await runBackfillStep(runId, { providerFor, ...options.backfill }, database);
    return 1;
  }

  // A stopping worker claims nothing more: each step checks before it claims.
  let stopping = false;
  async function runOnce({ busy = false, takeReleased = false } = {}) {
    if (stopping) return 0;
    if (takeReleased) {
      // Another process released its claims as it stopped: both claims come first, whole
      // batches of the released rows only (an older backlog could fill a batch by due time; the
      // loop takes that), and the work after.
      const released = { onlyReleased: true };
      const events = await claimDueEvents(inboxBatch, leaseMs, database, released);
      const rewards = await claimRewardsWithWork(rewardBatch, leaseMs, database, released);
      log.info("took up released claims", { events: events.length, rewards: rewards.length });
      return (await processInbox(0, events)) + (await processRewardBatch(0, rewards));
    }
    let handled = await processInbox(busy ? BUSY_INBOX_BATCH : inboxBatch);
    if (!stopping) handled += await processRewardBatch(busy ? BUSY_REWARD_BATCH : rewardBatch);
    if (!stopping) handled += await processBackfill();
    if (!stopping) await checkEmptyPools();
    return handled;
  }

  return {
    runOnce,
    stop: async () => {
      stopping = true;
    },
  };
}

// Shopify waits for the request thread's answers; the worker's work can wait. The threads share
// the CPUs and SQLite's write lock, so while Shopify is delivering a burst the worker pauses in
// short steps until it is over, or a bound passes so that it always progresses, and then takes a
// small share. The backlog it leaves is durable and drains when the burst is over.
const BURST_DELIVERIES_PER_SECOND = 20;
const PAUSE_STEP_MS = 10;
const MAX_PAUSE_MS = 1_000;
const BUSY_INBOX_BATCH = 20;
const BUSY_REWARD_BATCH = 4;

/** Pauses while Shopify delivers a burst; resolves whether it was. */
async function giveWayToBursts(deliveryRate: () => number): Promise<boolean> {
  if (deliveryRate() < BURST_DELIVERIES_PER_SECOND) return false;
  for (let paused = 0; paused < MAX_PAUSE_MS; paused += PAUSE_STEP_MS) {
    await sleep(PAUSE_STEP_MS);
    if (deliveryRate() < BURST_DELIVERIES_PER_SECOND) break;
  }
  return true;
}

/**
 * Runs the worker until stopped: work while there is work, otherwise wait for a wake-up or a
 * poll. Beside a request thread (shopifyDeliveryRate), it gives way to Shopify's bursts first.
 */
export function startWorker(options: WorkerOptions = {}): RunningWorker {
  const worker = createWorker(options);
  const database = options.database ?? db;
  const pollMs = options.pollMs ?? config.workerPollMs;
  const { shopifyDeliveryRate } = options;
  let running = true;
  // A pass of its own for rows another process released, beside the loop's pass in progress
  // (which may be waiting for SIR): claims are atomic, so the two never take the same row.
  let takingOver: Promise<void> | null = null;
  let takeOverAgain = false;
  const loop = (async () => {
    while (running) {
      try {
        const busy = shopifyDeliveryRate ? await giveWayToBursts(shopifyDeliveryRate) : false;
        const handled = await worker.runOnce({ busy });
        if (handled === 0 && running) await waitForWake(pollMs);
      } catch (error) {
        log.error("worker pass failed", { error });
        if (running) await waitForWake(pollMs);
      }
    }
  })();
  const stop = async () => {
    running = false;
    await worker.stop();
    // Not a whole poll later: a stopping process waits for this.
    wakeWorkerInThisThread();
    await loop;
    await takingOver;
  };
  return {
    runOnce: worker.runOnce,
    stop,
    hurry: () => {
      // A second 'released' while one is being taken up: another pass right after it.
      if (takingOver) takeOverAgain = true;
      if (running && !takingOver) {
        const takeOver = async () => {
          do {
            takeOverAgain = false;
            await worker.runOnce({ takeReleased: true });
          } while (takeOverAgain && running);
        };
        takingOver = takeOver()
          .catch((error: unknown) => log.error("taking over released claims failed", { error }))
          .finally(() => (takingOver = null));
      }
      wakeWorkerInThisThread();
    },
    shutdown: async (drainMs) => {
      const startedAt = Date.now();
      let finished = false;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        stop().then(() => void (finished = true)),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, drainMs))),
      ]);
      clearTimeout(timer);
      // Whatever is still claimed (work that did not finish within the bound) is released for
      // the other processes at once, and they are woken to take it.
      const released = await releaseOwnClaims(database);
      await notifyWorkers(database, RELEASED_PAYLOAD).catch((error: unknown) => {
        log.warn("could not wake the other workers", { error });
      });
      const outcome = { finished, released, claimer: claimerToken(), ms: Date.now() - startedAt };
      log.info("worker shut down", outcome);
      return outcome;
    },
  };
}

/**
 * Of a process's shutdown bound, how long its worker may spend finishing the pass in progress:
 * the rest (half the bound, at most 2 s) is kept to release what it still holds and exit.
 */
export function shutdownDrainMs(boundMs: number): number {
  return Math.max(0, boundMs - Math.min(Math.floor(boundMs / 2), 2_000));
}

export type ShutdownOutcome = {
  /** Whether the pass in progress finished within the bound. */
  finished: boolean;
  /** Rows still claimed at the end, released for other workers. */
  released: number;
  /** The prefix of this worker's claims. */
  claimer: string;
  ms: number;
};

export type RunningWorker = Worker & {
  /**
   * Stops claiming, waits up to `drainMs` for the pass in progress, then releases whatever this
   * worker still holds and wakes the other processes' workers (PostgreSQL).
   */
  shutdown(drainMs: number): Promise<ShutdownOutcome>;
  /**
   * Another process released its claims while stopping: a pass of their own takes them at once
   * (beside any pass in progress, without giving way to a burst), so nothing released waits.
   */
  hurry(): void;
};
