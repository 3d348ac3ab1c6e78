import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { TEST_SHOPIFY_ENV } from "./test/helpers/shopify-env";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.ts", "extensions/**/*.test.ts"],
    environment: "node",
    globalSetup: ["test/global-setup.ts"],
    // The Shopify module reads its configuration when it is imported.
    env: { ...TEST_SHOPIFY_ENV, NODE_ENV: "test", LOG_LEVEL: "warn" },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
