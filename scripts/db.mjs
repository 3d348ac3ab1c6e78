#!/usr/bin/env node
// Database tooling that never downloads an engine: Prisma runs on its Wasm
// engines with driver adapters (see prisma/*.config.ts).
//
//   node scripts/db.mjs render [--check]   write (or check) the per-provider schemas
//   node scripts/db.mjs generate           render + generate both Prisma clients
//   node scripts/db.mjs migrate            apply migrations to DATABASE_URL's database
//   node scripts/db.mjs new-migration NAME write SQL for both providers from the model change
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const prismaBin = join(root, "node_modules", "prisma", "build", "index.js");
const PROVIDERS = ["sqlite", "postgresql"];
export const DEFAULT_DATABASE_URL = "file:./prisma/dev.sqlite";

// The SQLite client is generated to the default place, so `@prisma/client`
// (which Shopify's session storage imports) resolves; PostgreSQL's lives beside it.
const CLIENT_OUTPUT = {
  sqlite: "",
  postgresql: `\n  output     = "../../node_modules/.prisma-postgresql/client"`,
};

function header(provider) {
  return `// GENERATED from prisma/models.prisma by \`npm run db -- render\`. Do not edit.
generator client {
  provider   = "prisma-client-js"
  engineType = "client"${CLIENT_OUTPUT[provider]}
}

datasource db {
  provider = "${provider}"
  // Kept so Prisma never reaches for the query engine; the driver adapter
  // built in app/db.server.ts is what actually connects.
  url      = env("DATABASE_URL")
}
`;
}

function schemaPath(provider) {
  return join(root, "prisma", provider, "schema.prisma");
}

function renderSchema(provider) {
  return `${header(provider)}\n${readFileSync(join(root, "prisma", "models.prisma"), "utf8")}`;
}

function render({ check }) {
  let stale = [];
  for (const provider of PROVIDERS) {
    const path = schemaPath(provider);
    const wanted = renderSchema(provider);
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === wanted) continue;
    if (check) stale.push(path);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, wanted);
    }
  }
  if (stale.length) {
    console.error(`Out of date (run \`npm run db -- render\`): ${stale.join(", ")}`);
    process.exit(1);
  }
}

export function providerFor(url) {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)`);
}

function prisma(provider, args, { env = {}, capture = false } = {}) {
  const result = spawnSync(
    process.execPath,
    [prismaBin, ...args, "--config", join(root, "prisma", `${provider}.config.ts`)],
    {
      cwd: root,
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
      encoding: "utf8",
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...env },
    },
  );
  if (result.status !== 0) {
    if (capture) process.stderr.write(result.stderr);
    process.exit(result.status ?? 1);
  }
  return result.stdout;
}

// Prisma reads the schema's env("DATABASE_URL") even to generate; without it
// the CLI falls back to the library engine and tries to download it.
const PLACEHOLDER_URL = {
  sqlite: "file:./prisma/dev.sqlite",
  postgresql: "postgresql://localhost/placeholder",
};

const DIFF_URL = {
  sqlite: "file:./prisma/dev.sqlite",
  postgresql: process.env.POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres",
};

function generate() {
  render({ check: false });
  for (const provider of PROVIDERS) {
    prisma(provider, ["generate", "--no-hints"], {
      env: { DATABASE_URL: PLACEHOLDER_URL[provider] },
    });
  }
}

function migrate() {
  const url = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const provider = providerFor(url);
  const output = prisma(provider, ["migrate", "deploy"], {
    env: { DATABASE_URL: url },
    capture: true,
  });
  // Prisma's banner warns about the datasource url kept on purpose (see the
  // schema header); print only what happened.
  const applied = output.match(/└─ (\S+)\//g)?.map((line) => line.slice(3, -1)) ?? [];
  console.log(
    applied.length
      ? `${provider}: applied ${applied.join(", ")}`
      : `${provider}: database schema is up to date`,
  );
}

function newMigration(name) {
  if (!name || !/^[a-z0-9_]+$/.test(name)) {
    console.error("usage: npm run db -- new-migration <snake_case_name>");
    process.exit(2);
  }
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const scratch = mkdtempSync(join(tmpdir(), "sir-migration-"));
  const hadSchema = Object.fromEntries(PROVIDERS.map((p) => [p, existsSync(schemaPath(p))]));
  for (const provider of PROVIDERS) {
    const oldPath = schemaPath(provider);
    const newPath = join(scratch, `${provider}.prisma`);
    writeFileSync(newPath, renderSchema(provider));
    const from = hadSchema[provider] ? ["--from-schema-datamodel", oldPath] : ["--from-empty"];
    // The CLI config points at the provider's schema file; it must exist to be read.
    if (!hadSchema[provider]) render({ check: false });
    // A pure diff, but the CLI still opens its adapter: give it a database that exists.
    const sql = prisma(
      provider,
      ["migrate", "diff", ...from, "--to-schema-datamodel", newPath, "--script"],
      { env: { DATABASE_URL: DIFF_URL[provider] }, capture: true },
    );
    const dir = join(root, "prisma", provider, "migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sql);
    const lock = join(root, "prisma", provider, "migrations", "migration_lock.toml");
    if (!existsSync(lock)) writeFileSync(lock, `provider = "${provider}"\n`);
    console.log(`wrote ${dir}/migration.sql`);
  }
  render({ check: false });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case "render":
      render({ check: rest.includes("--check") });
      break;
    case "generate":
      generate();
      break;
    case "migrate":
      migrate();
      break;
    case "new-migration":
      newMigration(rest[0]);
      break;
    default:
      console.error(
        "usage: node scripts/db.mjs render [--check] | generate | migrate | new-migration NAME",
      );
      process.exit(2);
  }
}
