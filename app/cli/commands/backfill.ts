import { prepareDatabase } from "../../db.server";
import { offlineSessionScopes } from "../../models/Session.server";
import { calendarDate, parseOptions, requireValue, shopArg } from "../args";
import { CliFailure, type Command } from "../command";
import { progressReporter } from "../progress";
import { SHOP_OPTION } from "./options";

// Without read_all_orders, Shopify shows apps only the last 60 days of orders (the admin's
// backfill page says so too: app/services/admin/backfill-progress.server.ts, which is not
// imported here because it loads the Shopify app, and `--help` must work without its settings).
const RECENT_ORDERS_DAYS = 60;
const DAY_MS = 24 * 60 * 60 * 1000;
const ymd = (date: Date) => date.toISOString().slice(0, 10);

/** How many paid orders Shopify has since the date; null when it cannot say. */
async function countPaidOrders(shopDomain: string, since: Date): Promise<number | null> {
  try {
    const [{ unauthenticated }, { runAdminGraphql }, { paidOrdersSearch }, count] =
      await Promise.all([
        import("../../shopify.server"),
        import("../../services/admin/admin-graphql.server"),
        import("../../services/backfill/admin-order-pages.server"),
        import("../../graphql/PaidOrdersCountQuery"),
      ]);
    const { admin } = await unauthenticated.admin(shopDomain);
    const data = await runAdminGraphql<
      import("../../graphql/PaidOrdersCountQuery").PaidOrdersCountData
    >(admin.graphql, count.PAID_ORDERS_COUNT_QUERY, { query: paidOrdersSearch(ymd(since)) });
    return data.ordersCount?.count ?? null;
  } catch {
    // The total only sizes the progress bar: without it, done and rate still show.
    return null;
  }
}

/** The warning printed when Shopify will not return orders as old as --since. */
export function sixtyDayWarning(since: Date, scopes: string[], now: Date): string | null {
  if (scopes.includes("read_all_orders")) return null;
  const earliest = ymd(new Date(now.getTime() - RECENT_ORDERS_DAYS * DAY_MS));
  if (ymd(since) >= earliest) return null;
  return (
    `Warning: ${ymd(since)} is more than ${RECENT_ORDERS_DAYS} days ago, and the app's access to this shop lacks read_all_orders: ` +
    `Shopify returns only the last ${RECENT_ORDERS_DAYS} days of orders (from ${earliest}), so older ones are not rewarded. ` +
    `To reach them, request read_all_orders for the app in the Partner Dashboard (Shopify must approve it), ` +
    `add it to SCOPES and to shopify.app.toml, and have the merchant open the app to grant it; then run the backfill again.`
  );
}

export const backfill: Command = {
  name: "backfill",
  summary: "reward a shop's past paid orders since a date, in this process, with progress",
  options: {
    shop: SHOP_OPTION,
    since: {
      type: "string",
      value: "<YYYY-MM-DD>",
      description: "the first day of orders to reward: a real date, not in the future",
      required: true,
    },
  },
  notes: [
    `Without the read_all_orders scope Shopify returns only the last ${RECENT_ORDERS_DAYS} days of orders;`,
    "an older --since prints a warning and rewards what Shopify returns.",
    "Progress goes to stderr (a bar on a terminal, a line per page otherwise); the summary,",
    "one JSON object, to stdout. A run that stops exits 1; running it again skips the orders",
    "already in the ledger.",
  ],
  async run(args, { io, database, backfill: fakes }) {
    const values = parseOptions(this, args);
    const shopDomain = shopArg(this, values);
    const now = io.now();
    const since = calendarDate(this, "since", requireValue(this, values, "since"), now);

    const scopes = await offlineSessionScopes(shopDomain, database);
    if (scopes === null) {
      throw new CliFailure(
        `${shopDomain} has no offline session: install the app on the shop (or open it from the Shopify admin) before a backfill.`,
      );
    }
    const warning = sixtyDayWarning(since, scopes, now);
    if (warning) io.err(warning);

    const total = await (fakes?.countOrders ?? countPaidOrders)(shopDomain, since);
    const progress = progressReporter(io, "backfill");
    const { runBackfill } = await import("../../services/backfill.server");
    await prepareDatabase(database, "background");
    const summary = await runBackfill(
      shopDomain,
      since,
      { ...fakes, onProgress: (run) => progress.update({ done: run.ordersSeen, total }) },
      database,
    );
    progress.finish();
    io.out(JSON.stringify(summary));
    if (summary?.status === "failed") {
      throw new CliFailure(
        `The backfill stopped: ${summary.lastError}. Run it again to go on (orders already in the ledger are skipped).`,
      );
    }
  },
};
