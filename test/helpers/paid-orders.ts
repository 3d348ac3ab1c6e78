import { shopifyFixture } from "../fixtures/shopify";

/** The #1001 USD fixture earns on 100.00 USD, which SIR turns into 100 tokens. */
export const TOKENS_PER_ORDER = 100;
/** refunds-create-partial-30 returns 30 % of #1001's earning basis. */
export const TOKENS_PER_PARTIAL_REFUND = 30;

const FIXTURE_ORDER_ID = 8817694701178518903n;

export type PaidOrder = { orderId: string; body: string };

// Every id of the fixture shifted by index + 1: a distinct order and customer per index, and the
// refund fixture with the same shift refers to that order.
const idOffset = (index: number) => index + 1;

export function paidOrder(index: number): PaidOrder {
  return {
    orderId: (FIXTURE_ORDER_ID + BigInt(idOffset(index))).toString(),
    body: shopifyFixture("orders-paid-usd", { idOffset: idOffset(index) }),
  };
}

export function paidOrders(count: number): PaidOrder[] {
  return Array.from({ length: count }, (_, index) => paidOrder(index));
}

/** A refunds/create body returning 30 % of the order paidOrder(index) made. */
export function partialRefund(index: number): string {
  return shopifyFixture("refunds-create-partial-30", { idOffset: idOffset(index) });
}
