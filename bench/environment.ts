import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { TEST_APP_ENV } from "../test/helpers/app-env";
import { createTestDatabase, type TestDatabaseKind } from "../test/helpers/test-database";
import type { Database } from "../app/db.server";

// What Vitest's global setup does for the tests, done by the bench for itself. This module is
// imported first: the app modules the bench loads read their configuration on import.
Object.assign(process.env, { ...TEST_APP_ENV, LOG_LEVEL: "warn" }, { ...process.env });

export const ROOT = join(import.meta.dirname, "..");

/**
 * The app's own defaults for the worker, not the tests' fast schedules: the figures describe the
 * app as a merchant runs it. Only the Shopify and encryption settings come from the test env.
 */
export const PRODUCTION_WORKER_ENV = {
  RETRY_BASE_MS: "10000",
  WORKER_POLL_MS: "500",
  WORKER_LEASE_MS: "60000",
  POOL_CHECK_MS: "300000",
};

/** Builds the app into .cache/ (as the tests do) and points every app server started at it. */
export function buildApp(): { dir: string; remove(): void } {
  mkdirSync(join(ROOT, ".cache"), { recursive: true });
  const dir = mkdtempSync(join(ROOT, ".cache", "bench-build-"));
  const build = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, BUILD_DIR: dir } },
  );
  if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  process.env.BUILD_DIR = dir;
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A fresh migrated database, made the default for what starts next (Pipeline, app servers, the
 * operator CLI), exactly as the tests' global setup does with DATABASE_URL.
 */
export async function useFreshDatabase(kind: TestDatabaseKind) {
  const database = await createTestDatabase(kind);
  process.env.DATABASE_URL = database.url;
  return database;
}

/** The shop's offline session with the app's scopes, as the OAuth install would have stored it. */
export function storeOfflineSession(db: Database, shop: string, scope: string) {
  return db.session.create({
    data: {
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      scope,
      accessToken: "shpat_bench",
    },
  });
}

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus.length} × ${cpus[0]?.model ?? "unknown CPU"}`,
    memoryGb: Math.round(os.totalmem() / 1024 ** 3),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(" "),
  };
}
