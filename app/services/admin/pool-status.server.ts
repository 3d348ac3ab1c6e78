import { db, type Database } from "../../db.server";
import { decryptCredentials, findConnection } from "../../models/ProviderConnection.server";
import { adminSirClient, storedCredentials } from "./sir-admin-client.server";
import { readAccountSummary, sirCall, type AccountSummary } from "./sir-account-summary.server";
import { sirFailureSentence } from "./sir-failure-sentence.server";

export type PoolStatus = AccountSummary & {
  /** Set when SIR could not be asked; the rest of the page still shows. */
  error: string | null;
  /** Rewards wait because SIR answered "pool empty" (since this ISO time). */
  emptySince: string | null;
  /** SIR warned that the balance is low (token_pool.low_balance). */
  lowWarningAt: string | null;
  low: boolean;
};

/** The shop's pool and campaign, asked of SIR live; null when SIR is not connected. */
export async function livePoolStatus(
  shopDomain: string,
  database: Database = db,
): Promise<PoolStatus | null> {
  const row = await findConnection(shopDomain, database);
  if (!row) return null;
  const credentials = decryptCredentials(row);
  const stored = {
    emptySince: row.poolEmptySince?.toISOString() ?? null,
    lowWarningAt: row.poolLowAt?.toISOString() ?? null,
  };
  try {
    const summary = await readAccountSummary(adminSirClient(credentials));
    const pool = summary.pool;
    const belowThreshold =
      pool !== null &&
      pool.lowBalanceThreshold !== null &&
      pool.availableBalance < pool.lowBalanceThreshold;
    return {
      ...summary,
      ...stored,
      error: null,
      low: belowThreshold || stored.lowWarningAt !== null,
    };
  } catch (error) {
    return {
      campaign: null,
      pool: null,
      ...stored,
      error: sirFailureSentence(error, { apiUrl: credentials.apiUrl, keyKind: "secret" }),
      low: stored.lowWarningAt !== null,
    };
  }
}

export type AllocationForm =
  | { ok: true; amount: number; reason: string }
  | { ok: false; errors: { amount?: string; reason?: string } };

const MAX_ALLOCATION = 1_000_000_000;
const DEFAULT_REASON = "More tokens to keep rewarding orders (requested from SIR Rewards).";

export function readAllocationForm(form: FormData): AllocationForm {
  const amountText = String(form.get("amount") ?? "").replace(/[\s,]/g, "");
  const reason = String(form.get("reason") ?? "").trim() || DEFAULT_REASON;
  const amount = Number(amountText);
  if (!/^\d+$/.test(amountText) || amount < 1 || amount > MAX_ALLOCATION) {
    return { ok: false, errors: { amount: "Enter a whole number of tokens, such as 10000." } };
  }
  if (reason.length > 500) {
    return { ok: false, errors: { reason: "Keep the reason under 500 characters." } };
  }
  return { ok: true, amount, reason };
}

export type AllocationResult = { ok: true; message: string } | { ok: false; message: string };

/** Asks SIR for more tokens; SIR reviews the request, and its approval refills the pool. */
export async function requestAllocation(
  shopDomain: string,
  amount: number,
  reason: string,
  database: Database = db,
): Promise<AllocationResult> {
  const credentials = await storedCredentials(shopDomain, database);
  if (!credentials) return { ok: false, message: "Connect SIR in Settings first." };
  try {
    await sirCall("pools:write", () =>
      adminSirClient(credentials).requestAllocation({ amount, reason }),
    );
    return {
      ok: true,
      message: `SIR received your request for ${amount.toLocaleString("en-US")} tokens. Rewards waiting for tokens resume by themselves once SIR approves it.`,
    };
  } catch (error) {
    return {
      ok: false,
      message: sirFailureSentence(error, { apiUrl: credentials.apiUrl, keyKind: "secret" }),
    };
  }
}
