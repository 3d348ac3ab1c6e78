// The Admin GraphQL API as the app's code sees it (admin.graphql of
// shopify-app-remix), over a real fetch to Shopify's URL for the shop, so msw
// intercepts exactly what would leave the server.
export const ADMIN_API_VERSION = "2026-10";

export const adminGraphqlUrl = (shop: string) =>
  `https://${shop}/admin/api/${ADMIN_API_VERSION}/graphql.json`;

export function adminGraphqlFor(shop: string) {
  return async (query: string, options?: { variables?: Record<string, unknown> }) => {
    const response = await fetch(adminGraphqlUrl(shop), {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Shopify-Access-Token": "shpat_test_token" },
      body: JSON.stringify({ query, variables: options?.variables ?? {} }),
    });
    const body = (await response.json()) as { errors?: unknown };
    // Like shopify-app-remix's client: HTTP and GraphQL errors are thrown, not returned.
    if (!response.ok || body.errors) {
      throw new Error(`GraphQL Client: ${JSON.stringify(body.errors ?? response.status)}`);
    }
    return new Response(JSON.stringify(body));
  };
}
