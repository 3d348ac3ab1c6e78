import { vitePlugin as remix } from "@remix-run/dev";
import { join } from "node:path";
import { build, defineConfig, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { backgroundWorkInDev } from "./dev-background-work";

// The Shopify CLI gives the dev server its tunnel URL as HOST (and APP_URL), not as
// SHOPIFY_APP_URL, which the app reads; HOST is not a host name to listen on either.
if (
  /^https?:\/\//.test(process.env.HOST ?? "") &&
  (!process.env.SHOPIFY_APP_URL || process.env.SHOPIFY_APP_URL === process.env.HOST)
) {
  process.env.SHOPIFY_APP_URL = process.env.HOST;
  delete process.env.HOST;
}

// The Shopify CLI sets HOST to the tunnel URL during `shopify app dev`; HMR
// must then go through the tunnel, otherwise through localhost.
const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;
const hmrConfig =
  host === "localhost"
    ? { protocol: "ws", host: "localhost", port: 64999, clientPort: 64999 }
    : {
        protocol: "wss",
        host,
        port: parseInt(process.env.FRONTEND_PORT ?? "8002"),
        clientPort: 443,
      };

// The app's threads (the webhook worker's, and the SQLite writer's) run their own small bundles
// beside Remix's server build, so a thread loads its own code and not every route's React and
// Polaris.
async function buildBackgroundThreads(buildDirectory: string) {
  // The output names the modules in the bundles (the dev server restarts the threads on theirs).
  return build({
    configFile: false,
    logLevel: "warn",
    plugins: [tsconfigPaths()],
    build: {
      ssr: true,
      outDir: join(buildDirectory, "background"),
      emptyOutDir: true,
      target: "node20",
      rollupOptions: {
        input: {
          index: "app/jobs/background-thread.server.ts",
          "sqlite-writer": "app/sqlite-writer-thread.server.ts",
        },
        output: { entryFileNames: "[name].js" },
      },
    },
  });
}

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    allowedHosts: [host],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    hmr: hmrConfig,
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      // Tests build into their own directory so parallel runs never share one.
      buildDirectory: process.env.BUILD_DIR ?? "build",
      ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
      buildEnd: async ({ remixConfig }) => {
        await buildBackgroundThreads(remixConfig.buildDirectory);
      },
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: false,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
    // The worker (and the SQLite writer) under `shopify app dev`, once per process.
    backgroundWorkInDev(buildBackgroundThreads),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
}) satisfies UserConfig;
