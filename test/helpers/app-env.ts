// The environment every test process and test app server uses. The Shopify
// secret signs the webhook fixtures exactly as Shopify signs real deliveries.
export const TEST_APP_ENV = {
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-app-secret-0123456789",
  SHOPIFY_APP_URL: "https://sir-rewards.test",
  SCOPES: "read_orders,read_customers,read_products",
  ENCRYPTION_KEY: "7f".repeat(32),
  // The SIR sandbox and test doubles listen on this machine (any port): the
  // operator's allowance lets the app call them, in production mode too.
  PROVIDER_ALLOWED_HOSTS: "127.0.0.1,localhost",
  // Fast schedules so outage and retry scenarios finish in seconds.
  RETRY_BASE_MS: "200",
  WORKER_POLL_MS: "50",
  POOL_CHECK_MS: "500",
  // A killed app's claims free up quickly for the restarted one.
  WORKER_LEASE_MS: "3000",
};
