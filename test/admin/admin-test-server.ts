/**
 * Serves the real admin for browser tests, as server.mjs serves it in
 * production (Remix on Express, the reward worker in the same process), from
 * a build of its own made with one change: app/shopify.server.ts is replaced
 * by the test fake (vite.admin-test.config.ts). The production build never
 * contains the fake, so nothing here can bypass Shopify's auth in production.
 *
 * The server runs inside the test process, so msw sees its outgoing calls,
 * and SIR's webhooks are registered back to it.
 */
import { spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";

const ROOT = join(import.meta.dirname, "..", "..");

type BuildWithBackground = ServerBuild & {
  entry: { module: { startBackgroundWork(): Promise<{ stop(): Promise<void> }> } };
};

function buildAdminForTests(): string {
  mkdirSync(join(ROOT, ".cache"), { recursive: true });
  const buildDir = mkdtempSync(join(ROOT, ".cache", "admin-test-build-"));
  const result = spawnSync(
    process.execPath,
    [
      join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"),
      "vite:build",
      "--config",
      join(ROOT, "test/admin/vite.admin-test.config.ts"),
      "--logLevel",
      "warn",
    ],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, BUILD_DIR: buildDir } },
  );
  if (result.status !== 0) {
    rmSync(buildDir, { recursive: true, force: true });
    throw new Error(`admin test build failed:\n${result.stdout}\n${result.stderr}`);
  }
  return buildDir;
}

export type AdminTestServer = { url: string; stop(): Promise<void> };

export async function startAdminTestServer(): Promise<AdminTestServer> {
  const buildDir = buildAdminForTests();
  const app = express();
  const httpServer = app.listen(0, "127.0.0.1");
  await once(httpServer, "listening");
  const url = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
  // Read by app/config.server.ts when the build is imported (below).
  process.env.SHOPIFY_APP_URL = url;

  const build = (await import(
    pathToFileURL(join(buildDir, "server", "index.js")).href
  )) as BuildWithBackground;
  app.use("/assets", express.static(join(buildDir, "client", "assets"), { immutable: true }));
  app.use(express.static(join(buildDir, "client")));
  app.all("*", createRequestHandler({ build }));
  const background = await build.entry.module.startBackgroundWork();

  return {
    url,
    async stop() {
      await background.stop();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      rmSync(buildDir, { recursive: true, force: true });
    },
  };
}
