/**
 * Shopify's side of an embedded app's install: the session token the admin hands the app, and
 * the token-exchange endpoint that turns it into an access token, intercepted with msw.
 *
 * Import this module before anything that imports @shopify/shopify-api: its node/web adapters
 * capture `fetch` when they are imported, so msw must be listening by then (it starts here, at
 * module top level).
 */
import { createHmac, randomUUID } from "node:crypto";
import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";
import { TEST_APP_ENV } from "./app-env";

export type TokenExchangeCall = { shop: string; body: Record<string, string> };

const TOKEN_ENDPOINT = /^https:\/\/([a-z0-9-]+\.myshopify\.com)\/admin\/oauth\/access_token$/;

export const tokenExchangeCalls: TokenExchangeCall[] = [];
/** What the endpoint grants next, per shop (defaults: a fresh shpat_ token, SCOPES). */
export const grants = new Map<string, { accessToken?: string; scope?: string }>();

// As Shopify documents it (shopify.dev, "Exchange a session token for an access token"): a JSON
// POST of client_id, client_secret, grant_type, subject_token, subject_token_type and
// requested_token_type, answered for an offline token with { access_token, scope }.
export const tokenExchangeServer = setupServer(
  http.post(TOKEN_ENDPOINT, async ({ request }) => {
    const shop = TOKEN_ENDPOINT.exec(request.url)![1];
    const body = (await request.json()) as Record<string, string>;
    tokenExchangeCalls.push({ shop, body });
    if (
      body.client_id !== TEST_APP_ENV.SHOPIFY_API_KEY ||
      body.client_secret !== TEST_APP_ENV.SHOPIFY_API_SECRET
    ) {
      return HttpResponse.json({ error: "invalid_client" }, { status: 401 });
    }
    if (body.grant_type !== "urn:ietf:params:oauth:grant-type:token-exchange") {
      return HttpResponse.json({ error: "unsupported_grant_type" }, { status: 400 });
    }
    const grant = grants.get(shop) ?? {};
    return HttpResponse.json({
      access_token: grant.accessToken ?? `shpat_${randomUUID().replace(/-/g, "")}`,
      scope: grant.scope ?? TEST_APP_ENV.SCOPES,
    });
  }),
);
tokenExchangeServer.listen({ onUnhandledRequest: "bypass" });

const base64url = (value: string | Buffer) => Buffer.from(value).toString("base64url");

/**
 * A session token as the Shopify admin hands one to an embedded app: HS256 with the app's
 * secret, the claims Shopify documents (iss, dest, aud, sub, exp, nbf, iat, jti, sid).
 */
export function sessionToken(shop: string, userId = "42"): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url(JSON.stringify({ alg: "HS256", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: TEST_APP_ENV.SHOPIFY_API_KEY,
      sub: userId,
      exp: now + 60,
      nbf: now - 5,
      iat: now - 5,
      jti: randomUUID(),
      sid: randomUUID(),
    }),
  );
  const signature = createHmac("sha256", TEST_APP_ENV.SHOPIFY_API_SECRET)
    .update(`${header}.${payload}`)
    .digest();
  return `${header}.${payload}.${base64url(signature)}`;
}

/** The admin's `host` parameter for a shop (base64 of its admin URL). */
export function adminHost(shop: string): string {
  return base64url(`admin.shopify.com/store/${shop.replace(".myshopify.com", "")}`);
}
