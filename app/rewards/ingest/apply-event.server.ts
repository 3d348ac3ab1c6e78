import { db, type Database } from "../../db.server";
import { recordPaidOrder, recordPaidOrders } from "./record-paid-order.server";
import { recordCancellation, recordRefund } from "./record-refund.server";
import { answerCustomerDataRequest, redactCustomer, redactShop } from "./compliance.server";
import { handleScopesUpdate, handleUninstall } from "./app-lifecycle.server";
import { applySirEvent, isActionNote, noteSirActions } from "./sir-events.server";
import { shopifyProductTags, type ProductTagSource } from "./product-tags.server";
import type { InboxEvent } from "./inbox-event";

export type IngestDependencies = { productTags: ProductTagSource };
const defaultDependencies: IngestDependencies = { productTags: shopifyProductTags };

// Turns one recorded webhook into ledger changes. Every handler is
// idempotent, so an event applied twice (a crash before it was marked done)
// changes nothing the second time.
export async function applyInboxEvent(
  event: InboxEvent,
  database: Database = db,
  dependencies: IngestDependencies = defaultDependencies,
) {
  if (event.source === "sir") return applySirEvent(event, database);
  switch (event.topic) {
    case "orders/paid":
      return recordPaidOrder(event, dependencies.productTags, database);
    case "refunds/create":
      return recordRefund(event, database);
    case "orders/cancelled":
      return recordCancellation(event, database);
    case "app/uninstalled":
      return handleUninstall(event, database);
    case "app/scopes_update":
      return handleScopesUpdate(event, database);
    case "customers/data_request":
      return answerCustomerDataRequest(event, database);
    case "customers/redact":
      return redactCustomer(event, database);
    case "shop/redact":
      return redactShop(event, database);
  }
}

export type InboxOutcome<T extends InboxEvent> =
  | { event: T; applied: true }
  | { event: T; applied: false; error: unknown };

const isPaidOrder = (event: InboxEvent) =>
  event.source === "shopify" && event.topic === "orders/paid";

// Paid orders and SIR's action notes are most of the inbox at volume, and none of them
// depends on another: a run of them is applied in a few statements for the whole run.
async function applyRun<T extends InboxEvent>(
  run: T[],
  database: Database,
  dependencies: IngestDependencies,
): Promise<InboxOutcome<T>[]> {
  try {
    const errors = new Map([
      ...(await recordPaidOrders(run.filter(isPaidOrder), dependencies.productTags, database)),
      ...(await noteSirActions(run.filter(isActionNote), database)),
    ]);
    return run.map((event) =>
      errors.has(event.id)
        ? { event, applied: false, error: errors.get(event.id) }
        : { event, applied: true },
    );
  } catch (error) {
    return run.map((event) => ({ event, applied: false, error }));
  }
}

/**
 * Applies events in arrival order with the outcome of each; runs of paid orders and action
 * notes go together (applyRun), every other event alone.
 */
export async function applyInboxEvents<T extends InboxEvent>(
  events: T[],
  database: Database = db,
  dependencies: IngestDependencies = defaultDependencies,
): Promise<InboxOutcome<T>[]> {
  const outcomes: InboxOutcome<T>[] = [];
  let run: T[] = [];
  const finishRun = async () => {
    if (run.length > 0) outcomes.push(...(await applyRun(run, database, dependencies)));
    run = [];
  };
  for (const event of events) {
    if (isPaidOrder(event) || isActionNote(event)) {
      run.push(event);
      continue;
    }
    await finishRun();
    try {
      await applyInboxEvent(event, database, dependencies);
      outcomes.push({ event, applied: true });
    } catch (error) {
      outcomes.push({ event, applied: false, error });
    }
  }
  await finishRun();
  return outcomes;
}
