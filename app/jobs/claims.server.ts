import { randomUUID } from "node:crypto";

// Lease-based claiming that works the same on SQLite and PostgreSQL, with
// no extra infrastructure: one conditional UPDATE takes the free rows among
// the candidates. On PostgreSQL a concurrent claimer's UPDATE re-checks the
// condition after the first commits, so a row is never claimed twice; on
// SQLite writes are serialised anyway. An expired lease (a crashed worker)
// makes the row claimable again.

type ClaimableDelegate = {
  findMany(args: object): Promise<{ id: string }[]>;
  updateMany(args: object): Promise<{ count: number }>;
};

export type ClaimOptions = {
  where: object;
  orderBy: object;
  limit: number;
  leaseMs: number;
  now?: Date;
};

const processToken = randomUUID().slice(0, 8);
let claimSequence = 0;

const unlocked = (now: Date) => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] });

export async function claimRows(delegate: unknown, options: ClaimOptions): Promise<string[]> {
  const table = delegate as ClaimableDelegate;
  const now = options.now ?? new Date();
  const candidates = await table.findMany({
    where: { AND: [options.where, unlocked(now)] },
    select: { id: true },
    orderBy: options.orderBy,
    take: options.limit,
  });
  if (candidates.length === 0) return [];
  const token = `${processToken}:${++claimSequence}`;
  const { count } = await table.updateMany({
    where: { AND: [{ id: { in: candidates.map((row) => row.id) } }, unlocked(now)] },
    data: { lockedBy: token, lockedUntil: new Date(now.getTime() + options.leaseMs) },
  });
  if (count === 0) return [];
  const claimed = await table.findMany({ where: { lockedBy: token }, select: { id: true } });
  return claimed.map((row) => row.id);
}

export const releaseLock = { lockedBy: null, lockedUntil: null };
