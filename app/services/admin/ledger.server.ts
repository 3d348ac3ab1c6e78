import type { Prisma } from "@prisma/client";
import { db, type Database } from "../../db.server";
import { REWARD_STATUSES, type RewardStatus } from "../../models/Reward.server";
import { rewardForDisplay } from "../../rewards/reward-view";
import { decodeLedgerCursor, encodeLedgerCursor, type LedgerPosition } from "./ledger-cursor";

export const LEDGER_PAGE_SIZE = 50;

export type LedgerQuery = {
  status: RewardStatus | null;
  /** An order name as the merchant types it: "#1001" or "1001". */
  search: string | null;
  after: string | null;
  before: string | null;
};

/** A ledger row as the CLI and the admin show it (app/rewards/reward-view.ts). */
export type LedgerEntry = ReturnType<typeof rewardForDisplay>;

export type LedgerPage = {
  entries: LedgerEntry[];
  /** Cursors for the neighbouring pages, null at either end. */
  nextCursor: string | null;
  previousCursor: string | null;
};

export function readLedgerQuery(searchParams: URLSearchParams): LedgerQuery {
  const status = searchParams.get("status");
  const search = searchParams.get("q")?.trim() || null;
  return {
    status: (REWARD_STATUSES as readonly string[]).includes(status ?? "")
      ? (status as RewardStatus)
      : null,
    search,
    after: searchParams.get("after"),
    before: searchParams.get("before"),
  };
}

// Exact matches only, so the (shop, orderName) index answers the search at any ledger size.
function orderNameCandidates(search: string): string[] {
  return search.startsWith("#") ? [search] : [search, `#${search}`];
}

/**
 * Rows strictly after (or before) a position in (createdAt desc, id desc)
 * order. Written as a createdAt range plus a tie-break exclusion rather than
 * an OR, so both SQLite and PostgreSQL walk the (shop, [status,] createdAt)
 * index and stop after one page: no OFFSET, the same cost on page 1 and 2,000.
 */
function beyond(position: LedgerPosition, direction: "older" | "newer") {
  return direction === "older"
    ? {
        createdAt: { lte: position.createdAt },
        NOT: { createdAt: position.createdAt, id: { gte: position.id } },
      }
    : {
        createdAt: { gte: position.createdAt },
        NOT: { createdAt: position.createdAt, id: { lte: position.id } },
      };
}

const ENTRY_FIELDS = {
  id: true,
  orderId: true,
  orderName: true,
  status: true,
  amount: true,
  currency: true,
  tokensDistributed: true,
  tokensReversed: true,
  debt: true,
  actionId: true,
  reversedPercent: true,
  lastError: true,
  skipReason: true,
  createdAt: true,
} as const;

type EntryRow = Prisma.RewardGetPayload<{ select: typeof ENTRY_FIELDS }>;

const newestFirst = (a: EntryRow, b: EntryRow) =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

// A search is an exact order name, so it matches an order or two: read them
// through the (shop, orderName) index and sort here, on one page.
async function searchPage(shopDomain: string, query: LedgerQuery, database: Database) {
  const rows = await database.reward.findMany({
    where: {
      shopDomain,
      orderName: { in: orderNameCandidates(query.search!) },
      ...(query.status ? { status: query.status } : {}),
    },
    select: ENTRY_FIELDS,
  });
  return {
    entries: rows.sort(newestFirst).map(rewardForDisplay),
    nextCursor: null,
    previousCursor: null,
  };
}

export async function ledgerPage(
  shopDomain: string,
  query: LedgerQuery,
  database: Database = db,
  pageSize: number = LEDGER_PAGE_SIZE,
): Promise<LedgerPage> {
  if (query.search) return searchPage(shopDomain, query, database);
  const before = decodeLedgerCursor(query.before);
  const after = before ? null : decodeLedgerCursor(query.after);
  const backwards = before !== null;
  const direction = backwards ? "asc" : "desc";
  const rows = await database.reward.findMany({
    where: {
      shopDomain,
      ...(query.status ? { status: query.status } : {}),
      ...(after ? beyond(after, "older") : {}),
      ...(before ? beyond(before, "newer") : {}),
    },
    orderBy: [{ createdAt: direction }, { id: direction }],
    take: pageSize + 1,
    select: ENTRY_FIELDS,
  });
  const hasMore = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();

  const first = page[0];
  const last = page[page.length - 1];
  const olderExists = backwards ? true : hasMore;
  const newerExists = backwards ? hasMore : after !== null;
  return {
    entries: page.map(rewardForDisplay),
    nextCursor: last && olderExists ? encodeLedgerCursor(last) : null,
    previousCursor: first && newerExists ? encodeLedgerCursor(first) : null,
  };
}

export function countFailedRewards(shopDomain: string, database: Database = db) {
  return database.reward.count({ where: { shopDomain, status: "failed" } });
}
