// How many orders a backfill will go through, for its progress bar.
export const PAID_ORDERS_COUNT_QUERY = `#graphql
  query PaidOrdersCount($query: String!) {
    ordersCount(query: $query, limit: null) {
      count
      precision
    }
  }
`;

export type PaidOrdersCountData = {
  ordersCount: { count: number; precision: "EXACT" | "AT_LEAST" } | null;
};
