/**
 * Which paid orders earn, who earns, and on how much: the earning basis in shop-currency minor
 * units. Pure: the caller supplies the parsed order, the rules and any product tags.
 *
 * Arithmetic: only sums and differences of exact minor-unit amounts, and price × quantity, so no
 * rounding happens here at all. Rounding rule for the minimum: the decimal minimum is converted
 * to minor units rounding UP (ceil), which for whole-minor-unit bases is exactly "basis < minimum".
 */
import { formatMinor, currencyExponent } from "./currency";
import { maxBigInt, parseScaledDecimal } from "./decimal";
import { normalizeTag, splitTagString, type EarningRules } from "./settings";
import type { Money, ShopifyOrder } from "./shopify-order";

export interface RewardedCustomer {
  /** The Shopify customer id, or "email:<lower-cased email>" for a guest checkout. */
  partnerUserId: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
}

export interface EarningLine {
  lineItemId: string;
  /** The line's contribution, including the line's tax only when rules.includeTax. */
  basisMinor: bigint;
}

export type ExcludedLineReason = "gift_card" | "excluded_product_tag";

export type IneligibleCode =
  | "test_order"
  | "pos_order"
  | "excluded_customer"
  | "no_customer"
  | "below_minimum"
  | "zero_basis";

export interface EligibleBasis {
  eligible: true;
  /** Σ lines[].basisMinor + shippingMinor, in minor units of `currency`. */
  basisMinor: bigint;
  /** The shop currency. */
  currency: string;
  lines: EarningLine[];
  /** Shipping's contribution (0 unless includeShipping), with its tax only when includeTax. */
  shippingMinor: bigint;
  /** How much of basisMinor is tax (already inside lines and shipping; 0 unless includeTax). */
  taxMinor: bigint;
  customer: RewardedCustomer;
  /** Lines that earn nothing, and why. */
  excludedLines: { lineItemId: string; reason: ExcludedLineReason }[];
}

export interface IneligibleBasis {
  eligible: false;
  code: IneligibleCode;
  /** One merchant-readable sentence. */
  reason: string;
  /** Who would have earned, when known. */
  customer: RewardedCustomer | null;
}

export type EarningBasis = EligibleBasis | IneligibleBasis;

export interface EarningBasisOptions {
  /** Product id (decimal text) → that product's tags. A product missing here is not excluded. */
  productTagsByProductId?: Map<string, string[]>;
}

const sum = (amounts: Money[]): bigint => amounts.reduce((total, m) => total + m.shopMinor, 0n);

/**
 * Computes the earning basis of a paid order under `rules`. Checks run in this order, the first
 * failing one deciding: test order, POS order, no customer, excluded customer tag, nothing
 * eligible (zero basis: no line earns anything), below the minimum order amount (compared with
 * the basis as computed under these rules, so shipping and tax count toward it only when they
 * are included).
 */
export function computeEarningBasis(
  order: ShopifyOrder,
  rules: EarningRules,
  opts: EarningBasisOptions = {},
): EarningBasis {
  const customer = identify(order);
  const ineligible = (code: IneligibleCode, reason: string): IneligibleBasis => ({
    eligible: false,
    code,
    reason,
    customer,
  });

  if (order.test && !rules.rewardTestOrders) {
    return ineligible(
      "test_order",
      "This is a test order, and test orders are not rewarded (turn on “Reward test orders” to change this).",
    );
  }
  if (order.sourceName === "pos" && !rules.includePosOrders) {
    return ineligible(
      "pos_order",
      "This order was placed in person with Shopify POS, and POS orders are not rewarded.",
    );
  }
  if (customer === null) {
    return ineligible(
      "no_customer",
      "This order has no customer and no email, so there is nobody to reward.",
    );
  }
  const excludedCustomerTags = new Set(rules.excludedCustomerTags.map(normalizeTag));
  const matchedTag = splitTagString(order.customer?.tags).find((t) => excludedCustomerTags.has(t));
  if (matchedTag !== undefined) {
    return ineligible(
      "excluded_customer",
      `The customer is tagged “${matchedTag}”, and customers with that tag are excluded from rewards.`,
    );
  }

  const excludedProductTags = new Set(rules.excludedProductTags.map(normalizeTag));
  const lines: EarningLine[] = [];
  const excludedLines: EligibleBasis["excludedLines"] = [];
  let taxMinor = 0n;
  for (const line of order.lineItems) {
    if (line.giftCard) {
      excludedLines.push({ lineItemId: line.id, reason: "gift_card" });
      continue;
    }
    const productTags =
      line.productId === null ? [] : (opts.productTagsByProductId?.get(line.productId) ?? []);
    if (productTags.some((tag) => excludedProductTags.has(normalizeTag(tag)))) {
      excludedLines.push({ lineItemId: line.id, reason: "excluded_product_tag" });
      continue;
    }
    const gross = line.price.shopMinor * BigInt(line.quantity);
    const tax = sum(line.taxLines);
    // Order-level discounts arrive already allocated onto lines, so the allocations cover both.
    // With taxes_included the price contains the tax, so the tax comes out of the net amount.
    // Never below zero: a line cannot earn a negative amount.
    const net = maxBigInt(
      0n,
      gross - sum(line.discountAllocations) - (order.taxesIncluded ? tax : 0n),
    );
    lines.push({ lineItemId: line.id, basisMinor: net + (rules.includeTax ? tax : 0n) });
    if (rules.includeTax) taxMinor += tax;
  }

  let shippingMinor = 0n;
  if (rules.includeShipping) {
    for (const shipping of order.shippingLines) {
      const tax = sum(shipping.taxLines);
      const discounts = shipping.discountsIncluded ? 0n : sum(shipping.discountAllocations);
      const net = maxBigInt(
        0n,
        shipping.price.shopMinor - discounts - (order.taxesIncluded ? tax : 0n),
      );
      shippingMinor += net + (rules.includeTax ? tax : 0n);
      if (rules.includeTax) taxMinor += tax;
    }
  }

  const linesMinor = lines.reduce((total, line) => total + line.basisMinor, 0n);
  const basisMinor = linesMinor + shippingMinor;
  const currency = order.shopCurrency;
  // Shipping alone never earns: an order whose lines earn nothing (only gift cards or excluded
  // products) is not rewarded for its shipping either.
  if (linesMinor === 0n) {
    return ineligible(
      "zero_basis",
      "Nothing in this order earns rewards (gift cards and excluded products don’t count), so there is nothing to reward.",
    );
  }
  if (rules.minimumOrderAmount !== null) {
    // Rounding rule: ceil, see the module comment (e.g. 25.5 JPY → 26 yen; 25 < 25.5 ⇔ 25 < 26).
    const minimumMinor = parseScaledDecimal(
      rules.minimumOrderAmount,
      currencyExponent(currency),
      "ceil",
    );
    if (basisMinor < minimumMinor) {
      return ineligible(
        "below_minimum",
        `The order’s rewardable amount, ${formatMinor(basisMinor, currency)} ${currency}, is below the minimum order amount of ${rules.minimumOrderAmount} ${currency}.`,
      );
    }
  }
  return {
    eligible: true,
    basisMinor,
    currency,
    lines,
    shippingMinor,
    taxMinor,
    customer,
    excludedLines,
  };
}

/** The customer with an id, else the guest's order email, else nobody. */
function identify(order: ShopifyOrder): RewardedCustomer | null {
  const customerEmail = order.customer?.email?.trim() || null;
  if (order.customer) {
    return {
      partnerUserId: order.customer.id,
      email: customerEmail ?? order.email,
      firstName: order.customer.firstName,
      lastName: order.customer.lastName,
    };
  }
  if (order.email) {
    return {
      partnerUserId: `email:${order.email.toLowerCase()}`,
      email: order.email,
      firstName: null,
      lastName: null,
    };
  }
  return null;
}
