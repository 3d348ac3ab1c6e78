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

// Another process may take the same candidates a moment earlier (several workers on
// PostgreSQL); looking again past them beats waiting a whole poll with work still due.
const CLAIM_ATTEMPTS = 3;

export async function claimRows(delegate: unknown, options: ClaimOptions): Promise<string[]> {
  const table = delegate as ClaimableDelegate;
  const now = options.now ?? new Date();
  for (let attempt = 1; attempt <= CLAIM_ATTEMPTS; attempt++) {
    const candidates = await table.findMany({
      where: { AND: [options.where, unlocked(now)] },
      select: { id: true },
      orderBy: options.orderBy,
      take: options.limit,
    });
    if (candidates.length === 0) return [];
    const ids = candidates.map((row) => row.id);
    const token = `${processToken}:${++claimSequence}`;
    // The condition again: a row another worker finished meanwhile is free but owes nothing.
    const { count } = await table.updateMany({
      where: { AND: [{ id: { in: ids } }, options.where, unlocked(now)] },
      data: { lockedBy: token, lockedUntil: new Date(now.getTime() + options.leaseMs) },
    });
    if (count === 0) continue;
    // By primary key: lockedBy has no index, and a scan of a large inbox is slow.
    const claimed = await table.findMany({
      where: { id: { in: ids }, lockedBy: token },
      select: { id: true },
    });
    return claimed.map((row) => row.id);
  }
  return [];
}

export const releaseLock = { lockedBy: null, lockedUntil: null };
