// Gauges read at scrape time, on the request thread: the database's state (a few aggregate
// statements on indexed columns), and which threads answered. They are of the app, not of a
// thread, so they carry no thread label.
import { Gauge, Registry } from "prom-client";
import { db, type Database } from "../db.server";
import { inboxBacklogOfAllShops } from "../models/WebhookEvent.server";
import { countRewardsByStatus } from "../models/Reward.server";
import { countPausedShops } from "../models/ProviderConnection.server";
import { METRIC_PREFIX } from "./registry.server";

export type ScrapeGauges = {
  /**
   * Reads the database into the gauges and renders them in the text format; when the database
   * fails, only metrics_database_up 0 and the threads' gauges.
   */
  render(threads: { answered: string[]; missing: string[] }): Promise<string>;
};

export function createScrapeGauges(database: Database = db): ScrapeGauges {
  const databaseRegistry = new Registry();
  const statusRegistry = new Registry();
  const gauge = (
    name: string,
    help: string,
    labelNames: string[] = [],
    registry = databaseRegistry,
  ) => new Gauge({ name: `${METRIC_PREFIX}${name}`, help, labelNames, registers: [registry] });
  const backlog = gauge("inbox_backlog", "Webhook events recorded and not yet applied.");
  const oldestDue = gauge(
    "inbox_oldest_due_age_seconds",
    "How long the oldest due webhook event has waited since it became due (0: none due).",
  );
  const rewards = gauge("rewards", "Ledger rows (rewards) by status.", ["status"]);
  const paused = gauge(
    "shops_paused",
    "Shops whose rewards are paused until their token pool is refilled.",
  );
  const databaseUp = gauge(
    "metrics_database_up",
    "Whether this scrape read the database gauges (1) or the database failed (0).",
    [],
    statusRegistry,
  );
  const threadUp = gauge(
    "metrics_thread_up",
    "Whether a background thread answered this scrape in time (1) or not (0).",
    ["thread"],
    statusRegistry,
  );

  return {
    async render(threads) {
      threadUp.reset();
      for (const thread of threads.answered) threadUp.set({ thread }, 1);
      for (const thread of threads.missing) threadUp.set({ thread }, 0);
      const now = new Date();
      try {
        const [inbox, byStatus, pausedShops] = await Promise.all([
          inboxBacklogOfAllShops(now, database),
          countRewardsByStatus(database),
          countPausedShops(database),
        ]);
        backlog.set(inbox.pending);
        oldestDue.set(
          inbox.oldestDueAt ? Math.max(0, now.getTime() - inbox.oldestDueAt.getTime()) / 1000 : 0,
        );
        rewards.reset();
        for (const [status, count] of byStatus) rewards.set({ status }, count);
        paused.set(pausedShops);
        databaseUp.set(1);
        return `${await databaseRegistry.metrics()}\n${await statusRegistry.metrics()}`;
      } catch {
        databaseUp.set(0);
        return statusRegistry.metrics();
      }
    },
  };
}
