/**
 * How much of an order's earned basis one refund takes back, in shop-currency minor units.
 *
 * Pass the rules the order EARNED under (a snapshot stored with the reward), not the current
 * ones: recomputing with changed rules would reverse amounts that never earned, or miss ones that
 * did.
 *
 * - Refunds with refund_line_items ("line_items"): each refunded line that earned contributes its
 *   refunded subtotal (minus its tax when the order's prices include tax; plus its tax when
 *   rules.includeTax), capped at that line's earned basis; shipping refunds are added when
 *   rules.includeShipping. Only additions and subtractions of exact amounts: no rounding.
 *   refund_discrepancy adjustments are ignored: the goods returned decide, not the money.
 * - Refunds without refund_line_items ("transactions"): the successful refund transactions, as a
 *   share of what the customer paid, scaled onto the earned basis. Rounding rule: half-up to a
 *   whole minor unit.
 *
 * The result never exceeds earned.basisMinor. A refund of the same line in several refunds is
 * capped per refund only; the cumulative cap lives in nextReversal (reversal-percentage.ts).
 */
import { divRoundHalfUp, maxBigInt, minBigInt } from "./decimal";
import type { EarningLine } from "./earning-basis";
import type { EarningRules } from "./settings";
import type { Money, ShopifyOrder, ShopifyRefund } from "./shopify-order";

export interface EarnedBasis {
  lines: EarningLine[];
  basisMinor: bigint;
  /** The shipping part of basisMinor, when known: caps shipping refunds. */
  shippingMinor?: bigint;
}

export interface RefundBasis {
  refundedBasisMinor: bigint;
  method: "line_items" | "transactions";
}

export class RefundBasisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefundBasisError";
  }
}

type Side = keyof Money;

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

export function computeRefundBasis(
  order: ShopifyOrder,
  refund: ShopifyRefund,
  rules: EarningRules,
  earned: EarnedBasis,
): RefundBasis {
  if (refund.orderId !== order.id) {
    throw new RefundBasisError(
      `refund ${refund.id} is for order ${refund.orderId}, not ${order.id}`,
    );
  }
  if (refund.shopCurrency !== null && refund.shopCurrency !== order.shopCurrency) {
    throw new RefundBasisError(
      `refund ${refund.id} is in ${refund.shopCurrency}, the order in ${order.shopCurrency}`,
    );
  }
  if (earned.basisMinor <= 0n) return { refundedBasisMinor: 0n, method: methodOf(refund) };

  if (refund.refundLineItems.length > 0) {
    return {
      refundedBasisMinor: minBigInt(
        earned.basisMinor,
        lineItemsShare(order, refund, rules, earned),
      ),
      method: "line_items",
    };
  }
  return {
    refundedBasisMinor: minBigInt(
      earned.basisMinor,
      transactionsShare(order, refund, rules, earned),
    ),
    method: "transactions",
  };
}

function methodOf(refund: ShopifyRefund): RefundBasis["method"] {
  return refund.refundLineItems.length > 0 ? "line_items" : "transactions";
}

/** An amount ex tax when the order's prices include tax, plus the tax when it earns. */
function basisOf(amount: bigint, tax: bigint, taxesIncluded: boolean, includeTax: boolean): bigint {
  return maxBigInt(0n, amount - (taxesIncluded ? tax : 0n) + (includeTax ? tax : 0n));
}

function lineItemsShare(
  order: ShopifyOrder,
  refund: ShopifyRefund,
  rules: EarningRules,
  earned: EarnedBasis,
): bigint {
  const earnedByLine = new Map<string, bigint>();
  for (const line of earned.lines) {
    earnedByLine.set(line.lineItemId, (earnedByLine.get(line.lineItemId) ?? 0n) + line.basisMinor);
  }
  const refundedByLine = new Map<string, bigint>();
  for (const item of refund.refundLineItems) {
    if (!earnedByLine.has(item.lineItemId)) continue; // gift cards, excluded products: never earned
    const share = basisOf(
      item.subtotal.shopMinor,
      item.totalTax.shopMinor,
      order.taxesIncluded,
      rules.includeTax,
    );
    refundedByLine.set(item.lineItemId, (refundedByLine.get(item.lineItemId) ?? 0n) + share);
  }
  let total = 0n;
  for (const [lineItemId, share] of refundedByLine) {
    total += minBigInt(share, earnedByLine.get(lineItemId) ?? 0n);
  }
  if (rules.includeShipping) {
    const shipping = shippingRefund(refund, "shopMinor");
    const share = basisOf(shipping.amount, shipping.tax, order.taxesIncluded, rules.includeTax);
    total += earned.shippingMinor === undefined ? share : minBigInt(share, earned.shippingMinor);
  }
  return total;
}

/**
 * The shipping a refund gives back, as positive amounts. Shopify can describe one shipping refund
 * twice: as refund_shipping_lines and as a "shipping_refund" order adjustment (negative amounts).
 * So refund_shipping_lines win when present, and the adjustments are used only without them.
 * ASSUMED: these amounts follow the order's tax convention (tax-inclusive when taxes_included),
 * like the line subtotals. When refund_shipping_lines carry no tax_amount_set, the tax comes from
 * the shipping_refund adjustments.
 */
function shippingRefund(refund: ShopifyRefund, side: Side): { amount: bigint; tax: bigint } {
  const adjustments = refund.orderAdjustments.filter((a) => a.kind === "shipping_refund");
  const adjustmentTax = adjustments.reduce((total, a) => total + abs(a.taxAmount[side]), 0n);
  if (refund.refundShippingLines.length > 0) {
    const lines = refund.refundShippingLines;
    const amount = lines.reduce((total, line) => total + abs(line.subtotal[side]), 0n);
    const tax = lines.every((line) => line.tax !== null)
      ? lines.reduce((total, line) => total + abs(line.tax?.[side] ?? 0n), 0n)
      : adjustmentTax;
    return { amount, tax };
  }
  return {
    amount: adjustments.reduce((total, a) => total + abs(a.amount[side]), 0n),
    tax: adjustmentTax,
  };
}

/**
 * refundedBasis = round-half-up(earned × refunded / paid), where refunded is the sum of the
 * successful ("success") "refund" transactions and paid is the order's total price, both in the
 * transactions' currency: the presentment currency when it matches, else the shop currency.
 *
 * When shipping does not earn (rules.includeShipping false), shipping is taken out of both sides:
 * the refund's shipping refund (refund_shipping_lines or shipping_refund adjustments, with their
 * tax unless prices include it) leaves the refunded amount, and the order's shipping (after its
 * discounts, with its tax unless prices include it) leaves the total. So a shipping-only refund
 * reverses nothing, and refunding everything still reverses everything.
 */
function transactionsShare(
  order: ShopifyOrder,
  refund: ShopifyRefund,
  rules: EarningRules,
  earned: EarnedBasis,
): bigint {
  const counted = refund.transactions.filter((t) => t.kind === "refund" && t.status === "success");
  if (counted.length === 0) return 0n;
  const currency = counted[0].currency;
  if (counted.some((t) => t.currency !== currency)) {
    throw new RefundBasisError(`refund ${refund.id} has refund transactions in several currencies`);
  }
  let side: Side;
  if (currency === order.presentmentCurrency) side = "presentmentMinor";
  else if (currency === order.shopCurrency) side = "shopMinor";
  else {
    throw new RefundBasisError(
      `refund ${refund.id} is in ${currency}; the order is in ${order.shopCurrency}/${order.presentmentCurrency}`,
    );
  }

  let refunded = counted.reduce((total, t) => total + t.amountMinor, 0n);
  let paid = order.totalPrice[side];
  if (!rules.includeShipping) {
    const shipping = shippingRefund(refund, side);
    refunded -= shipping.amount + (order.taxesIncluded ? 0n : shipping.tax);
    for (const line of order.shippingLines) {
      const discounts = line.discountsIncluded
        ? 0n
        : line.discountAllocations.reduce((total, d) => total + d[side], 0n);
      const tax = line.taxLines.reduce((total, t) => total + t[side], 0n);
      paid -= line.price[side] - discounts + (order.taxesIncluded ? 0n : tax);
    }
  }
  if (refunded <= 0n || paid <= 0n) return 0n;
  // Rounding rule: half-up to a whole minor unit (e.g. 925.93 → 926, 50.5 → 51).
  return divRoundHalfUp(earned.basisMinor * refunded, paid);
}
