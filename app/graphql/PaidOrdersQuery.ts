// Past paid orders for a backfill, oldest first, with what the earning rules
// read (the same facts an orders/paid webhook carries).
const MONEY = `shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }`;

export const PAID_ORDERS_QUERY = `#graphql
  query PaidOrders($first: Int!, $after: String, $query: String!) {
    orders(first: $first, after: $after, query: $query, sortKey: CREATED_AT) {
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        name
        email
        test
        sourceName
        taxesIncluded
        createdAt
        cancelledAt
        displayFinancialStatus
        customer { id email firstName lastName tags }
        totalPriceSet { ${MONEY} }
        subtotalPriceSet { ${MONEY} }
        totalTaxSet { ${MONEY} }
        lineItems(first: 250) {
          nodes {
            id
            quantity
            isGiftCard
            product { id }
            originalUnitPriceSet { ${MONEY} }
            discountAllocations { allocatedAmountSet { ${MONEY} } }
            taxLines { priceSet { ${MONEY} } }
          }
        }
        shippingLines(first: 20) {
          nodes {
            originalPriceSet { ${MONEY} }
            discountAllocations { allocatedAmountSet { ${MONEY} } }
            taxLines { priceSet { ${MONEY} } }
          }
        }
      }
    }
  }
`;

type GraphqlMoney = { amount: string; currencyCode: string };
export type GraphqlMoneyBag = { shopMoney: GraphqlMoney; presentmentMoney: GraphqlMoney };

export type GraphqlOrder = {
  id: string;
  name: string;
  email: string | null;
  test: boolean;
  sourceName: string | null;
  taxesIncluded: boolean;
  createdAt: string;
  cancelledAt: string | null;
  displayFinancialStatus: string | null;
  customer: {
    id: string;
    email: string | null;
    firstName: string | null;
    lastName: string | null;
    tags: string[];
  } | null;
  totalPriceSet: GraphqlMoneyBag;
  subtotalPriceSet: GraphqlMoneyBag;
  totalTaxSet: GraphqlMoneyBag;
  lineItems: {
    nodes: Array<{
      id: string;
      quantity: number;
      isGiftCard: boolean;
      product: { id: string } | null;
      originalUnitPriceSet: GraphqlMoneyBag;
      discountAllocations: Array<{ allocatedAmountSet: GraphqlMoneyBag }>;
      taxLines: Array<{ priceSet: GraphqlMoneyBag }>;
    }>;
  };
  shippingLines: {
    nodes: Array<{
      originalPriceSet: GraphqlMoneyBag;
      discountAllocations: Array<{ allocatedAmountSet: GraphqlMoneyBag }>;
      taxLines: Array<{ priceSet: GraphqlMoneyBag }>;
    }>;
  };
};

export type PaidOrdersResponse = {
  data?: {
    orders: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: GraphqlOrder[] };
  };
  errors?: Array<{ message: string }>;
};
