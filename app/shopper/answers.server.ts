// The shopper endpoints' answers (app/shopper/contract.ts) from the ledger and the platform.
// Ledger states: pending/parked/retrying → estimated; rewarded/partially_reversed/reversed →
// earned; failed → delayed ("on their way"); skipped → none. Another customer's order, a guest's
// and a missing one all get NO_REWARD, byte for byte.
import type {
  AccountAnswer,
  AccountHistoryEntry,
  OrderRewardAnswer,
  OrderRewardState,
} from "./contract";
import { db, type Database } from "../db.server";
import { findRewardByOrder, listCustomerRewards } from "../models/Reward.server";
import { findRewardMultiplier } from "../models/ProviderConnection.server";
import {
  SIR_REWARD_UNIT,
  sirCustomerStanding,
  sirEstimatedUnits,
  type CustomerStanding,
} from "../providers/sir/shopper.server";
import { TtlCache } from "./throttle.server";

const UNIT = SIR_REWARD_UNIT;
/** The most recent orders the account page lists. */
export const HISTORY_LIMIT = 50;
/** The platform is asked at most once a minute per customer (per process). */
export const STANDING_TTL_MS = 60_000;

export function stateOf(status: string): OrderRewardState {
  switch (status) {
    case "pending":
    case "parked":
    case "retrying":
      return "estimated";
    case "rewarded":
    case "partially_reversed":
    case "reversed":
      return "earned";
    case "failed":
      return "delayed";
    default:
      return "none";
  }
}

/** What an order nobody may see (missing, another customer's, a guest's) answers. */
export const NO_REWARD: OrderRewardAnswer = Object.freeze({
  state: "none",
  unit: UNIT,
  estimatedUnits: null,
  awardedUnits: null,
  reversedUnits: 0,
  owedUnits: 0,
  balanceUrl: null,
}) as OrderRewardAnswer;

/** What an order answers while the ledger cannot be read: "your tokens are on their way". */
export const DELAYED_REWARD: OrderRewardAnswer = Object.freeze({
  ...NO_REWARD,
  state: "delayed",
}) as OrderRewardAnswer;

/** The account while the ledger cannot be read: figures on their way, nothing listed. */
export const ACCOUNT_UNAVAILABLE: AccountAnswer = Object.freeze({
  unit: UNIT,
  balance: null,
  owedUnits: null,
  history: [],
}) as AccountAnswer;

type LedgerFigures = {
  status: string;
  currency: string;
  basisMinor: bigint;
  tokensDistributed: number | null;
  tokensReversed: number;
  debt: number;
};

/** `multiplier`: the platform's, as last read for the estimate (null before the first read). */
export function orderAnswer(
  row: LedgerFigures,
  balanceUrl: string | null,
  multiplier: string | null,
): OrderRewardAnswer {
  const state = stateOf(row.status);
  if (state === "none") return NO_REWARD;
  const earned = state === "earned";
  return {
    state,
    unit: UNIT,
    estimatedUnits:
      state === "estimated" ? sirEstimatedUnits(row.basisMinor, row.currency, multiplier) : null,
    awardedUnits: earned ? (row.tokensDistributed ?? 0) : null,
    reversedUnits: earned ? row.tokensReversed : 0,
    owedUnits: earned ? row.debt : 0,
    balanceUrl,
  };
}

/**
 * "5001", "gid://shopify/Order/5001", "gid://shopify/OrderIdentity/5001" (the thank-you page's
 * order) → "5001"; anything else → null (a missing order).
 */
export function orderIdFromParam(param: string | undefined): string | null {
  const text = (param ?? "").trim();
  const match = /^(?:gid:\/\/shopify\/Order(?:Identity)?\/)?([1-9]\d{0,19})$/.exec(text);
  return match ? match[1] : null;
}

/**
 * The customer's order's reward. Only an order the ledger attributes to this very customer is
 * answered; a guest (no customer in the token) has no verified link to any order, so it gets
 * NO_REWARD (the thank-you surface shows its estimate from the estimate metafield instead).
 */
export async function orderRewardFor(
  shop: string,
  customerId: string | null,
  orderParam: string | undefined,
  database: Database = db,
): Promise<OrderRewardAnswer> {
  const orderId = orderIdFromParam(orderParam);
  if (!customerId || !orderId) return NO_REWARD;
  const row = await findRewardByOrder(shop, orderId, database);
  if (!row || row.customerId !== customerId) return NO_REWARD;
  const multiplier =
    stateOf(row.status) === "estimated" ? await findRewardMultiplier(shop, database) : null;
  return orderAnswer(row, balanceUrlFor(shop), multiplier);
}

/**
 * Where the shopper sees their balance: the customer account page, once the app ships one.
 * null until then (the contract allows it); the surfaces then show no link.
 */
export function balanceUrlFor(_shop: string): string | null {
  return null;
}

const standings = new TtlCache<CustomerStanding>(STANDING_TTL_MS);

/** For tests: forget the cached platform answers. */
export function clearStandingCache() {
  standings.clear();
}

export async function accountFor(
  shop: string,
  customerId: string,
  database: Database = db,
): Promise<AccountAnswer> {
  const rows = await listCustomerRewards(shop, customerId, HISTORY_LIMIT, database);
  // The platform knows the customer by the id the pipeline sent (the Shopify customer id).
  const partnerUserId = rows.find((row) => row.partnerUserId)?.partnerUserId ?? customerId;
  const standing = await standings.get(`${shop}\n${partnerUserId}`, () =>
    sirCustomerStanding(shop, partnerUserId, database).catch(
      (): CustomerStanding => ({ available: false }),
    ),
  );
  const platform = standing.available ? byAction(standing.transactions) : null;
  const history: AccountHistoryEntry[] = [];
  for (const row of rows) {
    const state = stateOf(row.status);
    if (state === "none") continue;
    const earned = state === "earned";
    // The platform's own figures for the action when it lists them (it may know a reversal the
    // ledger has not recorded yet); else the ledger's.
    const listed = earned && row.actionId ? platform?.get(row.actionId) : undefined;
    const confirmed = listed && listed.awarded > 0 ? listed : undefined;
    history.push({
      orderName: row.orderName,
      date: (row.orderCreatedAt ?? row.createdAt).toISOString(),
      awardedUnits: earned ? (confirmed?.awarded ?? row.tokensDistributed ?? 0) : null,
      reversedUnits: earned ? (confirmed?.reversed ?? row.tokensReversed) : 0,
      state,
    });
  }
  return {
    unit: UNIT,
    balance: standing.available ? standing.balance : null,
    owedUnits: standing.available ? standing.debt : null,
    history,
  };
}

function byAction(
  transactions: Extract<CustomerStanding, { available: true }>["transactions"],
): Map<string, { awarded: number; reversed: number }> | null {
  if (!transactions) return null;
  const figures = new Map<string, { awarded: number; reversed: number }>();
  for (const transaction of transactions) {
    if (!transaction.actionId) continue;
    const entry = figures.get(transaction.actionId) ?? { awarded: 0, reversed: 0 };
    if (transaction.type === "EARN") entry.awarded += transaction.tokens;
    else if (transaction.type === "REVERSAL") entry.reversed += transaction.tokens;
    else continue;
    figures.set(transaction.actionId, entry);
  }
  return figures;
}
