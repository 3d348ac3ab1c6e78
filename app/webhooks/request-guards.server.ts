// Limits on what an unauthenticated sender can make us read or store.
export const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]{0,60}\.myshopify\.com$/;

export function isShopDomain(value: string): boolean {
  return SHOP_DOMAIN.test(value);
}

/** The body as text, or null when it is larger than the limit. */
export async function readBodyWithLimit(
  request: Request,
  limit: number = MAX_WEBHOOK_BYTES,
): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return null;
  const text = await request.text();
  return Buffer.byteLength(text) > limit ? null : text;
}
