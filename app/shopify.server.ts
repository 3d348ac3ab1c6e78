import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { recordInstallation } from "./models/Shop.server";

// Pinned: the newest stable version when this was written. Bump deliberately,
// together with [webhooks].api_version in shopify.app.toml.
export const API_VERSION = ApiVersion.October26;

const shopify = shopifyApp({
  apiKey: config.shopifyApiKey,
  apiSecretKey: config.shopifyApiSecret,
  apiVersion: API_VERSION,
  scopes: config.scopes,
  appUrl: config.shopifyAppUrl,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(db),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    // A (re)install starts a new installation; a late app/uninstalled from
    // before it must not undo it (see app-lifecycle.server.ts).
    afterAuth: async ({ session }) => recordInstallation(session.shop),
  },
});

export default shopify;

// Webhook deliveries are checked by Shopify's own library (HMAC over the raw body, required
// headers) exactly as authenticate.webhook checks them, but without what it adds on top: reading
// the shop's offline session, parsing the body and building an Admin client. The webhook routes
// only record the raw body; the worker reads the session when it needs the Admin API. At
// Black-Friday rates that is a database read less per delivery.
const webhookApi = shopifyApi({
  apiKey: config.shopifyApiKey,
  apiSecretKey: config.shopifyApiSecret,
  apiVersion: API_VERSION,
  scopes: config.scopes,
  hostName: new URL(config.shopifyAppUrl || "http://localhost").host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
});
export const validateWebhook = (rawBody: string, request: Request) =>
  webhookApi.webhooks.validate({ rawBody, rawRequest: withShopifyHeadersOnly(request) });

// The library canonicalises every header name of the request on each header it looks up, a cost
// that grows with the square of the header count on every delivery. It reads only Shopify's own
// headers (X-Shopify-* for webhooks, Shopify-* for events), so those are all it is given.
function withShopifyHeadersOnly(request: Request): Request {
  const headers = new Headers();
  for (const [name, value] of request.headers) {
    if (name.startsWith("x-shopify-") || name.startsWith("shopify-")) headers.append(name, value);
  }
  return new Request(request.url, { method: request.method, headers });
}
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
