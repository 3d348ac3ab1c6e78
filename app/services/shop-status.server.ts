import { db, type Database } from "../db.server";
import { latestBackfillRun } from "../models/BackfillRun.server";
import {
  BULK_REPROBE_MS,
  describeSendingMode,
  findConnection,
} from "../models/ProviderConnection.server";
import { latestFailedReward, rewardBacklog } from "../models/Reward.server";
import { findShop } from "../models/Shop.server";
import { inboxBacklog } from "../models/WebhookEvent.server";

/** Everything `shop status` shows, read-only, from the database alone (SIR is not asked). */
export type ShopStatus = {
  shop: string;
  installed: { installedAt: string; uninstalledAt: string | null } | null;
  connection: {
    connected: boolean;
    provider: string | null;
    environment: string | null;
    apiHost: string | null;
    webhookRegistered: boolean;
    updatedAt: string | null;
  };
  pool: {
    state: "empty" | "low" | "ok" | "unknown";
    emptySince: string | null;
    lowWarningAt: string | null;
    checkedAt: string | null;
  };
  /** Rewards wait: SIR's pool is empty, the app is uninstalled, or SIR is not connected. */
  paused: { paused: boolean; reason: string | null };
  sending: {
    mode: "bulk" | "one by one";
    bulkUnavailableSince: string | null;
    checkedAt: string | null;
    nextProbeAfter: string | null;
  };
  backlog: {
    inboxPending: number;
    inboxFailed: number;
    rewardsOwingWork: number;
    rewardsParked: number;
    oldestDueAt: string | null;
    oldestDueSeconds: number | null;
  };
  lastError: { orderId: string; orderName: string; message: string | null; at: string } | null;
  backfill: {
    status: string;
    since: string;
    ordersSeen: number;
    rewarded: number;
    failed: number;
    lastError: string | null;
    startedAt: string;
  } | null;
};

const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

export async function shopStatus(
  shopDomain: string,
  now: Date = new Date(),
  database: Database = db,
): Promise<ShopStatus> {
  const [shop, connection, rewards, inbox, failed, backfill] = await Promise.all([
    findShop(shopDomain, database),
    findConnection(shopDomain, database),
    rewardBacklog(shopDomain, now, database),
    inboxBacklog(shopDomain, now, database),
    latestFailedReward(shopDomain, database),
    latestBackfillRun(shopDomain, database),
  ]);
  const oldest = [rewards.oldestDueAt, inbox.oldestDueAt]
    .filter((date): date is Date => date !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];

  const sending = connection
    ? describeSendingMode(connection)
    : { batching: "bulk" as const, since: null };

  let paused: ShopStatus["paused"] = { paused: false, reason: null };
  if (!connection) {
    paused = { paused: true, reason: "SIR is not connected: run shop connect." };
  } else if (shop?.uninstalledAt) {
    paused = { paused: true, reason: "The app was uninstalled from the shop." };
  } else if (connection.poolEmptySince) {
    paused = {
      paused: true,
      reason: "SIR's token pool is empty: rewards wait until it is refilled.",
    };
  }

  return {
    shop: shopDomain,
    installed: shop
      ? { installedAt: shop.installedAt.toISOString(), uninstalledAt: iso(shop.uninstalledAt) }
      : null,
    connection: {
      connected: connection !== null,
      provider: connection?.provider ?? null,
      environment: connection?.environment ?? null,
      apiHost: connection ? hostOf(connection.apiUrl) : null,
      webhookRegistered: Boolean(connection?.webhookId),
      updatedAt: iso(connection?.updatedAt),
    },
    pool: {
      state: !connection
        ? "unknown"
        : connection.poolEmptySince
          ? "empty"
          : connection.poolLowAt
            ? "low"
            : "ok",
      emptySince: iso(connection?.poolEmptySince),
      lowWarningAt: iso(connection?.poolLowAt),
      checkedAt: iso(connection?.poolCheckedAt),
    },
    paused,
    sending: {
      mode: sending.batching === "bulk" ? "bulk" : "one by one",
      bulkUnavailableSince: iso(sending.since),
      checkedAt: iso(connection?.bulkCheckedAt),
      // The batch call is tried again once this long has passed since the last check.
      nextProbeAfter: sending.since
        ? new Date(
            (connection?.bulkCheckedAt ?? sending.since).getTime() + BULK_REPROBE_MS,
          ).toISOString()
        : null,
    },
    backlog: {
      inboxPending: inbox.pending,
      inboxFailed: inbox.failed,
      rewardsOwingWork: rewards.owingWork,
      rewardsParked: rewards.parked,
      oldestDueAt: iso(oldest),
      oldestDueSeconds: oldest
        ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000))
        : null,
    },
    lastError: failed
      ? {
          orderId: failed.orderId,
          orderName: failed.orderName,
          message: failed.lastError,
          at: failed.updatedAt.toISOString(),
        }
      : null,
    backfill: backfill
      ? {
          status: backfill.status,
          since: backfill.since.toISOString().slice(0, 10),
          ordersSeen: backfill.ordersSeen,
          rewarded: backfill.rewarded,
          failed: backfill.failed,
          lastError: backfill.lastError,
          startedAt: backfill.startedAt.toISOString(),
        }
      : null,
  };
}
