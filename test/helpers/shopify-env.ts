// The Shopify app credentials every test process uses. The secret signs the
// webhook fixtures exactly as Shopify signs real deliveries.
export const TEST_SHOPIFY_ENV = {
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-app-secret-0123456789",
  SHOPIFY_APP_URL: "https://sir-rewards.test",
  SCOPES: "read_orders,read_customers,read_products",
};
