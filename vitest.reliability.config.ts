import { configDefaults, defineConfig } from "vitest/config";
import baseConfig from "./vitest.config";

// `npm run test:reliability`: the fault scenarios, with the same global setup (build, throwaway
// database) and environment as `npm test`. One file at a time: each starts its own app and SIR
// sandbox on the shared database, and the fuzz test checks that the whole database is unchanged.
export default defineConfig({
  ...baseConfig,
  test: {
    ...baseConfig.test,
    include: ["test/reliability/**/*.test.ts"],
    exclude: configDefaults.exclude,
    fileParallelism: false,
    testTimeout: 300_000,
  },
});
