import { db, isUniqueViolation, type Database } from "../../db.server";
import { getEarningRules } from "../../models/RewardSettings.server";
import { findConnection } from "../../models/ProviderConnection.server";
import {
  createReward,
  createRewardsWithEvents,
  findRewardByOrder,
  orderIdempotencyKey,
  type NewReward,
  type TimelineEntry,
} from "../../models/Reward.server";
import { computeEarningBasis } from "../calculation/earning-basis";
import { formatMinor } from "../calculation/currency";
import { parseOrderPayload, type ShopifyOrder } from "../calculation/shopify-order";
import { parseJsonLossless } from "../calculation/lossless-json";
import type { EarningRules } from "../calculation/settings";
import { snapshotForRefunds } from "./order-snapshot";
import type { InboxEvent } from "./inbox-event";
import type { ProductTagSource } from "./product-tags.server";
import type { PurchaseSource } from "../purchase.server";

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

/** The ledger row an order earns under these rules, and its first timeline entry. */
function newRewardFor(
  shopDomain: string,
  raw: Record<string, unknown>,
  order: ShopifyOrder,
  context: EarningContext,
  productTagsByProductId: Map<string, string[]> | undefined,
  submitByWorker: boolean,
): { data: NewReward; firstEntry: TimelineEntry } {
  const { rules } = context;
  const earning = computeEarningBasis(order, rules, { productTagsByProductId });
  const basisMinor = earning.eligible ? earning.basisMinor : 0n;
  const amount = formatMinor(basisMinor, order.shopCurrency);
  const customer = earning.customer;
  const status = !earning.eligible ? "skipped" : context.poolEmpty ? "parked" : "pending";
  return {
    data: {
      shopDomain,
      orderId: order.id,
      orderName: order.name,
      currency: order.shopCurrency,
      basisMinor,
      amount,
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
    firstEntry: {
      type: "received",
      message: earning.eligible
        ? `Paid order received: ${amount} ${order.shopCurrency} earns a reward.`
        : `Paid order received; not rewarded: ${earning.reason}`,
    },
  };
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
  {
    productTags,
    submitByWorker = true,
    database = db,
  }: {
    productTags: ProductTagSource;
    /** False when the caller sends the order itself (the backfill, in bulk). */
    submitByWorker?: boolean;
    database?: Database;
  },
) {
  const order = parseOrderPayload(raw);
  const excludesTags = context.rules.excludedProductTags.length > 0;
  // The tags cost a call to Shopify: not for an order already recorded. Otherwise the unique
  // (shop, order) index answers that question as the row is inserted.
  if (excludesTags && (await findRewardByOrder(shopDomain, order.id, database))) return null;
  const productTagsByProductId = excludesTags
    ? await productTags.tagsFor(shopDomain, productIdsOf(order))
    : undefined;
  const { data, firstEntry } = newRewardFor(
    shopDomain,
    raw,
    order,
    context,
    productTagsByProductId,
    submitByWorker,
  );
  return createReward(data, firstEntry, database);
}

// orders/paid → one ledger row per order; the worker sends it to SIR.
export async function recordPaidOrder(
  event: InboxEvent,
  productTags: ProductTagSource,
  database: Database = db,
) {
  const raw = parseJsonLossless(event.payload) as Record<string, unknown>;
  const context = await earningContext(event.shopDomain, database);
  await createRewardForOrder(event.shopDomain, raw, context, { productTags, database });
}

function byShop(events: InboxEvent[]): Map<string, InboxEvent[]> {
  const groups = new Map<string, InboxEvent[]>();
  for (const event of events) {
    const group = groups.get(event.shopDomain) ?? [];
    group.push(event);
    groups.set(event.shopDomain, group);
  }
  return groups;
}

/** A ledger row just recorded for an order, as much of it as its callers read. */
export type RecordedReward = PurchaseSource & { id: string; status: string };

/** What recording an order gave: its new row (null when the ledger had the order already), or why not. */
export type OrderOutcome = { reward: RecordedReward | null } | { error: unknown };

/**
 * Many of a shop's paid orders at once (a worker's batch of orders/paid, a backfill page), with
 * the outcome createRewardForOrder would give each, by the key given with it: one lookup of the
 * orders already in the ledger and one insert of the new rows with their timeline entries,
 * instead of a transaction per order. Shops that exclude product tags read them from Shopify
 * order by order, and a batch that meets an order recorded meanwhile (by another worker) is
 * redone one by one.
 */
export async function createRewardsForOrders<K>(
  shopDomain: string,
  orders: Array<{ key: K; raw: Record<string, unknown> }>,
  context: EarningContext,
  options: { productTags: ProductTagSource; submitByWorker?: boolean; database?: Database },
): Promise<Map<K, OrderOutcome>> {
  const { submitByWorker = true, database = db } = options;
  const outcomes = new Map<K, OrderOutcome>();
  const oneByOne = async (batch: Array<{ key: K; raw: Record<string, unknown> }>) => {
    for (const { key, raw } of batch) {
      await createRewardForOrder(shopDomain, raw, context, { ...options, submitByWorker }).then(
        (reward) => outcomes.set(key, { reward }),
        (error: unknown) => outcomes.set(key, { error }),
      );
    }
    return outcomes;
  };
  if (context.rules.excludedProductTags.length > 0) return oneByOne(orders);

  const readOrders: Array<{ key: K; raw: Record<string, unknown>; order: ShopifyOrder }> = [];
  for (const { key, raw } of orders) {
    try {
      readOrders.push({ key, raw, order: parseOrderPayload(raw) });
    } catch (error) {
      outcomes.set(key, { error });
    }
  }
  const recorded = await database.reward.findMany({
    where: { shopDomain, orderId: { in: readOrders.map(({ order }) => order.id) } },
    select: { orderId: true },
  });
  const known = new Set(recorded.map((reward) => reward.orderId));
  const fresh = new Map<string, { key: K; row: ReturnType<typeof newRewardFor> }>();
  for (const { key, raw, order } of readOrders) {
    if (known.has(order.id) || fresh.has(order.id)) {
      outcomes.set(key, { reward: null });
      continue;
    }
    try {
      const row = newRewardFor(shopDomain, raw, order, context, undefined, submitByWorker);
      fresh.set(order.id, { key, row });
    } catch (error) {
      outcomes.set(key, { error });
    }
  }
  try {
    const rows = [...fresh.values()];
    const created = await createRewardsWithEvents(
      rows.map(({ row }) => row),
      database,
    );
    rows.forEach(({ key }, index) => outcomes.set(key, { reward: created[index] }));
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // One of these orders was recorded meanwhile (by another worker) and nothing was written:
    // redo the orders that could be read and built, one by one.
    const failed = (key: K) => {
      const outcome = outcomes.get(key);
      return outcome !== undefined && "error" in outcome;
    };
    await oneByOne(readOrders.filter(({ key }) => !failed(key)));
  }
  return outcomes;
}

/**
 * Many orders/paid events at once, with the outcome recordPaidOrder would give each (the
 * error it would throw, by event id): per shop, one read of the rules and the orders recorded
 * together (createRewardsForOrders).
 */
export async function recordPaidOrders(
  events: InboxEvent[],
  productTags: ProductTagSource,
  database: Database = db,
): Promise<Map<string, unknown>> {
  const errors = new Map<string, unknown>();
  for (const [shopDomain, shopEvents] of byShop(events)) {
    const context = await earningContext(shopDomain, database);
    const orders: Array<{ key: string; raw: Record<string, unknown> }> = [];
    for (const event of shopEvents) {
      try {
        orders.push({
          key: event.id,
          raw: parseJsonLossless(event.payload) as Record<string, unknown>,
        });
      } catch (error) {
        errors.set(event.id, error);
      }
    }
    const outcomes = await createRewardsForOrders(shopDomain, orders, context, {
      productTags,
      database,
    });
    for (const [id, outcome] of outcomes) if ("error" in outcome) errors.set(id, outcome.error);
  }
  return errors;
}
