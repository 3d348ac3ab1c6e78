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
import type { EarningRules } from "../calculation/settings";
import { snapshotForRefunds } from "./order-snapshot";
import type { InboxEvent } from "./inbox-event";
import type { ProductTagSource } from "./product-tags.server";

export type EarningContext = {
  rules: EarningRules;
  /** New rewards wait (parked) while the shop's pool is known to be empty. */
  poolEmpty: boolean;
};

// The rules as they apply now: test orders are never rewarded on a
// production connection, whatever the toggle says.
export async function earningContext(
  shopDomain: string,
  database: Database = db,
): Promise<EarningContext> {
  const [rules, connection] = await Promise.all([
    getEarningRules(shopDomain, database),
    findConnection(shopDomain, database),
  ]);
  return {
    rules: {
      ...rules,
      rewardTestOrders: rules.rewardTestOrders && connection?.environment !== "production",
    },
    poolEmpty: Boolean(connection?.poolEmptySince),
  };
}

function productIdsOf(order: ShopifyOrder): string[] {
  return [...new Set(order.lineItems.map((line) => line.productId).filter((id) => id !== null))];
}

/**
 * Creates the ledger row for a paid order (webhook or backfill alike), or
 * returns null when the order already has one: a second delivery, a
 * different event id for the same order, or a backfill re-run.
 */
export async function createRewardForOrder(
  shopDomain: string,
  raw: Record<string, unknown>,
  context: EarningContext,
  productTags: ProductTagSource,
  { submitByWorker = true }: { submitByWorker?: boolean } = {},
  database: Database = db,
) {
  const order = parseOrderPayload(raw);
  if (await findRewardByOrder(shopDomain, order.id, database)) return null;

  const { rules } = context;
  const productTagsByProductId = rules.excludedProductTags.length
    ? await productTags.tagsFor(shopDomain, productIdsOf(order))
    : undefined;
  const earning = computeEarningBasis(order, rules, { productTagsByProductId });

  const basisMinor = earning.eligible ? earning.basisMinor : 0n;
  const customer = earning.customer;
  const status = !earning.eligible ? "skipped" : context.poolEmpty ? "parked" : "pending";
  const reward = await createReward(
    {
      shopDomain,
      orderId: order.id,
      orderName: order.name,
      currency: order.shopCurrency,
      basisMinor,
      amount: formatMinor(basisMinor, order.shopCurrency),
      status,
      workPending: status === "pending" && submitByWorker,
      skipReason: earning.eligible ? null : earning.reason,
      idempotencyKey: orderIdempotencyKey(shopDomain, order.id),
      partnerUserId: customer?.partnerUserId ?? null,
      customerId: order.customer?.id ?? null,
      customerEmail: customer?.email ?? null,
      customerFirstName: customer?.firstName ?? null,
      customerLastName: customer?.lastName ?? null,
      earningDetails: snapshotForRefunds(raw, rules, earning.eligible ? earning : null),
      orderCreatedAt: order.createdAt ? new Date(order.createdAt) : null,
    },
    database,
  );
  if (!reward) return null;
  await addRewardEvent(
    reward.id,
    "received",
    earning.eligible
      ? `Paid order received: ${reward.amount} ${reward.currency} earns a reward.`
      : `Paid order received; not rewarded: ${earning.reason}`,
    database,
  );
  return reward;
}

// orders/paid → one ledger row per order; the worker sends it to SIR.
export async function recordPaidOrder(
  event: InboxEvent,
  productTags: ProductTagSource,
  database: Database = db,
) {
  const raw = parseJsonLossless(event.payload) as Record<string, unknown>;
  const context = await earningContext(event.shopDomain, database);
  await createRewardForOrder(event.shopDomain, raw, context, productTags, {}, database);
}
