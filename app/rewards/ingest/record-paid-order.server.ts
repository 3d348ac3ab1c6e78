import { db, type Database } from "../../db.server";
import { getEarningRules } from "../../models/RewardSettings.server";
import { findConnection } from "../../models/ProviderConnection.server";
import {
  addRewardEvent,
  createReward,
  findRewardByOrder,
  orderIdempotencyKey,
} from "../../models/Reward.server";
import { computeEarningBasis } from "../calculation/earning-basis";
import { formatMinor } from "../calculation/currency";
import { parseOrderPayload, type ShopifyOrder } from "../calculation/shopify-order";
import { parseJsonLossless } from "../calculation/lossless-json";
import { snapshotForRefunds } from "./order-snapshot";
import type { InboxEvent } from "./inbox-event";
import type { ProductTagSource } from "./product-tags.server";

function productIdsOf(order: ShopifyOrder): string[] {
  return [...new Set(order.lineItems.map((line) => line.productId).filter((id) => id !== null))];
}

// orders/paid → one ledger row per order. A second delivery of the same
// order (same or different event id) finds the row and does nothing.
export async function recordPaidOrder(
  event: InboxEvent,
  productTags: ProductTagSource,
  database: Database = db,
) {
  const raw = parseJsonLossless(event.payload) as Record<string, unknown>;
  const order = parseOrderPayload(raw);
  if (await findRewardByOrder(event.shopDomain, order.id, database)) return;

  const [storedRules, connection] = await Promise.all([
    getEarningRules(event.shopDomain, database),
    findConnection(event.shopDomain, database),
  ]);
  // Test orders are never rewarded on a production connection.
  const rules = {
    ...storedRules,
    rewardTestOrders: storedRules.rewardTestOrders && connection?.environment !== "production",
  };
  const productTagsByProductId = rules.excludedProductTags.length
    ? await productTags.tagsFor(event.shopDomain, productIdsOf(order))
    : undefined;
  const earning = computeEarningBasis(order, rules, { productTagsByProductId });

  const basisMinor = earning.eligible ? earning.basisMinor : 0n;
  const customer = earning.customer;
  const status = !earning.eligible ? "skipped" : connection?.poolEmptySince ? "parked" : "pending";
  const reward = await createReward(
    {
      shopDomain: event.shopDomain,
      orderId: order.id,
      orderName: order.name,
      currency: order.shopCurrency,
      basisMinor,
      amount: formatMinor(basisMinor, order.shopCurrency),
      status,
      workPending: status === "pending",
      skipReason: earning.eligible ? null : earning.reason,
      idempotencyKey: orderIdempotencyKey(event.shopDomain, order.id),
      partnerUserId: customer?.partnerUserId ?? null,
      customerId: order.customer?.id ?? null,
      customerEmail: customer?.email ?? null,
      customerFirstName: customer?.firstName ?? null,
      customerLastName: customer?.lastName ?? null,
      earningDetails: snapshotForRefunds(raw, rules, earning.eligible ? earning : null),
      orderCreatedAt: typeof raw.created_at === "string" ? new Date(raw.created_at) : null,
    },
    database,
  );
  if (!reward) return;
  await addRewardEvent(
    reward.id,
    "received",
    earning.eligible
      ? `Paid order received: ${reward.amount} ${reward.currency} earns a reward.`
      : `Paid order received; not rewarded: ${earning.reason}`,
    database,
  );
}
