import { unauthenticated } from "../../shopify.server";
import { PAID_ORDERS_QUERY, type PaidOrdersResponse } from "../../graphql/PaidOrdersQuery";
import { graphqlOrderToWebhookShape } from "./graphql-order-to-webhook";

export const BACKFILL_PAGE_SIZE = 100;

/** The Admin API search for a backfill's orders (also used to count them for its progress). */
export function paidOrdersSearch(since: string): string {
  return `financial_status:paid created_at:>=${since}`;
}

export type OrderPage = { orders: Record<string, unknown>[]; nextCursor: string | null };

export interface OrderPageSource {
  fetchPage(shopDomain: string, since: Date, cursor: string | null): Promise<OrderPage>;
}

// Paid orders from the Admin GraphQL API with the shop's offline session.
// Page size matches SIR's bulk limit, so one page is one bulk call.
export const adminOrderPages: OrderPageSource = {
  async fetchPage(shopDomain, since, cursor) {
    const { admin } = await unauthenticated.admin(shopDomain);
    const response = await admin.graphql(PAID_ORDERS_QUERY, {
      variables: {
        first: BACKFILL_PAGE_SIZE,
        after: cursor,
        query: paidOrdersSearch(since.toISOString().slice(0, 10)),
      },
    });
    const body = (await response.json()) as PaidOrdersResponse;
    if (!body.data) {
      throw new Error(
        `Shopify did not return orders: ${body.errors?.map((e) => e.message).join("; ") ?? "no data"}`,
      );
    }
    const { nodes, pageInfo } = body.data.orders;
    return {
      orders: nodes.map(graphqlOrderToWebhookShape),
      nextCursor: pageInfo.hasNextPage ? pageInfo.endCursor : null,
    };
  },
};
