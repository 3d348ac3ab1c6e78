import { db, type Database } from "../db.server";
import { claimRows, releaseLock } from "../jobs/claims.server";

export type BackfillStatus = "running" | "paused" | "done" | "failed";
export type BackfillRunRow = NonNullable<Awaited<ReturnType<typeof latestBackfillRun>>>;

export function latestBackfillRun(shopDomain: string, database: Database = db) {
  return database.backfillRun.findFirst({
    where: { shopDomain },
    orderBy: { startedAt: "desc" },
  });
}

export function findBackfillRun(id: string, database: Database = db) {
  return database.backfillRun.findUnique({ where: { id } });
}

export function createBackfillRun(shopDomain: string, since: Date, database: Database = db) {
  return database.backfillRun.create({ data: { shopDomain, since, status: "running" } });
}

export function setBackfillStatus(id: string, status: BackfillStatus, database: Database = db) {
  return database.backfillRun.update({ where: { id }, data: { status } });
}

export function claimRunningBackfills(
  limit: number,
  leaseMs: number,
  { onlyId, database = db }: { onlyId?: string; database?: Database } = {},
) {
  const now = new Date();
  return claimRows(database, "BackfillRun", {
    due: (statement) => {
      statement.text(`"status" = 'running'`);
      return onlyId ? statement.text(` AND "id" = `).value(onlyId) : statement;
    },
    orderBy: "updatedAt",
    limit,
    leaseMs,
    now,
  });
}

type BackfillUpdate = Parameters<Database["backfillRun"]["update"]>[0]["data"];

export function releaseBackfillRun(id: string, data: BackfillUpdate, database: Database = db) {
  return database.backfillRun.update({ where: { id }, data: { ...data, ...releaseLock } });
}
