/**
 * Where the merchant turns each shopper surface on: links into Shopify's editors. The app cannot
 * always know whether a block is placed (theme and checkout editors keep that to themselves), so
 * the settings say "add it in the editor" rather than claim a surface is live.
 */
import { config } from "../config.server";

export type ShopperSurfaceLinks = {
  /** The theme editor on a product page, offering the estimate block. */
  estimateBlockUrl: string;
  /** The theme editor on the cart page, offering the estimate block. */
  estimateCartBlockUrl: string;
  /** The checkout editor: checkout estimate (Plus), thank-you and order status blocks. */
  checkoutEditorUrl: string;
  /** Customer accounts settings, where the account page and profile block are customized. */
  customerAccountsUrl: string;
};

/** "demo-store.myshopify.com" → "demo-store", the store's handle in admin.shopify.com. */
export function storeHandle(shopDomain: string): string {
  return shopDomain.replace(/\.myshopify\.com$/, "");
}

export function shopperSurfaceLinks(shopDomain: string): ShopperSurfaceLinks {
  const admin = `https://admin.shopify.com/store/${encodeURIComponent(storeHandle(shopDomain))}`;
  const block = (template: string) =>
    `https://${shopDomain}/admin/themes/current/editor?template=${template}&addAppBlockId=${encodeURIComponent(config.shopifyApiKey)}/sir-estimate&target=mainSection`;
  return {
    estimateBlockUrl: block("product"),
    estimateCartBlockUrl: block("cart"),
    checkoutEditorUrl: `${admin}/settings/checkout/editor`,
    customerAccountsUrl: `${admin}/settings/customer_accounts`,
  };
}
