import { db, type Database } from "../../db.server";
import { recordPaidOrder } from "./record-paid-order.server";
import { recordCancellation, recordRefund } from "./record-refund.server";
import { answerCustomerDataRequest, redactCustomer, redactShop } from "./compliance.server";
import { handleScopesUpdate, handleUninstall } from "./app-lifecycle.server";
import { applySirEvent } from "./sir-events.server";
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
