// The ledger row as the CLI and the admin show it: money as decimal strings,
// token counts as numbers, nothing internal (locks, snapshots, keys).
type LedgerRow = {
  orderId: string;
  orderName: string;
  status: string;
  actionId: string | null;
  amount: string;
  currency: string;
  tokensDistributed: number | null;
  tokensReversed: number;
  debt: number;
  reversedPercent: string;
  lastError: string | null;
  skipReason: string | null;
  createdAt: Date;
};

export function rewardForDisplay(row: LedgerRow) {
  return {
    orderId: row.orderId,
    orderName: row.orderName,
    status: row.status,
    actionId: row.actionId,
    amount: row.amount,
    currency: row.currency,
    tokensDistributed: row.tokensDistributed,
    tokensReversed: row.tokensReversed,
    debt: row.debt,
    reversedPercent: row.reversedPercent,
    lastError: row.lastError,
    skipReason: row.skipReason,
    createdAt: row.createdAt.toISOString(),
  };
}
