import { describe, expect, it } from "vitest";
import type { EstimateSettings } from "../../app/shopper/contract";
import {
  checkoutEstimateUnits,
  findEstimateSettings,
  type CheckoutCart,
} from "./checkout-estimate";

const SETTINGS: EstimateSettings = {
  version: 1,
  unit: { one: "token", other: "tokens" },
  currency: "USD",
  exponent: 2,
  unitsPerMajor: "1",
  multiplier: "1.15",
  includeShipping: false,
  includeTax: false,
  minimumOrderMinor: null,
  excludedProductTags: [],
  updatedAt: "2026-12-01T00:00:00Z",
};

const CART: CheckoutCart = {
  currency: "USD",
  lineTotals: [30, 20],
  cartDiscounts: [],
  shipping: 7.5,
  tax: 4.13,
};

describe("checkoutEstimateUnits", () => {
  it("round half up of basis × unitsPerMajor × multiplier, exact (50 × 1.15 = 57.5 → 58)", () => {
    expect(checkoutEstimateUnits(CART, SETTINGS)).toBe(58);
  });

  it("float-prone amounts are read as the decimals they stand for (0.1 + 0.2 does not drift)", () => {
    expect(
      checkoutEstimateUnits(
        { ...CART, lineTotals: [0.1, 0.2] },
        { ...SETTINGS, unitsPerMajor: "10", multiplier: "1" },
      ),
    ).toBe(3);
  });

  it("cart discounts come off; shipping and tax only when the merchant counts them", () => {
    expect(checkoutEstimateUnits({ ...CART, cartDiscounts: [5, 5] }, SETTINGS)).toBe(46); // 40 × 1.15
    expect(
      checkoutEstimateUnits(CART, { ...SETTINGS, includeShipping: true, multiplier: "1" }),
    ).toBe(58); // 57.5
    expect(checkoutEstimateUnits(CART, { ...SETTINGS, includeTax: true, multiplier: "1" })).toBe(
      54,
    ); // 54.13
  });

  it("a zero-decimal currency uses its exponent", () => {
    expect(
      checkoutEstimateUnits(
        { ...CART, currency: "JPY", lineTotals: [1500] },
        { ...SETTINGS, currency: "JPY", exponent: 0, unitsPerMajor: "0.01", multiplier: "1" },
      ),
    ).toBe(15);
  });

  it("nothing to say: no settings, another currency, below the minimum, an empty cart", () => {
    expect(checkoutEstimateUnits(CART, null)).toBeNull();
    expect(checkoutEstimateUnits({ ...CART, currency: "EUR" }, SETTINGS)).toBeNull();
    expect(checkoutEstimateUnits(CART, { ...SETTINGS, minimumOrderMinor: "10000" })).toBeNull();
    expect(checkoutEstimateUnits({ ...CART, lineTotals: [] }, SETTINGS)).toBeNull();
    expect(checkoutEstimateUnits({ ...CART, cartDiscounts: [60] }, SETTINGS)).toBeNull();
  });
});

describe("findEstimateSettings", () => {
  const entry = (namespace: string, value: unknown, key = "reward_estimate") => ({
    target: { type: "shop", id: "gid://shopify/Shop/1" },
    metafield: { namespace, key, value: JSON.stringify(value) },
  });

  it("the app-owned shop metafield, as $app or its resolved app--<id> namespace", () => {
    expect(findEstimateSettings([entry("app--123", SETTINGS)], "reward_estimate")).toEqual(
      SETTINGS,
    );
    expect(findEstimateSettings([entry("$app", SETTINGS)], "reward_estimate")).toEqual(SETTINGS);
  });

  it("another app's namespace, another key, another version or garbage: none", () => {
    expect(findEstimateSettings([entry("custom", SETTINGS)], "reward_estimate")).toBeNull();
    expect(
      findEstimateSettings([entry("app--1", SETTINGS, "other")], "reward_estimate"),
    ).toBeNull();
    expect(
      findEstimateSettings([entry("app--1", { ...SETTINGS, version: 2 })], "reward_estimate"),
    ).toBeNull();
    expect(
      findEstimateSettings(
        [{ metafield: { namespace: "app--1", key: "reward_estimate", value: "{" } }],
        "reward_estimate",
      ),
    ).toBeNull();
    expect(findEstimateSettings(undefined, "reward_estimate")).toBeNull();
  });
});
