#!/usr/bin/env node
// `npm test`: the whole suite. Static checks first (cheap, and a broken type
// or schema makes every later failure noise), then Vitest on the database
// TEST_DATABASE names (sqlite by default, or postgresql).
//   npm test                      all checks + all tests on SQLite
//   TEST_DATABASE=postgresql npm test
//   npm test -- --tests-only      skip the static checks (CI's second database)
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => join(root, "node_modules", ".bin", name);
const args = process.argv.slice(2);
const testsOnly = args.includes("--tests-only");
const vitestArgs = args.filter((arg) => arg !== "--tests-only");

const steps = [
  ...(testsOnly
    ? []
    : [
        [
          "schema in sync",
          process.execPath,
          [join(root, "scripts", "db.mjs"), "render", "--check"],
        ],
        ["lint", bin("eslint"), ["--max-warnings", "0", "."]],
        ["format", bin("prettier"), ["--check", "--log-level", "warn", "."]],
        ["typecheck", bin("tsc"), ["--noEmit"]],
      ]),
  ["browser for the browser tests", "bash", [join(root, "scripts", "ensure-chromium.sh")]],
  ["tests", bin("vitest"), ["run", ...vitestArgs]],
];

for (const [name, command, commandArgs] of steps) {
  console.log(`\n▶ ${name}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`\n✖ ${name} failed`);
    process.exit(result.status ?? 1);
  }
}
console.log("\n✔ all checks passed");
