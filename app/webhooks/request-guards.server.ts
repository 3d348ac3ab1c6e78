// Limits on what an unauthenticated sender can make us read or store.
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

export function isShopDomain(value: string): boolean {
  return SHOP_DOMAIN.test(value);
}
