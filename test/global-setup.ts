import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { createTestDatabase } from "./helpers/test-database";

const ROOT = join(import.meta.dirname, "..");

// Once per test run: build the app (tests run the production server), and
// create one migrated throwaway database on the provider TEST_DATABASE names.
// Test files share it, so each uses its own shop domains.
export default async function setup() {
  if (!process.env.SIR_TEST_SKIP_BUILD) {
    const build = spawnSync(process.execPath, [join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  console.log(`test database: ${database.kind}`);
  return () => database.drop();
}
