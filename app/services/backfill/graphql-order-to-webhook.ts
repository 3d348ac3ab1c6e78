import type { GraphqlMoneyBag, GraphqlOrder } from "../../graphql/PaidOrdersQuery";

// Backfilled orders go through exactly the same earning rules as webhooks,
// so the Admin API's GraphQL order is rewritten into the REST webhook shape
// the rules read (app/rewards/calculation/shopify-order.ts).

const moneySet = (bag: GraphqlMoneyBag) => ({
  shop_money: { amount: bag.shopMoney.amount, currency_code: bag.shopMoney.currencyCode },
  presentment_money: {
    amount: bag.presentmentMoney.amount,
    currency_code: bag.presentmentMoney.currencyCode,
  },
});

const numericId = (gid: string) => gid.split("/").pop() ?? "";

const allocations = (list: Array<{ allocatedAmountSet: GraphqlMoneyBag }>) =>
  list.map((allocation) => ({ amount_set: moneySet(allocation.allocatedAmountSet) }));

const taxLines = (list: Array<{ priceSet: GraphqlMoneyBag }>) =>
  list.map((tax) => ({ price_set: moneySet(tax.priceSet) }));

export function graphqlOrderToWebhookShape(order: GraphqlOrder): Record<string, unknown> {
  return {
    admin_graphql_api_id: order.id,
    name: order.name,
    email: order.email,
    test: order.test,
    source_name: order.sourceName,
    taxes_included: order.taxesIncluded,
    created_at: order.createdAt,
    cancelled_at: order.cancelledAt,
    financial_status: order.displayFinancialStatus?.toLowerCase() ?? null,
    customer: order.customer && {
      admin_graphql_api_id: order.customer.id,
      email: order.customer.email,
      first_name: order.customer.firstName,
      last_name: order.customer.lastName,
      tags: order.customer.tags.join(", "),
    },
    total_price_set: moneySet(order.totalPriceSet),
    subtotal_price_set: moneySet(order.subtotalPriceSet),
    total_tax_set: moneySet(order.totalTaxSet),
    line_items: order.lineItems.nodes.map((line) => ({
      admin_graphql_api_id: line.id,
      product_id: line.product ? numericId(line.product.id) : null,
      quantity: line.quantity,
      gift_card: line.isGiftCard,
      price_set: moneySet(line.originalUnitPriceSet),
      discount_allocations: allocations(line.discountAllocations),
      tax_lines: taxLines(line.taxLines),
    })),
    shipping_lines: order.shippingLines.nodes.map((line) => ({
      price_set: moneySet(line.originalPriceSet),
      discount_allocations: allocations(line.discountAllocations),
      tax_lines: taxLines(line.taxLines),
    })),
  };
}
