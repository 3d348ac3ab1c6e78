import { describe, expect, it } from "vitest";
import { loadShopifyFixture, type ShopifyFixtureName } from "../../../test/fixtures/shopify";
import { computeEarningBasis, type EarningBasis, type EligibleBasis } from "./earning-basis";
import { parseJsonLossless } from "./lossless-json";
import { DEFAULT_EARNING_RULES, type EarningRules } from "./settings";
import { parseOrderPayload, type ShopifyOrder } from "./shopify-order";

const ADA = "8938371904392340610";
const TEE_LINE = "6962229001896737513";
const BAG_LINE = "7927795012342577089";
const TEE_PRODUCT = "8375614921927915692";
const GIFT_CARD_LINE = "6089324243157198404";
const CANDLE_LINE = "8228195616758007835";
const CANDLE_PRODUCT = "7069115352503971675";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A fixture as a mutable object, large ids kept exact (as strings). */
function rawFixture(name: ShopifyFixtureName): Json {
  return parseJsonLossless(loadShopifyFixture(name)) as Json;
}

function order(name: ShopifyFixtureName): ShopifyOrder {
  return parseOrderPayload(loadShopifyFixture(name));
}

function rules(overrides: Partial<EarningRules> = {}): EarningRules {
  return { ...DEFAULT_EARNING_RULES, ...overrides };
}

function eligible(result: EarningBasis): EligibleBasis {
  if (!result.eligible) throw new Error(`not eligible: ${result.code} ${result.reason}`);
  return result;
}

function basisOf(name: ShopifyFixtureName, overrides: Partial<EarningRules> = {}) {
  const result = eligible(computeEarningBasis(order(name), rules(overrides)));
  // Invariant: the basis is the lines plus shipping; tax is a part of those, not an addition.
  expect(result.basisMinor).toBe(
    result.lines.reduce((total, line) => total + line.basisMinor, 0n) + result.shippingMinor,
  );
  return result;
}

describe("USD order #1001 (tee 3 × 12.00 and bag 84.00, SPRING20 −20.00, shipping 10.00, 8 % tax)", () => {
  it("default: subtotal after discounts = (36.00 − 6.00) + (84.00 − 14.00) = 100.00", () => {
    expect(basisOf("orders-paid-usd")).toEqual({
      eligible: true,
      basisMinor: 10000n,
      currency: "USD",
      lines: [
        { lineItemId: TEE_LINE, basisMinor: 3000n },
        { lineItemId: BAG_LINE, basisMinor: 7000n },
      ],
      shippingMinor: 0n,
      taxMinor: 0n,
      customer: {
        partnerUserId: ADA,
        email: "ada.lovelace@example.com",
        firstName: "Ada",
        lastName: "Lovelace",
      },
      excludedLines: [],
    });
  });

  it("includeShipping: 100.00 + 10.00 shipping = 110.00 (shipping tax stays out)", () => {
    const basis = basisOf("orders-paid-usd", { includeShipping: true });
    expect(basis.basisMinor).toBe(11000n);
    expect(basis.shippingMinor).toBe(1000n);
    expect(basis.taxMinor).toBe(0n);
  });

  it("includeTax: lines carry their tax, 30.00 + 2.40 and 70.00 + 5.60 = 108.00 (no shipping tax)", () => {
    const basis = basisOf("orders-paid-usd", { includeTax: true });
    expect(basis.basisMinor).toBe(10800n);
    expect(basis.lines).toEqual([
      { lineItemId: TEE_LINE, basisMinor: 3240n },
      { lineItemId: BAG_LINE, basisMinor: 7560n },
    ]);
    expect(basis.taxMinor).toBe(800n);
  });

  it("both: 108.00 + 10.00 + 0.80 shipping tax = 118.80, the order total", () => {
    const basis = basisOf("orders-paid-usd", { includeShipping: true, includeTax: true });
    expect(basis.basisMinor).toBe(11880n);
    expect(basis.shippingMinor).toBe(1080n);
    expect(basis.taxMinor).toBe(880n);
    expect(basis.basisMinor).toBe(order("orders-paid-usd").totalPrice.shopMinor);
  });

  it("excluded customer tags match case-insensitively", () => {
    const result = computeEarningBasis(
      order("orders-paid-usd"),
      rules({ excludedCustomerTags: ["wholesale", " vip "] }),
    );
    expect(result).toEqual({
      eligible: false,
      code: "excluded_customer",
      reason:
        "The customer is tagged “vip”, and customers with that tag are excluded from rewards.",
      customer: expect.objectContaining({ partnerUserId: ADA }),
    });
    // A tag the customer does not have changes nothing.
    expect(
      eligible(
        computeEarningBasis(
          order("orders-paid-usd"),
          rules({ excludedCustomerTags: ["wholesale"] }),
        ),
      ).basisMinor,
    ).toBe(10000n);
  });

  it("excluded product tags drop the line (case-insensitive); unknown products are kept", () => {
    const productTagsByProductId = new Map([[TEE_PRODUCT, ["Summer", "FINAL-SALE "]]]);
    const result = eligible(
      computeEarningBasis(
        order("orders-paid-usd"),
        rules({ excludedProductTags: ["final-sale"] }),
        {
          productTagsByProductId,
        },
      ),
    );
    expect(result.basisMinor).toBe(7000n); // only the bag
    expect(result.lines).toEqual([{ lineItemId: BAG_LINE, basisMinor: 7000n }]);
    expect(result.excludedLines).toEqual([
      { lineItemId: TEE_LINE, reason: "excluded_product_tag" },
    ]);
    // Without the tag map nothing is excluded.
    expect(
      eligible(
        computeEarningBasis(
          order("orders-paid-usd"),
          rules({ excludedProductTags: ["final-sale"] }),
        ),
      ).basisMinor,
    ).toBe(10000n);
  });

  it("minimum order amount: 100.00 is enough, 100.01 is not", () => {
    expect(
      eligible(
        computeEarningBasis(order("orders-paid-usd"), rules({ minimumOrderAmount: "100.00" })),
      ).basisMinor,
    ).toBe(10000n);
    expect(
      computeEarningBasis(order("orders-paid-usd"), rules({ minimumOrderAmount: "100.01" })),
    ).toEqual({
      eligible: false,
      code: "below_minimum",
      reason:
        "The order’s rewardable amount, 100.00 USD, is below the minimum order amount of 100.01 USD.",
      customer: expect.objectContaining({ partnerUserId: ADA }),
    });
  });

  it("the minimum is compared with the basis under the same rules (shipping counts when included)", () => {
    const withShipping = rules({ includeShipping: true, minimumOrderAmount: "105" });
    expect(eligible(computeEarningBasis(order("orders-paid-usd"), withShipping)).basisMinor).toBe(
      11000n,
    );
    expect(
      computeEarningBasis(order("orders-paid-usd"), rules({ minimumOrderAmount: "105" })),
    ).toMatchObject({
      code: "below_minimum",
    });
  });

  it("a discount larger than the line never makes the line negative", () => {
    const raw = rawFixture("orders-paid-usd");
    raw.line_items[0].discount_allocations[0].amount_set.shop_money.amount = "40.00";
    const basis = eligible(computeEarningBasis(parseOrderPayload(raw), rules()));
    expect(basis.lines[0]).toEqual({ lineItemId: TEE_LINE, basisMinor: 0n }); // 36.00 − 40.00 → 0
    expect(basis.basisMinor).toBe(7000n);
  });
});

describe("JPY order #1002 (0 decimals, taxes included)", () => {
  // Matcha 3300 × 2 − 330 (OCHA5) = 6270 incl. 570 tax; teapot 5500 incl. 500; shipping 770 incl. 70.
  it("default: (6600 − 330 − 570) + (5500 − 500) = 5700 + 5000 = 10700 yen", () => {
    const basis = basisOf("orders-paid-jpy");
    expect(basis.currency).toBe("JPY");
    expect(basis.basisMinor).toBe(10700n);
    expect(basis.lines.map((line) => line.basisMinor)).toEqual([5700n, 5000n]);
  });

  it.each([
    [{ includeTax: true }, 11770n, 1070n], // 6270 + 5500
    [{ includeShipping: true }, 11400n, 0n], // 10700 + (770 − 70)
    [{ includeShipping: true, includeTax: true }, 12540n, 1140n], // the order total
  ])("%j → %s yen (tax part %s)", (overrides, basisMinor, taxMinor) => {
    const basis = basisOf("orders-paid-jpy", overrides);
    expect(basis.basisMinor).toBe(basisMinor);
    expect(basis.taxMinor).toBe(taxMinor);
  });

  it("a fractional yen minimum rounds up: 10700.4 → 10701 yen, so 10700 is below it", () => {
    expect(
      computeEarningBasis(order("orders-paid-jpy"), rules({ minimumOrderAmount: "10700.4" })),
    ).toMatchObject({
      code: "below_minimum",
      reason:
        "The order’s rewardable amount, 10700 JPY, is below the minimum order amount of 10700.4 JPY.",
    });
    expect(
      computeEarningBasis(order("orders-paid-jpy"), rules({ minimumOrderAmount: "10700.00" }))
        .eligible,
    ).toBe(true);
  });
});

describe("EUR order #1003 (taxes included, 19 %)", () => {
  // Beanie 29.75 × 2 = 59.50 incl. 9.50; scarf 47.60 − 4.76 = 42.84 incl. 6.84; DHL 5.95 incl. 0.95.
  it.each([
    [{}, 8600n], // 50.00 + 36.00
    [{ includeTax: true }, 10234n], // 59.50 + 42.84
    [{ includeShipping: true }, 9100n], // 86.00 + 5.00
    [{ includeShipping: true, includeTax: true }, 10829n], // 108.29, the order total
  ])("%j → %s cents", (overrides, basisMinor) => {
    expect(basisOf("orders-paid-tax-inclusive", overrides).basisMinor).toBe(basisMinor);
  });
});

describe("who is rewarded", () => {
  it("a guest is identified by the lower-cased order email, in shop money (USD, not CAD)", () => {
    const basis = basisOf("orders-paid-guest");
    expect(basis.customer).toEqual({
      partnerUserId: "email:guest.buyer@example.com",
      email: "Guest.Buyer@Example.com",
      firstName: null,
      lastName: null,
    });
    expect(basis.basisMinor).toBe(3600n); // 2 × 18.00 USD (the CAD price is 24.30)
    expect(basis.currency).toBe("USD");
  });

  it("an order with neither customer nor email is skipped", () => {
    expect(computeEarningBasis(order("orders-paid-no-customer"), rules())).toEqual({
      eligible: false,
      code: "no_customer",
      reason: "This order has no customer and no email, so there is nobody to reward.",
      customer: null,
    });
  });

  it("a customer without an email falls back to the order email", () => {
    const raw = rawFixture("orders-paid-usd");
    raw.customer.email = null;
    raw.email = "orders@example.com";
    expect(eligible(computeEarningBasis(parseOrderPayload(raw), rules())).customer).toMatchObject({
      partnerUserId: ADA,
      email: "orders@example.com",
    });
  });
});

describe("which orders earn", () => {
  it("test orders are skipped unless rewardTestOrders", () => {
    expect(computeEarningBasis(order("orders-paid-test"), rules())).toMatchObject({
      eligible: false,
      code: "test_order",
      reason: expect.stringMatching(/^This is a test order/),
      customer: { firstName: "Grace" },
    });
    expect(basisOf("orders-paid-test", { rewardTestOrders: true }).basisMinor).toBe(1200n);
  });

  it("POS orders earn by default and are skipped when includePosOrders is off", () => {
    expect(basisOf("orders-paid-pos").basisMinor).toBe(4000n);
    expect(
      computeEarningBasis(order("orders-paid-pos"), rules({ includePosOrders: false })),
    ).toMatchObject({
      eligible: false,
      code: "pos_order",
      reason: "This order was placed in person with Shopify POS, and POS orders are not rewarded.",
    });
  });

  it("a test order is reported as a test order before anything else", () => {
    const pos = order("orders-paid-pos");
    const result = computeEarningBasis(
      { ...pos, test: true, customer: null, email: null },
      rules({ includePosOrders: false }),
    );
    expect(result).toMatchObject({ code: "test_order" });
  });

  it("gift cards never earn", () => {
    const basis = basisOf("orders-paid-gift-card");
    expect(basis.basisMinor).toBe(2000n); // the 20.00 candle, not the 50.00 gift card
    expect(basis.lines).toEqual([{ lineItemId: CANDLE_LINE, basisMinor: 2000n }]);
    expect(basis.excludedLines).toEqual([{ lineItemId: GIFT_CARD_LINE, reason: "gift_card" }]);
    expect(
      basisOf("orders-paid-gift-card", { includeTax: true, includeShipping: true }).basisMinor,
    ).toBe(
      2700n, // 20.00 + 1.60 + 5.00 + 0.40
    );
  });

  it("nothing eligible → zero_basis, even when shipping would count", () => {
    const result = computeEarningBasis(
      order("orders-paid-gift-card"),
      rules({ excludedProductTags: ["candles"], includeShipping: true }),
      { productTagsByProductId: new Map([[CANDLE_PRODUCT, ["Candles"]]]) },
    );
    expect(result).toMatchObject({
      eligible: false,
      code: "zero_basis",
      reason: expect.stringMatching(/^Nothing in this order earns rewards/),
    });
  });

  it("a fully discounted order has a zero basis before any minimum is checked", () => {
    const raw = rawFixture("orders-paid-pos");
    raw.line_items[0].discount_allocations = [{ amount_set: raw.line_items[0].price_set }];
    expect(
      computeEarningBasis(parseOrderPayload(raw), rules({ minimumOrderAmount: "10" })),
    ).toMatchObject({
      code: "zero_basis",
    });
  });
});
