import { randomUUID } from "node:crypto";
import { databaseProvider, type Database } from "../db.server";
import { SqlStatement } from "../models/sql.server";

// Lease-based claiming that works the same on SQLite and PostgreSQL, with no extra
// infrastructure: one UPDATE takes the first free rows among those due and returns them. On
// PostgreSQL the candidates are read FOR UPDATE SKIP LOCKED, so concurrent claimers (several
// worker processes) take different rows at once instead of queueing for the same ones; on
// SQLite writes are serialised anyway. An expired lease (a crashed worker) makes the row
// claimable again.

export type ClaimTable = "WebhookEvent" | "Reward" | "BackfillRun";

export type ClaimOptions = {
  /** Adds the conditions of a row that is due (after WHERE; values bound, never input text). */
  due: (statement: SqlStatement) => SqlStatement;
  /** The column claims take rows in order of (an indexed one: a claim reads a batch). */
  orderBy: string;
  limit: number;
  leaseMs: number;
  now?: Date;
  /** Only rows a stopping worker released (releaseOwnClaims), for the pass taking them over. */
  onlyReleased?: boolean;
};

// What releaseOwnClaims leaves in "lockedUntil": a lease long expired (claimable by anyone, as
// NULL is), which also tells the released rows from a backlog that was never claimed. A pass
// taking them over claims these: by due time alone, older unclaimed rows filled its batch and a
// released row waited seconds for the loop's small busy passes.
export const RELEASED_LEASE = new Date(0);

// The process id first, so an operator (or a test) can tell which process holds a row.
const processToken = `${process.pid}-${randomUUID().slice(0, 8)}`;
let claimSequence = 0;

// Prisma sets these on every update; a claim is one too.
const WITH_UPDATED_AT: ReadonlySet<ClaimTable> = new Set(["Reward", "BackfillRun"]);

export async function claimRows(
  database: Database,
  table: ClaimTable,
  options: ClaimOptions,
): Promise<string[]> {
  const now = options.now ?? new Date();
  const statement = new SqlStatement().text(`WITH "due" AS (SELECT "id" FROM "${table}" WHERE `);
  options
    .due(statement)
    .text(` AND ("lockedUntil" IS NULL OR "lockedUntil" < `)
    .value(now)
    .text(`)`);
  if (options.onlyReleased) {
    statement.text(` AND "lockedBy" IS NULL AND "lockedUntil" = `).value(RELEASED_LEASE);
  }
  statement.text(` ORDER BY "${options.orderBy}" LIMIT `).value(options.limit);
  // Locked as read, so the rows stay due until this statement has claimed them. In a CTE, which
  // PostgreSQL runs once: as a subquery of the UPDATE it may run again for each row, each time
  // skipping the rows just locked, and so claim more than the limit.
  if (databaseProvider(database) === "postgresql") statement.text(` FOR UPDATE SKIP LOCKED`);
  statement
    .text(`) UPDATE "${table}" SET "lockedBy" = `)
    .value(`${processToken}:${++claimSequence}`)
    .text(`, "lockedUntil" = `)
    .value(new Date(now.getTime() + options.leaseMs));
  if (WITH_UPDATED_AT.has(table)) statement.text(`, "updatedAt" = `).value(now);
  statement.text(` WHERE "id" IN (SELECT "id" FROM "due") RETURNING "id"`);
  const claimed = await statement.query<{ id: string }>(database);
  return claimed.map((row) => row.id);
}

export const releaseLock = { lockedBy: null, lockedUntil: null };

/** A claim taken back for new work: released, so a pass taking over released rows takes it. */
export const takeBackLock = { lockedBy: null, lockedUntil: RELEASED_LEASE };

/** The prefix of every claim this thread's claimer takes (it names the claimer in logs). */
export function claimerToken(): string {
  return processToken;
}

/**
 * Frees every row this thread's claimer (or, `of: "process"`, any thread of this process)
 * still holds, in each claimable table, so another worker takes them at once rather than
 * after the lease: a stopping process's last step. Returns how many rows were released. A result this claimer is still waiting for is then
 * written nowhere (its writes hold only `WHERE lockedBy = <its claim>`), and whoever takes the
 * row resends the same request under the same idempotency key.
 */
export async function releaseOwnClaims(
  database: Database,
  { now = new Date(), of = "thread" }: { now?: Date; of?: "thread" | "process" } = {},
): Promise<number> {
  // Any thread of the process may release them all: its claims share the process id.
  const pattern = of === "thread" ? `${processToken}:%` : `${process.pid}-%`;
  let released = 0;
  for (const table of ["WebhookEvent", "Reward", "BackfillRun"] as const) {
    const statement = new SqlStatement()
      .text(`UPDATE "${table}" SET "lockedBy" = NULL, "lockedUntil" = `)
      .value(RELEASED_LEASE)
      .text(WITH_UPDATED_AT.has(table) ? `, "updatedAt" = ` : ``);
    if (WITH_UPDATED_AT.has(table)) statement.value(now);
    const rows = await statement
      .text(` WHERE "lockedBy" LIKE `)
      .value(pattern)
      .text(` RETURNING "id"`)
      .query<{ id: string }>(database);
    released += rows.length;
  }
  return released;
}
