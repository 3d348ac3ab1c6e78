import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { config } from "./config.server";
import { db } from "./db.server";
import { recordInstallation } from "./models/Shop.server";
import { EncryptedSessionStorage } from "./sessions/encrypted-session-storage.server";

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
  // Access tokens sealed at rest (app/sessions/encrypted-session-storage.server.ts).
  sessionStorage: new EncryptedSessionStorage(new PrismaSessionStorage(db), { database: db }),
  distribution: AppDistribution.AppStore,
  // Still meaningful in @shopify/shopify-app-remix 6.0.1: without it an embedded app takes the
  // auth-code OAuth redirects instead of token exchange (shopify-app.mjs picks the strategy on
  // it, and login() sends installs to Shopify's managed install). test/e2e/install.e2e drives it.
  future: { unstable_newEmbeddedAuthStrategy: true },
  hooks: {
    // A (re)install starts a new installation; a late app/uninstalled from
    // before it must not undo it (see app-lifecycle.server.ts).
    afterAuth: async ({ session }) => recordInstallation(session.shop),
  },
});

export default shopify;

export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const sessionStorage = shopify.sessionStorage;
