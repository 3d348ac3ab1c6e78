import { db, type Database } from "../../db.server";
import { retryFailedRewards } from "../../models/Reward.server";
import { wakeWorker } from "../../jobs/wake.server";

/** The merchant's Retry: failed rewards (and failed reversals) of the given orders, or all. */
export async function retryFromAdmin(
  shopDomain: string,
  orderIds: string[] | "all",
  database: Database = db,
): Promise<string> {
  let queued = 0;
  if (orderIds === "all") queued = await retryFailedRewards(shopDomain, null, database);
  else {
    for (const orderId of orderIds)
      queued += await retryFailedRewards(shopDomain, orderId, database);
  }
  if (queued > 0) wakeWorker();
  if (queued === 0) return "Nothing to retry: none of the selected rewards has failed.";
  return queued === 1
    ? "1 failed entry was sent back to the queue. Its status updates here within a few seconds."
    : `${queued} failed entries were sent back to the queue. Their status updates here within a few seconds.`;
}
