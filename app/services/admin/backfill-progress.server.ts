import { config } from "../../config.server";
import type { BackfillRunView } from "../backfill.server";
import { paidOrdersSearch } from "../backfill/admin-order-pages.server";
import {
  PAID_ORDERS_COUNT_QUERY,
  type PaidOrdersCountData,
} from "../../graphql/PaidOrdersCountQuery";
import { AdminApiError, runAdminGraphql, type AdminGraphql } from "./admin-graphql.server";

export type BackfillTotal = { count: number; exact: boolean };

/** Without read_all_orders, Shopify shows apps only the last 60 days of orders. */
export const RECENT_ORDERS_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The earliest date a backfill can reach with the app's access scopes (YYYY-MM-DD), or null. */
export function earliestBackfillDate(
  now: Date = new Date(),
  scopes = config.scopes,
): string | null {
  if (scopes.includes("read_all_orders")) return null;
  return new Date(now.getTime() - RECENT_ORDERS_DAYS * DAY_MS).toISOString().slice(0, 10);
}

export type BackfillDateCheck = { ok: true; since: Date } | { ok: false; error: string };

export function checkBackfillDate(value: string, now: Date = new Date()): BackfillDateCheck {
  const since = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : null;
  if (!since || Number.isNaN(since.getTime()) || since.toISOString().slice(0, 10) !== value) {
    return { ok: false, error: "Choose the date of the first order to reward." };
  }
  if (since.getTime() > now.getTime()) {
    return { ok: false, error: "Choose a date in the past: there are no orders after today yet." };
  }
  const earliest = earliestBackfillDate(now);
  if (earliest && value < earliest) {
    return {
      ok: false,
      error: `Shopify lets this app read only the last ${RECENT_ORDERS_DAYS} days of orders. Choose ${earliest} or later.`,
    };
  }
  return { ok: true, since };
}

// Counting orders costs an Admin API call, and a running backfill's page is
// reloaded every few seconds: count once per run (per server process).
const totals = new Map<string, BackfillTotal>();

/** How many orders the run goes through; null when Shopify cannot say. */
export async function backfillTotal(
  graphql: AdminGraphql,
  run: BackfillRunView,
): Promise<BackfillTotal | null> {
  if (run.status === "done") return { count: run.ordersSeen, exact: true };
  const known = totals.get(run.id);
  if (known) return known;
  try {
    const { ordersCount } = await runAdminGraphql<PaidOrdersCountData>(
      graphql,
      PAID_ORDERS_COUNT_QUERY,
      { query: paidOrdersSearch(run.since) },
    );
    if (!ordersCount) return null;
    const total = { count: ordersCount.count, exact: ordersCount.precision === "EXACT" };
    totals.set(run.id, total);
    return total;
  } catch (error) {
    // The bar is a nicety: without a total the page still shows live counts.
    if (error instanceof AdminApiError) return null;
    throw error;
  }
}
