import { describe, expect, it } from "vitest";
import type { EstimateSettings } from "./contract";
import {
  eligibleBasisMinor,
  estimateForLines,
  estimateUnits,
  minorFromAmount,
  parseEstimateSettings,
} from "./estimate";

const settings = (over: Partial<EstimateSettings> = {}): EstimateSettings => ({
  version: 1,
  unit: { one: "token", other: "tokens" },
  currency: "USD",
  exponent: 2,
  unitsPerMajor: "1",
  multiplier: "1",
  includeShipping: false,
  includeTax: false,
  minimumOrderMinor: null,
  excludedProductTags: [],
  updatedAt: "2026-12-01T00:00:00.000Z",
  ...over,
});

describe("estimateUnits: round half up of basis × unitsPerMajor × multiplier, exact", () => {
  it("rounds an exact half up: 2.5 → 3, 2.49 → 2", () => {
    expect(estimateUnits(250n, settings())).toBe(3);
    expect(estimateUnits(249n, settings())).toBe(2);
    expect(estimateUnits(4999n, settings())).toBe(50);
  });

  it("50 × 1.15 = 57.5 → 58 (a float product would give 57)", () => {
    expect(50 * 1.15).toBeLessThan(57.5);
    expect(estimateUnits(5000n, settings({ multiplier: "1.15" }))).toBe(58);
  });

  it("reads the currency exponent: JPY 0, KWD 3", () => {
    const jpy = settings({ currency: "JPY", exponent: 0 });
    expect(estimateUnits(5000n, jpy)).toBe(5000);
    expect(estimateUnits(5000n, { ...jpy, multiplier: "1.15" })).toBe(5750);
    const kwd = settings({ currency: "KWD", exponent: 3 });
    expect(estimateUnits(12500n, kwd)).toBe(13); // 12.5 → 13
    expect(estimateUnits(12499n, kwd)).toBe(12);
    expect(estimateUnits(10000n, { ...kwd, multiplier: "1.15" })).toBe(12); // 11.5 → 12
  });

  it("uses the platform's units per major unit", () => {
    expect(estimateUnits(1234n, settings({ unitsPerMajor: "10" }))).toBe(123); // 123.4
    expect(estimateUnits(1235n, settings({ unitsPerMajor: "0.1" }))).toBe(1); // 1.235
  });

  it("is 0 for nothing, a negative basis, or below the minimum", () => {
    expect(estimateUnits(0n, settings())).toBe(0);
    expect(estimateUnits(-500n, settings())).toBe(0);
    expect(estimateUnits(2499n, settings({ minimumOrderMinor: "2500" }))).toBe(0);
    expect(estimateUnits(2500n, settings({ minimumOrderMinor: "2500" }))).toBe(25);
  });

  it("refuses a float basis and malformed rates", () => {
    expect(() => estimateUnits(12.5 as unknown as bigint, settings())).toThrow(TypeError);
    expect(() => estimateUnits(100n, settings({ multiplier: "1e2" }))).toThrow(RangeError);
  });
});

describe("eligibleBasisMinor: the pipeline's earning rules for a cart", () => {
  const lines = [
    { unitPriceMinor: 1999n, quantity: 2, productTags: ["Shirt"] },
    { unitPriceMinor: 5000n, quantity: 1, productTags: ["No-Rewards"] },
    { unitPriceMinor: 2500n, quantity: 1, giftCard: true },
  ];

  it("leaves out excluded tags (any case) and gift cards", () => {
    const s = settings({ excludedProductTags: ["no-rewards "] });
    expect(eligibleBasisMinor(lines, s)).toBe(3998n);
    expect(estimateForLines(lines, s)).toBe(40);
  });

  it("takes discounts off, never below zero per line", () => {
    expect(
      eligibleBasisMinor(
        [
          { unitPriceMinor: 1000n, quantity: 2, discountMinor: 500n },
          { unitPriceMinor: 100n, quantity: 1, discountMinor: 300n },
        ],
        settings(),
      ),
    ).toBe(1500n);
  });

  it("counts tax and shipping only when the rules include them; shipping alone never earns", () => {
    const line = [{ unitPriceMinor: 1100n, quantity: 1, taxMinor: 100n }];
    const ship = { shippingMinor: 500n, shippingTaxMinor: 50n };
    expect(eligibleBasisMinor(line, settings(), ship)).toBe(1100n);
    expect(eligibleBasisMinor(line, settings(), { ...ship, taxesIncluded: true })).toBe(1000n);
    expect(eligibleBasisMinor(line, settings({ includeTax: true }), ship)).toBe(1200n);
    expect(
      eligibleBasisMinor(line, settings({ includeShipping: true, includeTax: true }), ship),
    ).toBe(1750n);
    expect(
      eligibleBasisMinor(
        [{ ...line[0], productTags: ["x"] }],
        settings({ includeShipping: true, excludedProductTags: ["x"] }),
        ship,
      ),
    ).toBe(0n);
  });

  it("is 0 below the minimum, shipping counting toward it only when included", () => {
    const s = settings({ minimumOrderMinor: "2500", includeShipping: true });
    const line = [{ unitPriceMinor: 2000n, quantity: 1 }];
    expect(eligibleBasisMinor(line, s)).toBe(0n);
    expect(eligibleBasisMinor(line, s, { shippingMinor: 500n })).toBe(2500n);
    expect(
      eligibleBasisMinor(line, { ...s, includeShipping: false }, { shippingMinor: 500n }),
    ).toBe(0n);
  });
});

describe("minorFromAmount and parseEstimateSettings", () => {
  it("reads text exactly and numbers through toFixed", () => {
    expect(minorFromAmount("19.99", 2)).toBe(1999n);
    expect(minorFromAmount("5000", 0)).toBe(5000n);
    expect(minorFromAmount("1.250", 3)).toBe(1250n);
    expect(minorFromAmount(0.1 + 0.2, 2)).toBe(30n);
    expect(minorFromAmount(19.99, 2)).toBe(1999n);
    expect(() => minorFromAmount("1.005", 2)).toThrow(RangeError);
  });

  it("accepts version 1 of the contract only", () => {
    const s = settings();
    expect(parseEstimateSettings(JSON.stringify(s))).toEqual(s);
    expect(parseEstimateSettings(s)).toEqual(s);
    expect(parseEstimateSettings({ ...s, version: 2 })).toBeNull();
    expect(parseEstimateSettings({ ...s, multiplier: 1.15 })).toBeNull();
    expect(parseEstimateSettings("{")).toBeNull();
    expect(parseEstimateSettings(null)).toBeNull();
  });
});
