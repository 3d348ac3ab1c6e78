// What the shopper surfaces need from SIR: its unit's words and its earning rule for an estimate
// of a paid order not yet confirmed (both from app/sir/estimate-assumptions.ts), and a
// customer's standing (balance, debt, transactions). Read by app/shopper/*, which stays
// platform-neutral.
import { isSirError, type SirClient } from "../../sir";
import type { UserTransaction } from "../../sir/types";
import { db, type Database } from "../../db.server";
import { currencyExponent } from "../../rewards/calculation/currency";
import { logger } from "../../logger.server";
import type { RewardUnit } from "../../shopper/contract";
import { estimateUnits } from "../../shopper/estimate";
import { sirClientForShop, type SirCallProfile } from "./shop-client.server";
import {
  SIR_REWARD_UNIT as SIR_UNIT_WORDS,
  SIR_UNITS_PER_MAJOR,
} from "../../sir/estimate-assumptions";

const log = logger.child({ component: "sir-shopper" });

/** The unit's words, where the estimate metafield reads them too (one home). */
export const SIR_REWARD_UNIT: RewardUnit = { ...SIR_UNIT_WORDS };

/**
 * The estimate of a paid order SIR has not confirmed yet: the order's basis at SIR's rate
 * (SIR_UNITS_PER_MAJOR, ASSUMED) and the multiplier the estimate refresh last read from the active
 * campaign (kept on the connection, so no platform call per page view; "1" before the first
 * refresh), by the estimate's own rule (app/shopper/estimate.ts estimateUnits: round half up,
 * exact) — the same figure the storefront and checkout estimates showed. SIR's answer replaces it
 * once confirmed.
 */
export function sirEstimatedUnits(
  basisMinor: bigint,
  currency: string,
  multiplier: string | null,
): number {
  let exponent: number;
  try {
    exponent = currencyExponent(currency);
  } catch {
    exponent = 2;
  }
  return estimateUnits(basisMinor, {
    version: 1,
    unit: SIR_REWARD_UNIT,
    currency,
    exponent,
    unitsPerMajor: SIR_UNITS_PER_MAJOR,
    multiplier: multiplier ?? "1",
    includeShipping: false,
    includeTax: false,
    minimumOrderMinor: null,
    excludedProductTags: [],
    updatedAt: "",
  });
}

export type CustomerStanding =
  | {
      available: true;
      balance: number;
      debt: number;
      /** null when SIR gave no readable transactions (ASSUMED endpoint): use the ledger. */
      transactions: UserTransaction[] | null;
    }
  | { available: false };

// A shopper waits for the page: one quick try, no retries (the answer is cached for a minute and
// an outage reads "on their way"), unlike the worker's client.
const SHOPPER_CALL: SirCallProfile = {
  timeoutMs: 3_000,
  retry: { maxAttempts: 1, maxRetryAfterMs: 0 },
};

function clientForShop(shopDomain: string, database: Database): Promise<SirClient | null> {
  return sirClientForShop(shopDomain, SHOPPER_CALL, database);
}

/**
 * The customer's balance and debt at SIR and their transactions. A user SIR does not know (404)
 * has nothing yet: 0 and 0. Anything else that goes wrong (network, timeout, 5xx, 429, an
 * unreadable answer, no connection) is `available: false`: the surface says the figures are on
 * their way. Transactions are best effort: their failure alone keeps the balance.
 */
export async function sirCustomerStanding(
  shopDomain: string,
  partnerUserId: string,
  database: Database = db,
): Promise<CustomerStanding> {
  let client: SirClient | null;
  try {
    client = await clientForShop(shopDomain, database);
  } catch (error) {
    log.warn("shopper standing: no usable connection", { shop: shopDomain, error: String(error) });
    return { available: false };
  }
  if (!client) return { available: false };
  const [balance, transactions] = await Promise.allSettled([
    client.getUserBalance(partnerUserId),
    client.listUserTransactions(partnerUserId),
  ]);
  if (balance.status === "rejected") {
    if (isSirError(balance.reason) && balance.reason.status === 404) {
      return { available: true, balance: 0, debt: 0, transactions: [] };
    }
    log.warn("shopper standing: SIR balance unavailable", {
      shop: shopDomain,
      code: isSirError(balance.reason) ? balance.reason.code : "UNKNOWN",
    });
    return { available: false };
  }
  return {
    available: true,
    balance: balance.value.balance,
    debt: balance.value.debt,
    transactions: transactions.status === "fulfilled" ? transactions.value : null,
  };
}
