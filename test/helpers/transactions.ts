import { setTimeout as sleep } from "node:timers/promises";
import type { Database } from "../../app/db.server";

export const ROLLED_BACK = "rolled back on purpose";

/**
 * A transaction that creates a shop, stays open for `openMs` and then rolls back; resolves with
 * the rollback's message. For what other tasks' statements do meanwhile.
 */
export function rolledBackTransaction(db: Database, domain: string, openMs = 50) {
  return db
    .$transaction(async (tx) => {
      await tx.shop.create({ data: { domain } });
      await sleep(openMs);
      throw new Error(ROLLED_BACK);
    })
    .catch((error: Error) => error.message);
}
