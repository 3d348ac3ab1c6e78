import type { GraphqlMoneyBag, GraphqlOrder } from "../../app/graphql/PaidOrdersQuery";

const money = (amount: string, currencyCode = "USD"): GraphqlMoneyBag => ({
  shopMoney: { amount, currencyCode },
  presentmentMoney: { amount, currencyCode },
});

/**
 * A paid online order as the Admin GraphQL API returns it to the backfill's
 * PaidOrders query: one line of `amount`, no tax, no shipping, a customer.
 */
export function paidOrder(number: number, createdAt: string, amount = "25.00"): GraphqlOrder {
  const id = 7_000_000_000_000 + number;
  return {
    id: `gid://shopify/Order/${id}`,
    name: `#${number}`,
    email: `customer${number}@example.com`,
    test: false,
    sourceName: "web",
    taxesIncluded: false,
    createdAt,
    cancelledAt: null,
    displayFinancialStatus: "PAID",
    customer: {
      id: `gid://shopify/Customer/${8_000_000_000_000 + (number % 7)}`,
      email: `customer${number % 7}@example.com`,
      firstName: "Ada",
      lastName: "Lovelace",
      tags: [],
    },
    totalPriceSet: money(amount),
    subtotalPriceSet: money(amount),
    totalTaxSet: money("0.00"),
    lineItems: {
      nodes: [
        {
          id: `gid://shopify/LineItem/${9_000_000_000_000 + number}`,
          quantity: 1,
          isGiftCard: false,
          product: { id: "gid://shopify/Product/1001" },
          originalUnitPriceSet: money(amount),
          discountAllocations: [],
          taxLines: [],
        },
      ],
    },
    shippingLines: { nodes: [] },
  };
}

/** `count` paid orders `spacingMs` apart (an hour by default), the last one `spacingMs` ago. */
export function paidOrdersUntilNow(count: number, firstNumber = 1001, spacingMs = 60 * 60 * 1000) {
  const now = Date.now();
  return Array.from({ length: count }, (_, index) =>
    paidOrder(firstNumber + index, new Date(now - (count - index) * spacingMs).toISOString()),
  );
}
