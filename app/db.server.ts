import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PrismaClient } from "@prisma/client";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { config } from "./config.server";
import { serialiseBehindTransactions, type DirectStatements } from "./sqlite-connection.server";
import { exposePool } from "./postgres-connection.server";

export type Database = PrismaClient;
export type DatabaseProvider = "sqlite" | "postgresql";

export function providerFor(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//.test(url)) return "postgresql";
  throw new Error("DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL)");
}

// Both clients are generated from one model source (scripts/db.mjs); the
// PostgreSQL one lives beside @prisma/client, so resolve it from there.
function loadPostgresClientClass(): typeof PrismaClient {
  const require = createRequire(import.meta.url);
  const prismaClientDir = dirname(require.resolve("@prisma/client/package.json"));
  const generated = join(prismaClientDir, "..", "..", ".prisma-postgresql", "client");
  return (require(generated) as { PrismaClient: typeof PrismaClient }).PrismaClient;
}

const directStatements = new WeakMap<object, () => DirectStatements | null>();
const providers = new WeakMap<object, DatabaseProvider>();

/** The database a client of createDatabase's talks to (a transaction's client: the app's). */
export function databaseProvider(database: object): DatabaseProvider {
  return providers.get(database) ?? providerFor(config.databaseUrl);
}

export function createDatabase(url: string = config.databaseUrl): Database {
  const client = createClient(url);
  providers.set(client, providerFor(url));
  return client;
}

function createClient(url: string): Database {
  if (providerFor(url) === "sqlite") {
    const adapter = serialiseBehindTransactions(new PrismaBetterSQLite3({ url }));
    const client = new PrismaClient({ adapter });
    directStatements.set(client, adapter.direct);
    return client;
  }
  const PostgresClient = loadPostgresClientClass();
  const adapter = exposePool(new PrismaPg({ connectionString: url }));
  const client = new PostgresClient({ adapter });
  directStatements.set(client, adapter.direct);
  return client;
}

/**
 * A client's own connection (SQLite) or pool (PostgreSQL) for statements that bypass Prisma's
 * query engine (see DirectStatements); null for a transaction's client, and before the client's
 * first query has connected it.
 */
export function directStatementsOf(database: object): DirectStatements | null {
  return directStatements.get(database)?.() ?? null;
}

/**
 * Runs a client's direct statements on `statements` instead (the SQLite writer thread's); the
 * function returned puts its own back.
 */
export function routeDirectStatements(database: object, statements: DirectStatements) {
  const own = directStatements.get(database);
  directStatements.set(database, () => statements);
  return () => void (own ? directStatements.set(database, own) : directStatements.delete(database));
}

/**
 * Who uses a connection: the request thread, whose commits acknowledge what Shopify and SIR
 * delivered, or the background work (worker, backfill), which only derives state from those
 * recorded events and from SIR's idempotent answers.
 */
export type ConnectionRole = "requests" | "background";

// SQLite allows one writer at a time: WAL (a property of the file, so once per start is
// enough) lets readers proceed while another connection writes; better-sqlite3 already waits
// up to 5 s for a busy lock instead of failing. Durability is per connection: a request's
// commit is on disk before the answer (synchronous=FULL, an fsync per commit), because Shopify
// does not redeliver what was acknowledged. The background work's commits skip that fsync
// (NORMAL: still never corrupt, and an application crash loses nothing); a power cut may undo
// its last ones, which only means redoing them from the recorded events under the same
// idempotency keys.
export async function prepareDatabase(
  database: Database,
  role: ConnectionRole,
  url: string = config.databaseUrl,
) {
  if (providerFor(url) !== "sqlite") return;
  await database.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  const synchronous = role === "requests" ? "FULL" : "NORMAL";
  await database.$executeRawUnsafe(`PRAGMA synchronous = ${synchronous}`);
}

// The PostgreSQL client carries its own copy of Prisma's runtime, so its error classes are not
// @prisma/client's: recognise a unique violation by its code, or, from a raw statement (P2010),
// by the kind the driver adapter gave it.
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, meta } = error as {
    code?: unknown;
    meta?: { driverAdapterError?: { cause?: { kind?: unknown } } };
  };
  return (
    code === "P2002" ||
    (code === "P2010" && meta?.driverAdapterError?.cause?.kind === "UniqueConstraintViolation") ||
    // better-sqlite3's own, from a direct statement
    code === "SQLITE_CONSTRAINT_UNIQUE" ||
    code === "SQLITE_CONSTRAINT_PRIMARYKEY"
  );
}

declare global {
  var __sirRewardsDb: Database | undefined;
}

// One client per process; kept on globalThis so dev-server reloads reuse it.
export const db: Database = globalThis.__sirRewardsDb ?? createDatabase();
if (config.nodeEnv !== "production") globalThis.__sirRewardsDb = db;
export default db;
