import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase } from "./helpers/test-database";

const ROOT = join(import.meta.dirname, "..");

// Once per test run: build the app (tests run the production server), and
// create one migrated throwaway database on the provider TEST_DATABASE names.
// Test files share it, so each uses its own shop domains.
export default async function setup() {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  console.log(`test database: ${database.kind}`);
  // TEST_SKIP_BUILD=1 is for iterating on tests that never start the app;
  // those that do then fail to find the build and say so.
  if (process.env.TEST_SKIP_BUILD === "1") return () => database.drop();

  // Inside the project, so the build's bare imports resolve from node_modules.
  mkdirSync(join(ROOT, ".cache"), { recursive: true });
  const buildDir = mkdtempSync(join(ROOT, ".cache", "test-build-"));
  const build = spawnSync(
    process.execPath,
    [join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, BUILD_DIR: buildDir } },
  );
  if (build.status !== 0) {
    await database.drop();
    throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }
  // Inherited by the test workers, and through them by every app server they start.
  process.env.BUILD_DIR = buildDir;
  return async () => {
    await database.drop();
    rmSync(buildDir, { recursive: true, force: true });
  };
}
