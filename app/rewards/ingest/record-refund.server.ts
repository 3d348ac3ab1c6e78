import { db, isUniqueViolation, type Database } from "../../db.server";
import { addRewardEvent, findRewardByOrder, scheduleRewardWork } from "../../models/Reward.server";
import { computeRefundBasis } from "../calculation/refund-basis";
import { parseOrderPayload, parseRefundPayload } from "../calculation/shopify-order";
import { parseJsonLossless } from "../calculation/lossless-json";
import { formatMinor } from "../calculation/currency";
import { readSnapshot } from "./order-snapshot";
import { DeferEvent, type InboxEvent } from "./inbox-event";

export function refundIdempotencyKey(shopDomain: string, refundId: string) {
  return `shopify:${shopDomain}:refund:${refundId}`;
}

export function cancellationIdempotencyKey(shopDomain: string, orderId: string) {
  return `shopify:${shopDomain}:cancel:${orderId}`;
}

type ReversalIntent = {
  kind: "refund" | "cancel";
  sourceId: string;
  idempotencyKey: string;
  refundedBasisMinor: bigint;
};

// Records a reversal once (unique per reward, kind and source) and wakes the
// reward's worker. The percentage is decided when it is applied, in order.
async function recordReversal(
  rewardId: string,
  intent: ReversalIntent,
  message: string,
  database: Database,
) {
  try {
    await database.reversal.create({ data: { rewardId, status: "pending", ...intent } });
  } catch (error) {
    if (isUniqueViolation(error)) return;
    throw error;
  }
  await addRewardEvent(rewardId, intent.kind, message, database);
  await scheduleRewardWork(rewardId, database);
}

async function rewardForOrder(event: InboxEvent, orderId: string, database: Database) {
  const reward = await findRewardByOrder(event.shopDomain, orderId, database);
  // Out of order: the paid webhook has not been recorded yet. Hold this one.
  if (!reward) throw new DeferEvent(`order ${orderId} has no reward yet`);
  return reward;
}

// refunds/create → a reversal worth the refunded share of the rewarded basis.
export async function recordRefund(event: InboxEvent, database: Database = db) {
  const refund = parseRefundPayload(parseJsonLossless(event.payload));
  const reward = await rewardForOrder(event, refund.orderId, database);
  if (reward.status === "skipped") return;

  const snapshot = readSnapshot(reward.earningDetails);
  const { refundedBasisMinor, method } = computeRefundBasis(
    parseOrderPayload(snapshot.order),
    refund,
    snapshot.rules,
    snapshot.earned,
  );
  await recordReversal(
    reward.id,
    {
      kind: "refund",
      sourceId: refund.id,
      idempotencyKey: refundIdempotencyKey(event.shopDomain, refund.id),
      refundedBasisMinor,
    },
    `Refund received: ${formatMinor(refundedBasisMinor, reward.currency)} ${reward.currency} of the rewarded amount (from ${method.replace("_", " ")}).`,
    database,
  );
}

// orders/cancelled → reverse whatever remains, once.
export async function recordCancellation(event: InboxEvent, database: Database = db) {
  const order = parseOrderPayload(parseJsonLossless(event.payload));
  const reward = await rewardForOrder(event, order.id, database);
  if (reward.status === "skipped") return;
  await recordReversal(
    reward.id,
    {
      kind: "cancel",
      sourceId: order.id,
      idempotencyKey: cancellationIdempotencyKey(event.shopDomain, order.id),
      refundedBasisMinor: reward.basisMinor,
    },
    "Order cancelled: the rest of the reward will be reversed.",
    database,
  );
}
