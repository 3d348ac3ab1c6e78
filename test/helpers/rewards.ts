import { randomUUID } from "node:crypto";
import type { Database } from "../../app/db.server";
import { createReward, orderIdempotencyKey, type NewReward } from "../../app/models/Reward.server";

/** A pending ledger row for an order with a basis of 100.00 USD. */
export const newReward = (shopDomain: string, orderId: string): NewReward => ({
  shopDomain,
  orderId,
  orderName: `#${orderId.slice(0, 4)}`,
  currency: "USD",
  basisMinor: 10_000n,
  amount: "100.00",
  status: "pending",
  idempotencyKey: orderIdempotencyKey(shopDomain, orderId),
});

/** A new order's reward held by `claim`, as a worker's claim leaves it. */
export async function claimedReward(
  db: Database,
  shopDomain: string,
  claim: string,
  { status = "pending", attempts = 0 } = {},
) {
  const reward = await createReward(
    { ...newReward(shopDomain, randomUUID()), status },
    { type: "recorded", message: "Recorded." },
    db,
  );
  return db.reward.update({
    where: { id: reward!.id },
    data: { lockedBy: claim, lockedUntil: new Date(Date.now() + 60_000), attempts },
  });
}
