import { describe, expect, it } from "vitest";
import { loadShopifyFixture, type ShopifyFixtureName } from "../../../test/fixtures/shopify";
import { computeEarningBasis, type EligibleBasis } from "./earning-basis";
import { parseJsonLossless } from "./lossless-json";
import { RefundBasisError, computeRefundBasis } from "./refund-basis";
import { DEFAULT_EARNING_RULES, type EarningRules } from "./settings";
import {
  parseOrderPayload,
  parseRefundPayload,
  type ShopifyOrder,
  type ShopifyRefund,
} from "./shopify-order";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

function raw(name: ShopifyFixtureName): Json {
  return parseJsonLossless(loadShopifyFixture(name)) as Json;
}

const usd = (): ShopifyOrder => parseOrderPayload(loadShopifyFixture("orders-paid-usd"));
const refundOf = (name: ShopifyFixtureName): ShopifyRefund =>
  parseRefundPayload(loadShopifyFixture(name));

function rules(overrides: Partial<EarningRules> = {}): EarningRules {
  return { ...DEFAULT_EARNING_RULES, ...overrides };
}

function earnedOf(order: ShopifyOrder, earningRules: EarningRules): EligibleBasis {
  const result = computeEarningBasis(order, earningRules);
  if (!result.eligible) throw new Error(result.reason);
  return result;
}

/** The refund basis of `refund` against the order, earned and measured under the same rules. */
function refunded(refund: ShopifyRefund, overrides: Partial<EarningRules> = {}, order = usd()) {
  const earningRules = rules(overrides);
  return computeRefundBasis(order, refund, earningRules, earnedOf(order, earningRules));
}

describe("refunds with line items (USD #1001: tee line earned 30.00, bag line 70.00)", () => {
  it("the 30 % refund (3 tees, 30.00 + 2.40 tax) takes back 30.00 by default", () => {
    expect(refunded(refundOf("refunds-create-partial-30"))).toEqual({
      refundedBasisMinor: 3000n,
      method: "line_items",
    });
  });

  it("the 70 % refund (bag, plus shipping) takes back 70.00 by default: shipping did not earn", () => {
    expect(refunded(refundOf("refunds-create-rest-70"))).toEqual({
      refundedBasisMinor: 7000n,
      method: "line_items",
    });
  });

  it("includeTax: 30.00 + 2.40 = 32.40 and 70.00 + 5.60 = 75.60", () => {
    expect(
      refunded(refundOf("refunds-create-partial-30"), { includeTax: true }).refundedBasisMinor,
    ).toBe(3240n);
    expect(
      refunded(refundOf("refunds-create-rest-70"), { includeTax: true }).refundedBasisMinor,
    ).toBe(7560n);
  });

  it("includeShipping: the bag 70.00 + shipping 10.00 = 80.00, shipping counted ONCE", () => {
    // refunds-create-rest-70 describes the shipping refund twice (refund_shipping_lines and a
    // shipping_refund adjustment); 90.00 would mean it was counted twice.
    const refund = refundOf("refunds-create-rest-70");
    expect(refunded(refund, { includeShipping: true }).refundedBasisMinor).toBe(8000n);
    // and without the earned-shipping cap, still 80.00
    const order = usd();
    const earned = earnedOf(order, rules({ includeShipping: true }));
    expect(
      computeRefundBasis(order, refund, rules({ includeShipping: true }), {
        lines: earned.lines,
        basisMinor: earned.basisMinor,
      }).refundedBasisMinor,
    ).toBe(8000n);
  });

  it("includeShipping with only the shipping_refund adjustment (negative amounts) → 80.00", () => {
    const payload = raw("refunds-create-rest-70");
    payload.refund_shipping_lines = [];
    expect(
      refunded(parseRefundPayload(payload), { includeShipping: true }).refundedBasisMinor,
    ).toBe(8000n);
  });

  it("includeShipping + includeTax: 75.60 + 10.80 = 86.40; shipping tax from the adjustment when the line has none", () => {
    expect(
      refunded(refundOf("refunds-create-rest-70"), { includeShipping: true, includeTax: true })
        .refundedBasisMinor,
    ).toBe(8640n);
    const payload = raw("refunds-create-rest-70");
    delete payload.refund_shipping_lines[0].tax_amount_set;
    expect(
      refunded(parseRefundPayload(payload), { includeShipping: true, includeTax: true })
        .refundedBasisMinor,
    ).toBe(8640n);
  });

  it("caps a line's refund at what the line earned", () => {
    const payload = raw("refunds-create-partial-30");
    payload.refund_line_items[0].subtotal_set.shop_money.amount = "99.00";
    expect(refunded(parseRefundPayload(payload)).refundedBasisMinor).toBe(3000n);
  });

  it("lines that never earned (excluded products) take nothing back", () => {
    const order = usd();
    const earningRules = rules({ excludedProductTags: ["final-sale"] });
    const earned = computeEarningBasis(order, earningRules, {
      productTagsByProductId: new Map([["8375614921927915692", ["final-sale"]]]),
    });
    if (!earned.eligible) throw new Error("expected eligible");
    expect(earned.basisMinor).toBe(7000n);
    expect(
      computeRefundBasis(order, refundOf("refunds-create-partial-30"), earningRules, earned),
    ).toEqual({ refundedBasisMinor: 0n, method: "line_items" });
  });

  it("tax-inclusive prices: the refunded scarf (42.84 incl. 6.84 VAT) takes back 36.00", () => {
    const order = parseOrderPayload(loadShopifyFixture("orders-paid-tax-inclusive"));
    const refund = parseRefundPayload({
      admin_graphql_api_id: "gid://shopify/Refund/9100000000000000001",
      order_id: order.id,
      refund_line_items: [
        {
          line_item: { admin_graphql_api_id: `gid://shopify/LineItem/${order.lineItems[1].id}` },
          quantity: 1,
          subtotal_set: money("42.84", "EUR"),
          total_tax_set: money("6.84", "EUR"),
        },
      ],
    });
    expect(refunded(refund, {}, order).refundedBasisMinor).toBe(3600n);
    expect(refunded(refund, { includeTax: true }, order).refundedBasisMinor).toBe(4284n);
  });

  it("refuses a refund of another order or in another currency", () => {
    const other = { ...refundOf("refunds-create-partial-30"), orderId: "1" };
    expect(() => refunded(other)).toThrow(RefundBasisError);
    const euro = { ...refundOf("refunds-create-partial-30"), shopCurrency: "EUR" };
    expect(() => refunded(euro)).toThrow(/is in EUR, the order in USD/);
  });

  it("never exceeds the earned basis", () => {
    const order = usd();
    const earned = {
      lines: [{ lineItemId: "6962229001896737513", basisMinor: 3000n }],
      basisMinor: 2000n,
    };
    expect(
      computeRefundBasis(order, refundOf("refunds-create-partial-30"), rules(), earned)
        .refundedBasisMinor,
    ).toBe(2000n);
  });
});

function money(amount: string, currency: string) {
  return {
    shop_money: { amount, currency_code: currency },
    presentment_money: { amount, currency_code: currency },
  };
}

describe("refunds without line items: transaction share of what was paid", () => {
  it("10.00 goodwill on #1001 → round-half-up(100.00 × 10.00 / 108.00) = 9.26 (925.93 cents)", () => {
    // Shipping does not earn, so it leaves the total: 118.80 − (10.00 + 0.80) = 108.00.
    expect(refunded(refundOf("refunds-create-no-line-items"))).toEqual({
      refundedBasisMinor: 926n,
      method: "transactions",
    });
  });

  it("with shipping earning: round-half-up(110.00 × 10.00 / 118.80) = 925.93 → 926 cents", () => {
    expect(
      refunded(refundOf("refunds-create-no-line-items"), { includeShipping: true })
        .refundedBasisMinor,
    ).toBe(926n);
  });

  it("rounds an exact half up: 1.01 earned × 54.00 / 108.00 = 0.505 → 0.51", () => {
    const payload = raw("refunds-create-no-line-items");
    payload.transactions[0].amount = "54.00";
    const order = usd();
    const result = computeRefundBasis(order, parseRefundPayload(payload), rules(), {
      lines: [],
      basisMinor: 101n,
    });
    expect(result.refundedBasisMinor).toBe(51n); // floor would give 50
  });

  it("counts only successful refund transactions", () => {
    const payload = raw("refunds-create-no-line-items");
    const base = payload.transactions[0];
    payload.transactions.push(
      { ...base, status: "failure", amount: "50.00" },
      { ...base, status: "pending", amount: "50.00" },
      { ...base, kind: "sale", amount: "50.00" },
    );
    expect(refunded(parseRefundPayload(payload)).refundedBasisMinor).toBe(926n);
    payload.transactions = payload.transactions.slice(1);
    expect(refunded(parseRefundPayload(payload)).refundedBasisMinor).toBe(0n);
  });

  it("a shipping-only refund takes back nothing when shipping did not earn, and just the shipping when it did", () => {
    const payload = raw("refunds-create-no-line-items");
    payload.transactions[0].amount = "10.80";
    payload.order_adjustments = raw("refunds-create-rest-70").order_adjustments;
    expect(refunded(parseRefundPayload(payload)).refundedBasisMinor).toBe(0n);
    // 110.00 × 10.80 / 118.80 = 10.00 exactly
    expect(
      refunded(parseRefundPayload(payload), { includeShipping: true }).refundedBasisMinor,
    ).toBe(1000n);
  });

  it("refunding the whole 118.80 without line items takes back everything, never more", () => {
    const payload = raw("refunds-create-no-line-items");
    payload.transactions[0].amount = "118.80";
    // 100.00 × 118.80 / 108.00 = 110.00 → capped at the earned 100.00
    expect(refunded(parseRefundPayload(payload)).refundedBasisMinor).toBe(10000n);
  });

  describe("multi-currency (guest #1004: shop USD 41.00, presented CAD 55.35; earned 36.00 USD)", () => {
    const guest = () => parseOrderPayload(loadShopifyFixture("orders-paid-guest"));
    const transactionRefund = (...transactions: [string, string][]) =>
      parseRefundPayload({
        admin_graphql_api_id: "gid://shopify/Refund/9100000000000000002",
        order_id: guest().id,
        transactions: transactions.map(([amount, currency]) => ({
          kind: "refund",
          status: "success",
          amount,
          currency,
        })),
      });

    it("a CAD transaction is measured against the CAD total: 36.00 × 24.30 / (55.35 − 6.75) = 18.00", () => {
      expect(refunded(transactionRefund(["24.30", "CAD"]), {}, guest()).refundedBasisMinor).toBe(
        1800n,
      );
    });

    it("a USD transaction against the USD total: 36.00 × 18.00 / (41.00 − 5.00) = 18.00", () => {
      expect(refunded(transactionRefund(["18.00", "USD"]), {}, guest()).refundedBasisMinor).toBe(
        1800n,
      );
    });

    it("refuses a foreign or mixed currency", () => {
      expect(() => refunded(transactionRefund(["10.00", "EUR"]), {}, guest())).toThrow(/is in EUR/);
      expect(() =>
        refunded(transactionRefund(["10.00", "CAD"], ["1.00", "USD"]), {}, guest()),
      ).toThrow(/several currencies/);
    });
  });
});
