// Session tokens as Shopify signs a UI extension's (checkout, customer account): a JWT, HS256
// with the app's secret, aud the API key, dest the shop, sub the customer's gid when known.
import { createHmac, randomUUID } from "node:crypto";
import { TEST_APP_ENV } from "./app-env";

const base64url = (value: string) => Buffer.from(value).toString("base64url");

export function sessionToken(
  claims: Record<string, unknown>,
  { secret = TEST_APP_ENV.SHOPIFY_API_SECRET, omit = [] as string[] } = {},
): string {
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = {
    aud: TEST_APP_ENV.SHOPIFY_API_KEY,
    exp: now + 60,
    nbf: now - 1,
    iat: now - 1,
    jti: randomUUID(),
    sid: randomUUID(),
    ...claims,
  };
  for (const name of omit) delete payload[name];
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const signingInput = `${header}.${base64url(JSON.stringify(payload))}`;
  const signature = createHmac("sha256", secret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

/** A customer account extension's token (order status, profile, page). */
export const customerAccountToken = (shop: string, customerId: string, claims = {}) =>
  sessionToken({ dest: `https://${shop}`, sub: `gid://shopify/Customer/${customerId}`, ...claims });

/** A checkout extension's token (thank-you): sub only when the customer is signed in. */
export const checkoutToken = (shop: string, customerId: string | null) =>
  sessionToken(
    customerId ? { dest: shop, sub: `gid://shopify/Customer/${customerId}` } : { dest: shop },
  );
