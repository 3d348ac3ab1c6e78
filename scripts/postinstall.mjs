#!/usr/bin/env node
// Runs after `npm ci`/`npm install`: generates both Prisma clients (no engine
// download; see scripts/db.mjs). Nothing else needs a manual step.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const result = spawnSync(process.execPath, [join(root, "scripts", "db.mjs"), "generate"], {
  cwd: root,
  stdio: "inherit",
});
process.exit(result.status ?? 1);
