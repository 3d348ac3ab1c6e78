import type { Database } from "../../app/db.server";
import type { SandboxAction } from "./pipeline";
import { waitFor } from "./wait-for";

export type SirTally = {
  /** Every action SIR recorded for the partner(s) given. */
  actionsAtSir: number;
  /** Actions beyond the first for an order: a customer rewarded twice. */
  doubles: number;
  /** Orders that should have an action and have none. */
  lost: number;
};

/** Counts what SIR itself recorded, by the Shopify order id the app put in each action. */
export function tallyOrders(
  actions: readonly SandboxAction[],
  orderIds: Iterable<string>,
): SirTally {
  const actionsPerOrder = new Map<string, number>();
  for (const action of actions) {
    const orderId = action.metadata.orderId;
    actionsPerOrder.set(orderId, (actionsPerOrder.get(orderId) ?? 0) + 1);
  }
  let lost = 0;
  let doubles = 0;
  for (const orderId of new Set(orderIds)) {
    const count = actionsPerOrder.get(orderId) ?? 0;
    if (count === 0) lost++;
    doubles += Math.max(0, count - 1);
  }
  return { actionsAtSir: actions.length, doubles, lost };
}

/** The same for reversals: each refunded order must carry exactly `perOrder` reversals at SIR. */
export function tallyReversals(
  actions: readonly SandboxAction[],
  refundedOrderIds: Iterable<string>,
  perOrder = 1,
) {
  const byOrder = new Map(actions.map((action) => [action.metadata.orderId, action]));
  let reversalsAtSir = 0;
  let doubledReversals = 0;
  let lostReversals = 0;
  for (const orderId of new Set(refundedOrderIds)) {
    const count = byOrder.get(orderId)?.reversals.length ?? 0;
    reversalsAtSir += count;
    doubledReversals += Math.max(0, count - perOrder);
    lostReversals += Math.max(0, perOrder - count);
  }
  return { reversalsAtSir, doubledReversals, lostReversals };
}

/** Waits until the app owes nothing for these shops: inbox applied, no reward with work left. */
export async function waitForIdle(db: Database, shops: string[], timeoutMs = 120_000) {
  const shopDomain = { in: shops };
  await waitFor(
    async () => {
      const [events, rewards] = await Promise.all([
        db.webhookEvent.count({ where: { shopDomain, status: "pending" } }),
        db.reward.count({ where: { shopDomain, workPending: true } }),
      ]);
      return events === 0 && rewards === 0;
    },
    { timeoutMs, intervalMs: 200, what: `the app to finish the work of ${shops.length} shop(s)` },
  );
}

/** The figures every reliability test ends with, on one line. */
export function printFigures(title: string, figures: Record<string, number>) {
  const line = Object.entries(figures)
    .map(([name, value]) => `${name}=${value}`)
    .join("  ");
  console.log(`[reliability] ${title}: ${line}`);
}
