import { join } from "node:path";
import type { Plugin } from "vite";

const ROOT = join(import.meta.dirname, "..", "..");
const REAL_SHOPIFY_SERVER = join(ROOT, "app", "shopify.server.ts");
const FAKE_SHOPIFY_SERVER = join(ROOT, "test", "admin", "fake-shopify.server.ts");

/**
 * Resolves every import of app/shopify.server.ts, however it is spelled, to
 * the test fake. Only the admin test build (vite.admin-test.config.ts) uses it.
 */
export function fakeShopifyAuthentication(): Plugin {
  return {
    name: "sir-admin-test:fake-shopify-authentication",
    enforce: "pre",
    async resolveId(source, importer, options) {
      if (!source.includes("shopify.server")) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === REAL_SHOPIFY_SERVER ? FAKE_SHOPIFY_SERVER : null;
    },
  };
}
