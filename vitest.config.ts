import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";
import { TEST_APP_ENV } from "./test/helpers/app-env";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["app/**/*.test.{ts,tsx}", "test/**/*.test.ts", "extensions/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.git/**", "test/reliability/**"],
    environment: "node",
    globalSetup: ["test/global-setup.ts"],
    // The Shopify module reads its configuration when it is imported.
    env: { ...TEST_APP_ENV, NODE_ENV: "test", LOG_LEVEL: "warn" },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
