import { describe, expect, it } from "vitest";
import {
  DEFAULT_EARNING_RULES,
  normalizeTag,
  splitTagString,
  validateEarningRules,
  type EarningRules,
} from "./settings";

function rulesOf(input: Record<string, unknown>): EarningRules {
  const result = validateEarningRules(input);
  if (!result.ok) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.rules;
}

function errorsOf(input: Record<string, unknown>) {
  const result = validateEarningRules(input);
  if (result.ok) throw new Error("expected errors");
  return result.errors;
}

describe("DEFAULT_EARNING_RULES", () => {
  it("is: subtotal after discounts, no shipping, no tax, no minimum, POS yes, tests no", () => {
    expect(DEFAULT_EARNING_RULES).toEqual({
      includeShipping: false,
      includeTax: false,
      minimumOrderAmount: null,
      rewardTestOrders: false,
      includePosOrders: true,
      excludedCustomerTags: [],
      excludedProductTags: [],
    });
  });

  it("cannot be mutated by accident", () => {
    expect(() => DEFAULT_EARNING_RULES.excludedCustomerTags.push("x")).toThrow(TypeError);
    expect(() => {
      (DEFAULT_EARNING_RULES as EarningRules).includeTax = true;
    }).toThrow(TypeError);
  });
});

describe("validateEarningRules", () => {
  it("fills every missing field with its default", () => {
    expect(rulesOf({})).toEqual(DEFAULT_EARNING_RULES);
    // and hands out fresh arrays, not the frozen defaults
    rulesOf({}).excludedProductTags.push("ok");
  });

  it("accepts a full valid input", () => {
    expect(
      rulesOf({
        includeShipping: true,
        includeTax: true,
        minimumOrderAmount: "25.00",
        rewardTestOrders: true,
        includePosOrders: false,
        excludedCustomerTags: ["wholesale"],
        excludedProductTags: ["no-rewards"],
      }),
    ).toEqual({
      includeShipping: true,
      includeTax: true,
      minimumOrderAmount: "25.00",
      rewardTestOrders: true,
      includePosOrders: false,
      excludedCustomerTags: ["wholesale"],
      excludedProductTags: ["no-rewards"],
    });
  });

  it("accepts the form strings true and false for switches", () => {
    expect(rulesOf({ includeShipping: "true", includePosOrders: "false" })).toMatchObject({
      includeShipping: true,
      includePosOrders: false,
    });
  });

  it("explains a bad switch in a sentence", () => {
    expect(errorsOf({ includeTax: "yes", rewardTestOrders: 1 })).toEqual({
      includeTax: "Include tax must be either on or off.",
      rewardTestOrders: "Reward test orders must be either on or off.",
    });
  });

  describe("minimum order amount", () => {
    it.each([
      ["25.00", "25.00"],
      ["25", "25"],
      [" 19.5 ", "19.5"],
      ["0.01", "0.01"],
      ["1000", "1000"],
      ["12.345", "12.345"],
    ])("accepts %j as %j", (input, stored) => {
      expect(rulesOf({ minimumOrderAmount: input }).minimumOrderAmount).toBe(stored);
    });

    it.each([null, "", "   "])("treats %j as no minimum", (input) => {
      expect(rulesOf({ minimumOrderAmount: input }).minimumOrderAmount).toBeNull();
    });

    it.each(["0", "0.00", "-5", "abc", "1e3", "25,00", "$25", "12.34567", "1234567890123", 25])(
      "rejects %j with a merchant-readable sentence",
      (input) => {
        expect(errorsOf({ minimumOrderAmount: input }).minimumOrderAmount).toBe(
          "Minimum order amount must be a positive amount like 25.00, or empty for no minimum.",
        );
      },
    );
  });

  describe("tags", () => {
    it("trims, drops empties and duplicates ignoring case, keeping the first spelling", () => {
      expect(
        rulesOf({ excludedCustomerTags: [" Wholesale ", "wholesale", "", "VIP", "vip ", "  "] })
          .excludedCustomerTags,
      ).toEqual(["Wholesale", "VIP"]);
    });

    it("accepts one comma-separated string, like Shopify's own tag field", () => {
      expect(
        rulesOf({ excludedProductTags: "no-rewards, Gift,,gift " }).excludedProductTags,
      ).toEqual(["no-rewards", "Gift"]);
    });

    it("splits array entries that contain commas", () => {
      expect(rulesOf({ excludedCustomerTags: ["a, b", "c"] }).excludedCustomerTags).toEqual([
        "a",
        "b",
        "c",
      ]);
    });

    it("allows 50 tags but not 51 (counted after removing duplicates)", () => {
      const fifty = Array.from({ length: 50 }, (_, i) => `tag-${i}`);
      expect(
        rulesOf({ excludedCustomerTags: [...fifty, "TAG-0"] }).excludedCustomerTags,
      ).toHaveLength(50);
      expect(errorsOf({ excludedCustomerTags: [...fifty, "tag-50"] })).toEqual({
        excludedCustomerTags: "You can exclude at most 50 customer tags (you entered 51).",
      });
    });

    it("allows 255 characters per tag but not 256", () => {
      expect(rulesOf({ excludedProductTags: ["x".repeat(255)] }).excludedProductTags).toHaveLength(
        1,
      );
      expect(errorsOf({ excludedProductTags: ["y".repeat(256)] }).excludedProductTags).toMatch(
        /^The product tag "y{30}…" is too long: tags can have at most 255 characters\.$/,
      );
    });

    it("counts characters, not UTF-16 units", () => {
      expect(rulesOf({ excludedProductTags: ["🎁".repeat(255)] }).excludedProductTags).toHaveLength(
        1,
      );
    });

    it("rejects lists that are not strings", () => {
      expect(errorsOf({ excludedCustomerTags: [1, 2] })).toEqual({
        excludedCustomerTags: "Excluded customer tags must be a list of tags separated by commas.",
      });
      expect(errorsOf({ excludedProductTags: { a: 1 } }).excludedProductTags).toBeDefined();
    });
  });

  it("reports every bad field at once", () => {
    expect(
      Object.keys(
        errorsOf({ includeShipping: "maybe", minimumOrderAmount: "-1", excludedProductTags: 7 }),
      ).sort(),
    ).toEqual(["excludedProductTags", "includeShipping", "minimumOrderAmount"]);
  });

  it("ignores unknown fields", () => {
    expect(rulesOf({ somethingElse: true })).toEqual(DEFAULT_EARNING_RULES);
  });
});

describe("tag helpers", () => {
  it("normalizes for comparison", () => {
    expect(normalizeTag("  VIP ")).toBe("vip");
    expect(splitTagString("newsletter, VIP ,, Wholesale")).toEqual([
      "newsletter",
      "vip",
      "wholesale",
    ]);
    expect(splitTagString("")).toEqual([]);
    expect(splitTagString(null)).toEqual([]);
  });
});
