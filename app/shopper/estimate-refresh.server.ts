/**
 * The periodic half of keeping the estimate metafield current: the platform's campaign can start
 * or end while nobody saves anything, so every connected shop's value is rewritten hourly
 * (`refreshEstimatesIfDue`, called from the worker's loop beside the pool check). One shop's
 * failure (uninstalled, Shopify or SIR down) is logged and the next shop goes on; its previous
 * value stays.
 */
import { db, type Database } from "../db.server";
import type { AdminGraphql } from "../services/admin/admin-graphql.server";
import { logger } from "../logger.server";
import { unauthenticated } from "../shopify.server";
import { ESTIMATE_REFRESH_MS, tryRefreshEstimateMetafield } from "./estimate-metafield.server";

const log = logger.child({ component: "estimate-refresh" });

export type AdminFor = (shopDomain: string) => Promise<AdminGraphql>;

/** The shop's offline Admin API access, as the worker reads product tags. */
const offlineAdmin: AdminFor = async (shopDomain) => {
  const { admin } = await unauthenticated.admin(shopDomain);
  return admin.graphql as unknown as AdminGraphql;
};

/** Rewrites every connected shop's estimate; returns how many were written and how many failed. */
export async function refreshAllEstimates(
  options: { database?: Database; adminFor?: AdminFor; now?: Date } = {},
): Promise<{ refreshed: number; failed: number }> {
  const database = options.database ?? db;
  const adminFor = options.adminFor ?? offlineAdmin;
  const shops = await database.providerConnection.findMany({ select: { shopDomain: true } });
  let refreshed = 0;
  let failed = 0;
  for (const { shopDomain } of shops) {
    try {
      const graphql = await adminFor(shopDomain);
      const problem = await tryRefreshEstimateMetafield(shopDomain, graphql, {
        database,
        now: options.now,
      });
      if (problem === null) refreshed++;
      else failed++;
    } catch (error) {
      failed++;
      log.warn("estimate not refreshed", {
        shop: shopDomain,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { refreshed, failed };
}

let lastRun = 0;

/**
 * refreshAllEstimates once per `everyMs` (an hour) in this process, the first an hour after the
 * first call; never throws.
 */
export async function refreshEstimatesIfDue(
  options: Parameters<typeof refreshAllEstimates>[0] & { everyMs?: number } = {},
): Promise<void> {
  const now = (options.now ?? new Date()).getTime();
  // The first call only starts the clock: saving and connecting wrote the values already, and a
  // restarting fleet should not rewrite every shop at once.
  if (lastRun === 0) {
    lastRun = now;
    return;
  }
  if (now - lastRun < (options.everyMs ?? ESTIMATE_REFRESH_MS)) return;
  lastRun = now;
  try {
    const outcome = await refreshAllEstimates(options);
    log.info("estimates refreshed", outcome);
  } catch (error) {
    log.warn("estimates not refreshed", {
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/** For tests. */
export function resetEstimateRefreshSchedule(): void {
  lastRun = 0;
}
