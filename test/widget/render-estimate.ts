/**
 * Renders the token estimate block (blocks/sir-estimate.liquid) as Shopify would on a product or
 * cart page, with the app-owned estimate metafield as the app writes it. Liquid and Ajax amounts
 * are hundredths of the currency, whatever its exponent (Shopify's convention).
 */
import type { EstimateSettings } from "../../app/shopper/contract";
import { createEngine, defaultSettings } from "./render-liquid";

export type CartItem = {
  productId: number;
  /** Hundredths of the currency. */
  finalLinePrice: number;
  quantity: number;
  tags?: string[];
  giftCard?: boolean;
};

export type ProductPage = {
  tags?: string[];
  /** Variant id → price in hundredths; the first is selected. */
  variants: Array<{ id: number; price: number }>;
};

export type EstimateRenderOptions = {
  settings: EstimateSettings | null;
  page: { product: ProductPage } | { cart: CartItem[] };
  currency?: string;
  locale?: string;
  designMode?: boolean;
  blockId?: string;
};

export const USD_ESTIMATE: EstimateSettings = {
  version: 1,
  unit: { one: "token", other: "tokens" },
  currency: "USD",
  exponent: 2,
  unitsPerMajor: "1",
  multiplier: "1.15",
  includeShipping: false,
  includeTax: false,
  minimumOrderMinor: null,
  excludedProductTags: ["No-Rewards"],
  updatedAt: "2026-12-01T00:00:00.000Z",
};

export function cartJson(items: CartItem[], currency = "USD") {
  return {
    currency,
    items: items.map((item) => ({
      product_id: item.productId,
      final_line_price: item.finalLinePrice,
      quantity: item.quantity,
      gift_card: item.giftCard ?? false,
    })),
  };
}

export async function renderEstimateBlock(options: EstimateRenderOptions): Promise<string> {
  const locale = options.locale ?? "en";
  const currency = options.currency ?? options.settings?.currency ?? "USD";
  const onProduct = "product" in options.page;
  const product =
    "product" in options.page
      ? {
          tags: options.page.product.tags ?? [],
          selected_or_first_available_variant: options.page.product.variants[0],
          variants: options.page.product.variants,
        }
      : null;
  const items = "cart" in options.page ? options.page.cart : [];
  const globals = {
    app: {
      metafields: options.settings
        ? { $app: { reward_estimate: { value: options.settings } } }
        : {},
    },
    request: {
      design_mode: options.designMode ?? false,
      locale: { iso_code: locale },
      page_type: onProduct ? "product" : "cart",
    },
    shop: { currency },
    product,
    cart: {
      currency: { iso_code: currency },
      items: items.map((item) => ({
        product_id: item.productId,
        final_line_price: item.finalLinePrice,
        quantity: item.quantity,
        gift_card: item.giftCard ?? false,
        product: { tags: item.tags ?? [] },
      })),
    },
  };
  return createEngine(locale).renderFile(
    "sir-estimate",
    { block: { id: options.blockId ?? "Est123", settings: defaultSettings("sir-estimate") } },
    { globals },
  );
}

/** A product page (a product form with variant and quantity) or a cart page around the block. */
export function estimatePage(block: string, kind: "product" | "cart", lang = "en"): string {
  const form =
    kind === "product"
      ? `<form method="post" action="/cart/add">
          <label for="variant">Size</label>
          <select id="variant" name="id"><option value="11">Small</option><option value="12">Large</option></select>
          <label for="qty">Quantity</label>
          <input id="qty" type="number" name="quantity" value="1" min="1">
          <button type="submit">Add to cart</button>
        </form>`
      : `<form method="post" action="/cart">
          <label for="qty">Shirt quantity</label>
          <input id="qty" type="number" name="updates[]" value="2" min="0">
        </form>`;
  return `<!doctype html>
<html lang="${lang}">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Test store</title>
    <link rel="stylesheet" href="/assets/sir-estimate.css">
    <script src="/assets/sir-estimate.js" defer></script>
  </head>
  <body>
    <main>
      <h1>Test store</h1>
      ${form}
      ${block}
    </main>
  </body>
</html>`;
}
