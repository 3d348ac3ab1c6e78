import { describe, expect, it } from "vitest";
import type { EstimateSettings } from "../../app/shopper/contract";
import { estimateForLines } from "../../app/shopper/estimate";
import { readLocale } from "./render-liquid";
import { renderEstimateBlock, USD_ESTIMATE, type CartItem } from "./render-estimate";

const text = (html: string) =>
  /<p[^>]*data-sir-estimate[^>]*>([\s\S]*?)<\/p>/.exec(html)?.[1].trim() ?? null;

/** Liquid hundredths → the minor units estimateForLines takes. */
const toMinor = (hundredths: number, exponent: number) =>
  (BigInt(hundredths) * 10n ** BigInt(exponent)) / 100n;

function expected(items: CartItem[], settings: EstimateSettings) {
  return estimateForLines(
    items.map((item) => ({
      unitPriceMinor: toMinor(item.finalLinePrice, settings.exponent),
      quantity: 1,
      productTags: item.tags,
      giftCard: item.giftCard,
    })),
    settings,
  );
}

const CARTS: Array<[string, EstimateSettings, CartItem[]]> = [
  [
    "USD ×1.15 with an excluded tag and a gift card",
    USD_ESTIMATE,
    [
      { productId: 1, finalLinePrice: 5000, quantity: 2, tags: ["shirt"] },
      { productId: 2, finalLinePrice: 1999, quantity: 1, tags: ["no-rewards"] },
      { productId: 3, finalLinePrice: 2500, quantity: 1, giftCard: true },
    ],
  ],
  [
    "JPY (exponent 0)",
    { ...USD_ESTIMATE, currency: "JPY", exponent: 0, multiplier: "1.15" },
    [{ productId: 1, finalLinePrice: 500_000, quantity: 1 }],
  ],
  [
    "KWD (exponent 3), 12.5 → 13",
    { ...USD_ESTIMATE, currency: "KWD", exponent: 3, multiplier: "1" },
    [{ productId: 1, finalLinePrice: 1250, quantity: 1 }],
  ],
  [
    "an exact half, 2.5 → 3",
    { ...USD_ESTIMATE, multiplier: "1" },
    [{ productId: 1, finalLinePrice: 250, quantity: 1 }],
  ],
];

describe("the estimate block's Liquid computes what app/shopper/estimate.ts computes", () => {
  for (const [name, settings, items] of CARTS) {
    it(`cart: ${name}`, async () => {
      const units = expected(items, settings);
      expect(units).toBeGreaterThan(0);
      const html = await renderEstimateBlock({ settings, page: { cart: items } });
      expect(text(html)).toBe(
        `Earn ≈ ${units} ${units === 1 ? "token" : "tokens"} with this order (estimate)`,
      );
    });
  }

  it("cart: 50 × 1.15 = 57.5 → 58 exactly", async () => {
    const html = await renderEstimateBlock({
      settings: USD_ESTIMATE,
      page: { cart: [{ productId: 1, finalLinePrice: 5000, quantity: 1 }] },
    });
    expect(text(html)).toBe("Earn ≈ 58 tokens with this order (estimate)");
    expect(html).toContain('data-excluded=""');
  });

  it("cart: below the minimum names it; only excluded lines render hidden", async () => {
    const settings = { ...USD_ESTIMATE, minimumOrderMinor: "2500" };
    const below = await renderEstimateBlock({
      settings,
      page: { cart: [{ productId: 1, finalLinePrice: 2499, quantity: 1 }] },
    });
    expect(text(below)).toBe("Orders of 25.00 USD or more earn tokens (estimate).");
    const excluded = await renderEstimateBlock({
      settings,
      page: { cart: [{ productId: 7, finalLinePrice: 9000, quantity: 1, tags: [" NO-REWARDS"] }] },
    });
    expect(excluded).toMatch(/data-excluded="7,"/);
    expect(excluded).toMatch(/\shidden\s*>/);
  });

  it("product: the selected variant's price, or 'does not earn' for an excluded product", async () => {
    const html = await renderEstimateBlock({
      settings: USD_ESTIMATE,
      page: {
        product: {
          variants: [
            { id: 11, price: 5000 },
            { id: 12, price: 8000 },
          ],
        },
      },
    });
    expect(text(html)).toBe("Earn ≈ 58 tokens with this order (estimate)");
    expect(html).toContain('data-prices="11:5000,12:8000"');
    const excluded = await renderEstimateBlock({
      settings: USD_ESTIMATE,
      page: { product: { tags: ["No-Rewards"], variants: [{ id: 11, price: 5000 }] } },
    });
    expect(text(excluded)).toBe("This product does not earn tokens.");
  });

  it("speaks the shopper's language (en, fr, es, de)", async () => {
    const page = { cart: [{ productId: 1, finalLinePrice: 5000, quantity: 1 }] };
    for (const [locale, file] of [
      ["fr", "fr.json"],
      ["es", "es.json"],
      ["de", "de.json"],
    ]) {
      const words = readLocale(file).sir_estimate as Record<string, string>;
      const html = await renderEstimateBlock({ settings: USD_ESTIMATE, page, locale });
      expect(text(html)).toBe(words.earn_other.replace("{{ count }}", "58"));
    }
  });

  it("shows nothing to shoppers without the metafield or in another currency; a hint in the editor", async () => {
    const page = { cart: [{ productId: 1, finalLinePrice: 5000, quantity: 1 }] };
    expect((await renderEstimateBlock({ settings: null, page })).trim()).toBe("");
    expect(
      (await renderEstimateBlock({ settings: USD_ESTIMATE, page, currency: "EUR" })).trim(),
    ).toBe("");
    expect(await renderEstimateBlock({ settings: null, page, designMode: true })).toContain(
      "sir-estimate-hint",
    );
  });
});
