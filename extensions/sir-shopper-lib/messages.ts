/**
 * Answers of the app (app/shopper/contract.ts) → which words a surface shows: locale keys with
 * the count each one is said with. Rendering only translates them (see i18n.ts). An answer the
 * surface could not get (outage, timeout, non-200, unreadable) is `null` and reads like
 * `delayed`: "your tokens are on their way", never an error.
 */
import type {
  AccountAnswer,
  AccountHistoryEntry,
  OrderRewardAnswer,
} from "../../app/shopper/contract";

/** One line of text: a locale key and, for counted messages, the count. */
export type Message = { key: string; count?: number };

export type OrderRewardView = {
  /** Nothing to show (the order earns nothing, or the customer cannot see it). */
  hidden: boolean;
  lines: Message[];
  /** Where to see the balance, when the app knows it. */
  balanceUrl: string | null;
};

const positive = (n: number | null | undefined): n is number =>
  typeof n === "number" && Number.isFinite(n) && n > 0;

export const DELAYED: Message = { key: "order.delayed" };

/** Thank-you and order-status blocks. */
export function orderRewardView(answer: OrderRewardAnswer | null): OrderRewardView {
  if (!answer) return { hidden: false, lines: [DELAYED], balanceUrl: null };
  const balanceUrl = answer.balanceUrl || null;
  switch (answer.state) {
    case "none":
      return { hidden: true, lines: [], balanceUrl: null };
    case "estimated":
      return {
        hidden: false,
        lines: positive(answer.estimatedUnits)
          ? [{ key: "order.estimated", count: answer.estimatedUnits }]
          : [DELAYED],
        balanceUrl,
      };
    case "earned": {
      if (!positive(answer.awardedUnits)) return { hidden: false, lines: [DELAYED], balanceUrl };
      const lines: Message[] = [{ key: "order.earned", count: answer.awardedUnits }];
      if (positive(answer.reversedUnits)) {
        lines.push({ key: "order.reversed", count: answer.reversedUnits });
      }
      if (positive(answer.owedUnits)) lines.push({ key: "order.owed", count: answer.owedUnits });
      return { hidden: false, lines, balanceUrl };
    }
    default:
      // "delayed", or a state this build does not know yet: the reassuring wording.
      return { hidden: false, lines: [DELAYED], balanceUrl };
  }
}

/**
 * The customer account full page of this app (extensions/sir-customer-account, handle
 * `sir-customer-account`): customer accounts resolve `extension:<handle>/` to it.
 */
export const ACCOUNT_PAGE_HREF = "extension:sir-customer-account/";

/**
 * Where the block stands: the thank-you page is in checkout, outside customer accounts (an
 * `extension:` link does not resolve there, and checkout's API gives no customer account URL);
 * the order-status page is inside them, but a pre-authenticated visit (from the order email) is
 * not logged in, and the full page needs a logged-in customer.
 */
export type OrderRewardSurface =
  | { target: "purchase.thank-you.block.render" }
  | { target: "customer-account.order-status.block.render"; authenticated: boolean };

/** "Where to see the balance": a link, or the words when no link would work. */
export type BalancePointer =
  | { kind: "link"; href: string; key: "order.balanceLink" }
  | { kind: "sentence"; key: "order.balanceWhere" };

/**
 * The app's `balanceUrl`, when it gives one, wins everywhere. Otherwise: the app's customer
 * account page on a logged-in order-status page, the sentence elsewhere. Nothing when the block
 * shows nothing (`none`) or the app could not be asked (the account page would not have it either).
 */
export function balancePointer(
  surface: OrderRewardSurface,
  answer: OrderRewardAnswer | null,
): BalancePointer | null {
  if (!answer || answer.state === "none") return null;
  if (typeof answer.balanceUrl === "string" && answer.balanceUrl.trim() !== "") {
    return { kind: "link", href: answer.balanceUrl, key: "order.balanceLink" };
  }
  if (surface.target === "customer-account.order-status.block.render" && surface.authenticated) {
    return { kind: "link", href: ACCOUNT_PAGE_HREF, key: "order.balanceLink" };
  }
  return { kind: "sentence", key: "order.balanceWhere" };
}

export type HistoryRow = { orderName: string; date: string; lines: Message[] };

export type AccountView = {
  /** The balance line ("You have N tokens"), or "on its way" while the platform is unreachable. */
  balance: Message;
  /** What the customer owes (spent tokens a refund took back), when any. */
  owed: Message | null;
  history: HistoryRow[];
};

function historyLines(entry: AccountHistoryEntry): Message[] {
  switch (entry.state) {
    case "earned": {
      if (!positive(entry.awardedUnits)) return [{ key: "history.pending" }];
      const lines: Message[] = [{ key: "history.earned", count: entry.awardedUnits }];
      if (positive(entry.reversedUnits)) {
        lines.push({ key: "history.reversed", count: entry.reversedUnits });
      }
      return lines;
    }
    case "none":
      return [];
    default:
      return [{ key: "history.pending" }];
  }
}

/** Customer account page and profile block. `null`: the app could not be asked. */
export function accountView(answer: AccountAnswer | null): AccountView {
  if (!answer) return { balance: { key: "account.delayed" }, owed: null, history: [] };
  const balance: Message =
    typeof answer.balance === "number" && Number.isFinite(answer.balance)
      ? { key: "account.balance", count: Math.max(0, answer.balance) }
      : { key: "account.delayed" };
  // Debt is said once, as what is owed: a negative balance the app did not split out is owed.
  const owedUnits = positive(answer.owedUnits)
    ? answer.owedUnits
    : typeof answer.balance === "number" && answer.balance < 0
      ? -answer.balance
      : null;
  const owed = owedUnits !== null ? { key: "account.owed", count: owedUnits } : null;
  const history = answer.history
    .map((entry) => ({ orderName: entry.orderName, date: entry.date, lines: historyLines(entry) }))
    .filter((row) => row.lines.length > 0)
    .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
  return { balance, owed, history };
}

/** Every key a surface can show, per surface (the locale tests check each file has them all). */
export const ORDER_KEYS = [
  "order.title",
  "order.estimated",
  "order.earned",
  "order.reversed",
  "order.owed",
  "order.delayed",
  "order.balanceLink",
  "order.balanceWhere",
] as const;

export const ACCOUNT_KEYS = [
  "account.title",
  "account.balance",
  "account.owed",
  "account.delayed",
  "account.historyTitle",
  "account.historyEmpty",
  "history.earned",
  "history.reversed",
  "history.pending",
] as const;

export const PROFILE_KEYS = [
  "account.title",
  "account.balance",
  "account.owed",
  "account.delayed",
  "account.historyLink",
] as const;

export const ESTIMATE_KEYS = ["estimate.earn", "estimate.note"] as const;

/** Keys said with a count (plural objects in the locale files). */
export const COUNTED_KEYS = new Set([
  "order.estimated",
  "order.earned",
  "order.reversed",
  "order.owed",
  "account.balance",
  "account.owed",
  "history.earned",
  "history.reversed",
  "estimate.earn",
]);

/**
 * The thank-you page usually opens before the app has heard of the order (Shopify's `orders/paid`
 * webhook follows payment by seconds), and an order the app has not seen answers `none`. So the
 * thank-you block asks again after these delays while the answer is `none` or missing, and stops
 * at the first real answer. The order-status page (opened later) asks once.
 */
export const THANK_YOU_RETRY_DELAYS_MS = [3000, 7000, 15000] as const;

export function worthAskingAgain(answer: OrderRewardAnswer | null): boolean {
  return answer === null || answer.state === "none" || answer.state === "delayed";
}
