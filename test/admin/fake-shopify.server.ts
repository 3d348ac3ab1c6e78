/**
 * Test-only stand-in for app/shopify.server.ts: route tests load it through
 * vi.mock, the browser test server through a Vite plugin. It exists nowhere in
 * the production build, so there is no way around Shopify's auth in production.
 *
 * The signed-in shop comes from a cookie the test sets; the Admin API is the
 * real URL, answered by the test's fake (test/admin/fake-admin-api.ts).
 */
import { adminGraphqlFor } from "./admin-graphql";

export const TEST_SHOP_COOKIE = "sir_test_shop";

function shopFromRequest(request: Request): string {
  const cookies = request.headers.get("cookie") ?? "";
  const match = new RegExp(`(?:^|;\\s*)${TEST_SHOP_COOKIE}=([^;]+)`).exec(cookies);
  // What Shopify's authenticate.admin does without a session: no page for you.
  if (!match) throw new Response("No test shop signed in", { status: 401 });
  return decodeURIComponent(match[1]);
}

function adminContext(shop: string) {
  return {
    session: { id: `offline_${shop}`, shop, isOnline: false, accessToken: "shpat_test_token" },
    admin: { graphql: adminGraphqlFor(shop) },
  };
}

export const authenticate = {
  admin: async (request: Request) => adminContext(shopFromRequest(request)),
};

export const unauthenticated = {
  admin: async (shop: string) => adminContext(shop),
};

export const addDocumentResponseHeaders = () => undefined;

export const login = async () => {
  throw new Response("Login is not available in admin tests", { status: 404 });
};

export default {
  authenticate,
  unauthenticated,
  addDocumentResponseHeaders,
  login,
};
