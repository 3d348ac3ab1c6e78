import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";

export type TestDatabaseKind = "sqlite" | "postgresql";
export type TestDatabase = { kind: TestDatabaseKind; url: string; drop(): Promise<void> };

const ROOT = join(import.meta.dirname, "..", "..");
const POSTGRES_ADMIN_URL =
  process.env.POSTGRES_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";

export function testDatabaseKind(): TestDatabaseKind {
  const kind = process.env.TEST_DATABASE ?? "sqlite";
  if (kind !== "sqlite" && kind !== "postgresql") {
    throw new Error(`TEST_DATABASE must be sqlite or postgresql, not ${kind}`);
  }
  return kind;
}

export function migrate(url: string) {
  const result = spawnSync(process.execPath, [join(ROOT, "scripts", "db.mjs"), "migrate"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`migration failed:\n${result.stdout}\n${result.stderr}`);
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

// A throwaway, fully migrated database: a temp SQLite file, or a fresh
// PostgreSQL database that is dropped afterwards.
export async function createTestDatabase(
  kind: TestDatabaseKind = testDatabaseKind(),
): Promise<TestDatabase> {
  if (kind === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "sir-test-db-"));
    const url = `file:${join(dir, "test.sqlite")}`;
    migrate(url);
    return { kind, url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `sir_test_${process.pid}_${Date.now().toString(36)}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  migrate(url.toString());
  return {
    kind,
    url: url.toString(),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
